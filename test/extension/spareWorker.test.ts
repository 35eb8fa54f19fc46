// The spare training worker: forked once per launch configuration, handed over once, replaced
// when the settings change, never handed over dead, closed when unused.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import type { WorkerHandle } from '../../src/training/runs/client';
import { SpareWorker, type WorkerLaunch } from '../../src/extension/experiments/spareWorker';

interface FakeWorker extends WorkerHandle {
  closed: boolean;
  exit(): void;
}

function fakeWorker(): FakeWorker {
  const child = Object.assign(new EventEmitter(), { connected: true, exitCode: null as number | null });
  let exited: () => void = () => undefined;
  const done = new Promise<never>((resolve) => (exited = () => resolve(undefined as never)));
  const worker = {
    process: child,
    closed: false,
    done,
    close() {
      worker.closed = true;
      worker.exit();
    },
    exit() {
      child.connected = false;
      child.exitCode = 0;
      exited();
    },
  };
  return worker as unknown as FakeWorker;
}

const launch = (modulePath = ''): WorkerLaunch => ({ env: { GAN_MODULE_PATHS: modulePath } });

function spareWith(idleMs?: number): { spare: SpareWorker; forked: FakeWorker[] } {
  const forked: FakeWorker[] = [];
  const spare = new SpareWorker(() => {
    const worker = fakeWorker();
    forked.push(worker);
    return worker;
  }, idleMs);
  return { spare, forked };
}

test('one spare per launch; taken once; the next prepare forks another', () => {
  const { spare, forked } = spareWith();
  spare.prepare(launch());
  spare.prepare(launch());
  assert.equal(forked.length, 1);
  assert.equal(spare.take(launch()), forked[0]);
  assert.equal(spare.take(launch()), undefined, 'handed over once');
  spare.prepare(launch());
  assert.equal(forked.length, 2);
  spare.dispose();
  assert.ok(forked[1].closed);
  assert.ok(!forked[0].closed, 'the taken one is the run’s now');
});

test('other settings: not handed over, and replaced on the next prepare', () => {
  const { spare, forked } = spareWith();
  spare.prepare(launch());
  assert.equal(spare.take(launch('/opt/tfjs')), undefined);
  spare.prepare(launch('/opt/tfjs'));
  assert.ok(forked[0].closed);
  assert.equal(spare.take(launch('/opt/tfjs')), forked[1]);
});

test('a spare that died is neither handed over nor kept', async () => {
  const { spare, forked } = spareWith();
  spare.prepare(launch());
  forked[0].exit();
  await forked[0].done;
  assert.equal(spare.take(launch()), undefined);
  spare.prepare(launch());
  assert.equal(forked.length, 2);
});

test('an unused spare is closed after the idle time', async () => {
  const { spare, forked } = spareWith(50);
  spare.prepare(launch());
  await new Promise((resolve) => setTimeout(resolve, 120));
  assert.ok(forked[0].closed);
  assert.equal(spare.take(launch()), undefined);
});
