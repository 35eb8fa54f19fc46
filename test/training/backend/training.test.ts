// Real training on wasm: a small DCGAN-shaped network (conv, conv2dTranspose, batchnorm, dropout,
// dense) takes optimizer steps with no missing kernels, learns, leaks no tensors, and its
// gradients match the cpu backend's.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/training/backend';
import { randomValues, relativeError } from './compare';

function buildAutoencoder(): tf.Sequential {
  const model = tf.sequential();
  model.add(
    tf.layers.conv2d({ inputShape: [16, 16, 1], filters: 8, kernelSize: 4, strides: 2, padding: 'same' }),
  );
  model.add(tf.layers.leakyReLU({ alpha: 0.2 }));
  model.add(tf.layers.dropout({ rate: 0.3 }));
  model.add(tf.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, padding: 'same' }));
  model.add(tf.layers.leakyReLU({ alpha: 0.2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 4 * 4 * 16, useBias: false }));
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.reshape({ targetShape: [4, 4, 16] }));
  model.add(
    tf.layers.conv2dTranspose({ filters: 8, kernelSize: 5, strides: 2, padding: 'same', useBias: false }),
  );
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.leakyReLU({ alpha: 0.2 }));
  model.add(
    tf.layers.conv2dTranspose({ filters: 1, kernelSize: 4, strides: 2, padding: 'same', activation: 'tanh' }),
  );
  return model;
}

const images = randomValues(8 * 16 * 16, 1234).map((v) => Math.sign(v) * 0.8);

before(async () => {
  await initBackend('wasm');
});

it('trains a conv network on wasm: loss falls, no missing kernels, no leaks', async () => {
  assert.equal(tf.getBackend(), 'wasm');
  const model = buildAutoencoder();
  const optimizer = tf.train.adam(1e-2);
  const batch = tf.tensor4d(images, [8, 16, 16, 1]);
  const step = (): number => {
    const loss = optimizer.minimize(
      () => tf.losses.meanSquaredError(batch, model.apply(batch, { training: true }) as tf.Tensor),
      true,
    );
    const value = loss?.dataSync()[0] ?? NaN;
    loss?.dispose();
    return value;
  };
  const first = step();
  const tensorsAfterFirst = tf.memory().numTensors;
  let last = first;
  for (let i = 0; i < 15; i++) last = step();
  assert.ok(Number.isFinite(first) && Number.isFinite(last));
  assert.ok(last < first * 0.8, `loss went from ${first} to ${last}`);
  assert.equal(tf.memory().numTensors, tensorsAfterFirst, 'tensors leaked across steps');
  batch.dispose();
  optimizer.dispose();
  model.dispose();
});

it('weight gradients of the network match the cpu backend', async () => {
  const gradientsOn = async (backend: 'cpu' | 'wasm'): Promise<Float32Array[]> => {
    await tf.setBackend(backend);
    const model = buildAutoencoder();
    // Same weights on both backends; batchnorm's moving variance must stay positive.
    const names = model.weights.map((w) => w.name);
    model.setWeights(
      model.getWeights().map((w, i) => {
        const values = randomValues(w.size, 77 + i).map((v) => v * 0.3);
        return tf.tensor(
          names[i].includes('moving_variance') ? values.map((v) => 1 + Math.abs(v)) : values,
          w.shape,
        );
      }),
    );
    const batch = tf.tensor4d(images, [8, 16, 16, 1]);
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { grads } = tf.variableGrads(
      () => tf.losses.meanSquaredError(batch, model.apply(batch, { training: false }) as tf.Tensor),
      variables,
    );
    const values = variables.map((v) => grads[v.name].dataSync() as Float32Array);
    tf.dispose(grads);
    batch.dispose();
    model.dispose();
    return values;
  };
  const cpu = await gradientsOn('cpu');
  const wasm = await gradientsOn('wasm');
  assert.equal(wasm.length, cpu.length);
  cpu.forEach((expected, i) => {
    const error = relativeError(wasm[i], expected);
    assert.ok(error < 1e-4, `gradient ${i}: relative error ${error}`);
  });
});
