import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { analyze } from '../../../src/language';
import type { ResolvedModel } from '../../../src/language';
import { initBackend } from '../../../src/training/backend';
import { createTrainer } from '../../../src/training/engine';

const wanted = (process.argv[2] ?? 'dcgan_small').split(',');
const models: ResolvedModel[] = [];
for (const f of ['mnist-dcgan.gan', 'mnist-vae.gan'])
  for (const m of analyze(readFileSync(join('examples', f), 'utf8')).models)
    if (m.resolved && wanted.includes(m.name)) models.push(m.resolved);

const times = new Map<string, { ms: number; n: number }>();
let on = false;
const childStack: number[] = [];
async function main(): Promise<void> {
  const info = await initBackend('wasm', { threads: 1 } as never);
  console.log(info.device, info.threads);
  for (const cfg of tf.getKernelsForBackend('wasm')) {
    const orig = cfg.kernelFunc;
    const name = cfg.kernelName;
    (cfg as { kernelFunc: tf.KernelFunc }).kernelFunc = ((args: never) => {
      if (!on) return orig(args);
      const t0 = performance.now();
      childStack.push(0);
      const r = orig(args);
      const child = childStack.pop() ?? 0;
      const dt0 = performance.now() - t0;
      if (childStack.length) childStack[childStack.length - 1] += dt0;
      const dt = dt0 - child;
      if (process.env.SHAPES) { const a = args as unknown as {inputs: Record<string, tf.TensorInfo>}; const key = name + ' ' + Object.values(a.inputs).map((t) => (t?.shape ?? []).join('x')).join(','); const e2 = times.get(key) ?? { ms: 0, n: 0 }; e2.ms += dt; e2.n++; times.set(key, e2); }
      const e = times.get(name) ?? { ms: 0, n: 0 };
      e.ms += dt; e.n++;
      times.set(name, e);
      return r;
    }) as tf.KernelFunc;
  }
  for (const model of models) {
    times.clear();
    const trainer = await createTrainer({ model, backend: info, baseDir: process.cwd(), dataLimit: 4096, steps: 10 });
    await trainer.trainStep(); await trainer.trainStep();
    on = true;
    const N = Number(process.argv[3] ?? '3');
    const t0 = performance.now();
    for (let i = 0; i < N; i++) await trainer.trainStep();
    const total = (performance.now() - t0) / N;
    on = false;
    let ksum = 0;
    const rows = [...times.entries()].sort((a, b) => b[1].ms - a[1].ms);
    for (const [, v] of rows) ksum += v.ms / N;
    console.log(`${model.name}: ${total.toFixed(1)} ms/step, kernels ${ksum.toFixed(1)} ms`);
    for (const [k, v] of rows.slice(0, 25)) console.log(`  ${k.padEnd(24)} ${(v.ms / N).toFixed(1).padStart(8)} ms  ${(v.n / N).toFixed(0)} calls`);
    trainer.dispose();
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
