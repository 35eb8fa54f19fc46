import * as tf from '@tensorflow/tfjs';
import { resolveModel, trainerFor, train } from './test/training/engine/helpers';
const fam = process.argv[2];
const SIZE = 12;
const text = fam === 'cgan' ? `
model tiny_cgan: cgan {
  data shapes size=${SIZE}x${SIZE} channels=1 { scale [-1, 1]; batch 32 }
  latent 8
  condition classes=3 embed=4
  generator { dense 128; leakyrelu; dense ${SIZE * SIZE} activation=tanh; reshape [${SIZE}, ${SIZE}, 1] }
  discriminator { flatten; dense 128; leakyrelu; dense 1 }
  loss nonsaturating
  optimizer adam lr=2e-3 beta1=0.5
  train { steps 400; seed 4 }
  sample { every 100; grid 3x10 }
}` : `
model tiny_gan: gan {
  data shapes size=${SIZE}x${SIZE} channels=1 { scale [-1, 1]; batch 32 }
  latent 8
  generator { dense 128; leakyrelu; dense ${SIZE * SIZE} activation=tanh; reshape [${SIZE}, ${SIZE}, 1] }
  discriminator { flatten; dense 128; leakyrelu; dense 1 }
  loss nonsaturating
  optimizer adam lr=2e-3 beta1=0.5
  train { steps 400; seed 4 }
  sample { every 100; grid 3x10 }
}`;
async function main() {
  const t = await trainerFor(resolveModel(text));
  await train(t, 3);
  let t0 = Date.now();
  await train(t, 20);
  console.log(fam, (Date.now() - t0) / 20, 'ms/step');
  const p = await tf.profile(() => t.trainStep());
  const byKernel = new Map<string, number>();
  for (const k of p.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (k.kernelTimeMs as number));
  console.log([...byKernel.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8));
}
main();
