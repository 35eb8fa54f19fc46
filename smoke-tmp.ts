import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { analyze } from './src/language/analyze';
import { initBackend } from './src/training/backend';
import { createTrainer } from './src/training/engine';
const [file, name, steps, threads] = [process.argv[2], process.argv[3], Number(process.argv[4] ?? 5), Number(process.argv[5] ?? 1)];
async function main() {
  const info = await initBackend('wasm', { threads });
  const model = analyze(readFileSync(file, 'utf8')).models.find((m) => m.name === name)!.resolved!;
  const t = await createTrainer({ model, backend: info, baseDir: process.cwd(), dataLimit: 2000 });
  await t.trainStep();
  const t0 = Date.now();
  let m = {};
  for (let i = 0; i < steps; i++) m = await t.trainStep();
  const ms = (Date.now() - t0) / steps;
  const p = await tf.profile(() => t.trainStep());
  const kernelMs = p.kernels.reduce((s, k) => s + (k.kernelTimeMs as number), 0);
  console.log(name, ms.toFixed(1), 'ms/step; kernels', kernelMs.toFixed(1), 'ms', JSON.stringify(m), tf.memory().numTensors);
}
main();
