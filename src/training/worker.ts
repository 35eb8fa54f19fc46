// The training worker process (bundled to dist/worker.js, forked by the CLI and the extension).
// It trains at most one run, answers sample requests, and stops cleanly on `stop`, SIGINT,
// SIGTERM or when its parent goes away.
import {
  isParentToWorkerMessage,
  type ParentToWorkerMessage,
  type WorkerToParentMessage,
} from '../protocol/training';
import { Sampler } from './runs/sampler';
import { tracePhase } from './runs/startupTrace';
import { trainRun } from './runs/trainRun';

tracePhase('worker code loaded');

let training = false;
let stopRequested = false;
const sampler = new Sampler();
/** Sample requests asked to stop. */
const cancelled = new Set<number>();
const PROGRESS_EVERY_MS = 200;

function send(message: WorkerToParentMessage, then?: () => void): void {
  if (process.connected && process.send) process.send(message, undefined, {}, () => then?.());
  else then?.();
}

function requestStop(): void {
  stopRequested = true;
}

function handle(message: ParentToWorkerMessage): void {
  switch (message.type) {
    case 'start':
      if (training) {
        send({ type: 'failed', message: 'this worker is already training a run' });
        return;
      }
      training = true;
      void trainRun(message, send, () => stopRequested).then((outcome) => {
        sampler.dispose();
        send(outcome, () => process.exit(0));
      });
      return;
    case 'stop':
      requestStop();
      return;
    case 'upscale':
      sampler.upscale(message).then(
        ({ path, step }) => send({ type: 'sampleResult', id: message.id, path, step }),
        (error: unknown) =>
          send({
            type: 'sampleResult',
            id: message.id,
            error: error instanceof Error ? error.message : String(error),
          }),
      );
      return;
    case 'cancelSample':
      cancelled.add(message.id);
      return;
    case 'sample': {
      let last = 0;
      const progress = (done: number, total: number): boolean => {
        const now = Date.now();
        if (now - last >= PROGRESS_EVERY_MS || done === total) {
          last = now;
          send({ type: 'sampleProgress', id: message.id, done, total });
        }
        return !cancelled.has(message.id);
      };
      sampler
        .render(message, progress)
        .finally(() => cancelled.delete(message.id))
        .then(
          ({ path, step }) => send({ type: 'sampleResult', id: message.id, path, step }),
          (error: unknown) =>
            send({
              type: 'sampleResult',
              id: message.id,
              error: error instanceof Error ? error.message : String(error),
            }),
        );
      return;
    }
  }
}

process.on('message', (raw: unknown) => {
  if (isParentToWorkerMessage(raw)) handle(raw);
});
process.on('SIGINT', requestStop);
process.on('SIGTERM', requestStop);
process.on('disconnect', () => {
  requestStop();
  if (!training) process.exit(0);
});
