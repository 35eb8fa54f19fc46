// npm run bench:eval — evaluation cost on dcgan_small (examples/mnist-dcgan.gan):
// 1. 10,000 generated images through generation, MNIST-classifier features and the statistics
//    (FID and KID on all 10,000, precision/recall/density/coverage on 2,000); target < 30 s.
// 2. The overhead of the example's own `evaluate` settings on its training time; target < 10%.
// The real reference (10,000 held-out images embedded once per process) is timed separately.
// Prints wall and CPU seconds: on a shared machine wall time includes waiting for a core.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../src/language';
import type { ResolvedModel } from '../src/language';
import { initBackend } from '../src/training/backend';
import { createTrainer } from '../src/training/engine';
import { Evaluator } from '../src/training/eval/evaluator';
import { referenceFor } from '../src/training/eval/reference';
import { dueRequest } from '../src/training/eval/trainingEval';

const TARGET_SECONDS = 30;
const TARGET_OVERHEAD = 0.1;
const TIMED_STEPS = 10;

function model(name: string): ResolvedModel {
  const text = readFileSync(join(process.cwd(), 'examples', 'mnist-dcgan.gan'), 'utf8');
  const found = analyze(text).models.find((m) => m.name === name)?.resolved;
  if (!found) throw new Error(`examples/mnist-dcgan.gan has no model ${name}`);
  return found;
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; wall: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await work();
  const used = process.cpuUsage(cpu0);
  return { value, wall: (performance.now() - t0) / 1000, cpu: (used.user + used.system) / 1e6 };
}

const s = (x: number): string => `${x.toFixed(2)} s`;

async function main(): Promise<void> {
  const backend = await initBackend('wasm');
  console.log(`backend: ${backend.device}`);
  const dcgan = model('dcgan_small');
  const trainer = await createTrainer({ model: dcgan, backend, baseDir: process.cwd(), steps: 1000 });
  const evaluator = await Evaluator.open(dcgan, {
    ganDir: join(process.cwd(), '.gan'),
    baseDir: process.cwd(),
  });
  try {
    const reference = await timed(() => referenceFor(dcgan.data[0], evaluator.network, process.cwd()));
    console.log(
      `real reference (10,000 held-out images, once per process): ${s(reference.wall)} wall, ${s(reference.cpu)} CPU`,
    );
    const full = await timed(() =>
      evaluator.evaluate(trainer.networks, { samples: { fid: 10000, kid: 10000, pr: 2000 } }),
    );
    console.log(
      `10,000 samples (generation + features + FID/KID/PR + class and D statistics): ${s(full.wall)} wall, ${s(full.cpu)} CPU; ` +
        `target ${TARGET_SECONDS} s: ratio ${(full.wall / TARGET_SECONDS).toFixed(2)} (CPU ${(full.cpu / TARGET_SECONDS).toFixed(2)})`,
    );
    console.log(
      `  FID ${full.value.values['eval/fid'].toFixed(1)} (${full.value.features} features; untrained generator)`,
    );

    await trainer.trainStep();
    const steps = await timed(async () => {
      for (let i = 0; i < TIMED_STEPS; i++) await trainer.trainStep();
    });
    const stepSeconds = steps.wall / TIMED_STEPS;
    const total = trainer.totalSteps;
    const evalSteps = Array.from({ length: dcgan.train.steps ?? total }, (_, i) => i + 1).filter((k) =>
      dueRequest(dcgan, k),
    );
    let evalSeconds = 0;
    for (const step of evalSteps) {
      const request = dueRequest(dcgan, step);
      if (request) evalSeconds += (await timed(() => evaluator.evaluate(trainer.networks, request))).wall;
    }
    const trainSeconds = stepSeconds * (dcgan.train.steps ?? total);
    const overhead = evalSeconds / trainSeconds;
    console.log(
      `in training at the example's settings: ${evalSteps.length} evaluations, ${s(evalSeconds)} in all, over ` +
        `${dcgan.train.steps} steps × ${(stepSeconds * 1000).toFixed(0)} ms = ${(overhead * 100).toFixed(1)}% overhead; ` +
        `target ${TARGET_OVERHEAD * 100}%: ratio ${(overhead / TARGET_OVERHEAD).toFixed(2)}`,
    );
  } finally {
    evaluator.dispose();
    trainer.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
