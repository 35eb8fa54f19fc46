// Run health end to end: a discriminator that wins outright is recorded in run.json at the end of a
// real run and shown by `gan train` and `gan runs`; the same model with balanced learning rates is not.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { readRunInfo } from '../../../src/training/runs/reader';
import { ensureBuilt, gan, scratch, tinyGan } from './harness';

/** The harness's tiny GAN with an optimizer of its own for each network. */
function model(generatorLr: string, discriminatorLr: string): string {
  const text = tinyGan('steps 200; seed 3; checkpoint 100; backend cpu', 'every 100; grid 2x2');
  const shared = 'optimizer adam lr=2e-3 beta1=0.5';
  assert.ok(text.includes(shared));
  return text.replace(
    shared,
    `optimizer generator adam lr=${generatorLr}\n  optimizer discriminator adam lr=${discriminatorLr}`,
  );
}

before(ensureBuilt);

test('a run whose discriminator wins outright completes as unhealthy, with what to try', async () => {
  // The generator barely moves (lr 1e-7) while the discriminator learns fast.
  const dir = scratch({ 'sat.gan': model('1e-7', '1e-2') });
  const trained = await gan(['train', 'sat.gan', '--runs', 'runs'], dir);
  assert.equal(trained.code, 0, trained.stderr);
  assert.match(trained.stderr, /the run is unhealthy: discriminator saturated/);
  assert.match(trained.stderr, /Slow the discriminator down/);
  const runDir = join(dir, trained.stdout.match(/run folder: (\S+)/)?.[1] ?? '');
  const info = readRunInfo(runDir);
  assert.equal(info.status, 'completed');
  assert.deepEqual(
    info.health?.map((p) => p.signal),
    ['saturated'],
  );
  assert.ok((info.health?.[0].step ?? 0) < 100, 'dated from when it began');
  const listed = await gan(['runs', 'runs'], dir);
  assert.match(listed.stdout, /completed \(unhealthy: discriminator saturated\)/);
  assert.match(listed.stdout, /from step \d+, the discriminator wins outright/);
});

test('the same model with balanced learning rates stays healthy', async () => {
  const dir = scratch({ 'ok.gan': model('2e-3 beta1=0.5', '2e-3 beta1=0.5') });
  const trained = await gan(['train', 'ok.gan', '--runs', 'runs'], dir);
  assert.equal(trained.code, 0, trained.stderr);
  assert.doesNotMatch(trained.stderr, /unhealthy/);
  const runDir = join(dir, trained.stdout.match(/run folder: (\S+)/)?.[1] ?? '');
  assert.deepEqual(readRunInfo(runDir).health, []);
  const listed = await gan(['runs', 'runs'], dir);
  assert.match(listed.stdout, /tiny-\S+\s+tiny\s+completed\s+200\/200/);
});
