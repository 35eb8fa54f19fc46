import * as tf from '@tensorflow/tfjs';
import { resolveModel, useCpu } from './test/training/engine/helpers';
import { openDataSource } from './src/training/data';
const SIZE = Number(process.argv[2]);
async function main() {
  await useCpu();
  const model = resolveModel(`model c: gan {
  data shapes size=${SIZE}x${SIZE} channels=1 { scale [-1, 1]; batch 32 }
  latent 8
  generator { dense ${SIZE*SIZE} activation=tanh; reshape [${SIZE}, ${SIZE}, 1] }
  discriminator { flatten; dense 1 }
  loss nonsaturating
  optimizer adam lr=2e-3
  train { steps 1; seed 4 }
  sample { every 1; grid 2x2 }
}`);
  const source = await openDataSource(model.data[0], { seed: 99, baseDir: process.cwd() });
  const classifier = tf.sequential({ layers: [
      tf.layers.conv2d({ inputShape: [SIZE, SIZE, 1], filters: 8, kernelSize: 3, strides: 1, activation: 'relu' }),
      tf.layers.maxPooling2d({poolSize: 2}),
      tf.layers.flatten(),
      tf.layers.dense({ units: 32, activation: 'relu' }),
      tf.layers.dense({ units: 3, activation: 'softmax' }) ] });
  classifier.compile({ optimizer: tf.train.adam(3e-3), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const held = await source.heldOut(300);
  const t0 = Date.now();
  for (let i = 0; i < 400; i++) {
    const batch = await source.next();
    const [x, y] = [tf.tensor4d(batch.images, [batch.count, SIZE, SIZE, 1]), tf.tensor1d(batch.labels ?? [], 'float32')];
    await classifier.trainOnBatch(x, y);
    tf.dispose([x, y]);
    if (i % 100 === 99) {
      const predicted = tf.tidy(() => (classifier.predict(tf.tensor4d(held.images, [held.count, SIZE, SIZE, 1])) as tf.Tensor).argMax(1).dataSync());
      console.log(i, predicted.filter((p, j) => p === held.labels?.[j]).length / held.count, Date.now() - t0);
    }
  }
}
main();
