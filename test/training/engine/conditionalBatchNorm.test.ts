// Conditional batch norm (cgan `generator=batchnorm`): the layer against a plain TensorFlow.js
// computation (outputs, gradients of the input and of both per-class tables, moving statistics,
// inference), its save/load round trip, and the compiled generator against the checker.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { trainableCount } from '../../../src/training/engine/compile';
import { ConditionalBatchNorm } from '../../../src/training/engine/custom/conditionalBatchNorm';
import { compileConditionalGenerator } from '../../../src/training/engine/families/cgan';
import { directoryIO } from '../../../src/training/engine/modelFiles';
import { resolveModel, useBackend } from './helpers';

const CLASSES = 3;
const EPSILON = 1e-3;
const MOMENTUM = 0.9;

function layerModel(shape: number[]): { model: tf.LayersModel; layer: ConditionalBatchNorm } {
  const x = tf.input({ shape });
  const label = tf.input({ shape: [1], dtype: 'int32' });
  const layer = new ConditionalBatchNorm({ classes: CLASSES, momentum: MOMENTUM, epsilon: EPSILON });
  const out = layer.apply([x, label]) as tf.SymbolicTensor;
  return { model: tf.model({ inputs: [x, label], outputs: out }), layer };
}

/** The label's row of a table (a one-hot product: the wasm backend cannot differentiate a gather). */
function row(table: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor2D {
  return tf.matMul(tf.oneHot(labels, CLASSES).toFloat() as tf.Tensor2D, table);
}

/** y = γ[label]·(x − μ)/√(σ² + ε) + β[label], μ and σ² over every axis but the last; autodiff'd. */
function reference(x: tf.Tensor, labels: tf.Tensor1D, gamma: tf.Tensor2D, beta: tf.Tensor2D): tf.Tensor {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const { mean, variance } = tf.moments(x, axes);
  const broadcast = [x.shape[0], ...x.shape.slice(1, -1).map(() => 1), gamma.shape[1]];
  const g = row(gamma, labels).reshape(broadcast);
  const b = row(beta, labels).reshape(broadcast);
  return x.sub(mean).div(variance.add(EPSILON).sqrt()).mul(g).add(b);
}

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, tol = 1e-4): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < actual.length; i++)
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= tol * (1 + Math.abs(expected[i])),
      `${what}[${i}]: ${actual[i]} vs ${expected[i]}`,
    );
}

describe('conditional batch norm', () => {
  before(useBackend);
  let dir = '';
  before(() => (dir = mkdtempSync(join(tmpdir(), 'gan-cbn-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const shape of [[3, 3, 2], [5]]) {
    it(`matches the plain computation on [batch, ${shape.join(', ')}]: outputs, gradients, moving statistics`, () => {
      const { model, layer } = layerModel(shape);
      const channels = shape[shape.length - 1];
      const [gammaVar, betaVar, movingMean, movingVariance] = layer.weights;
      assert.deepEqual(
        layer.weights.map((w) => [w.shape, w.trainable]),
        [
          [[CLASSES, channels], true],
          [[CLASSES, channels], true],
          [[channels], false],
          [[channels], false],
        ],
      );
      // Initialised to the identity for every class: γ = 1, β = 0.
      assert.deepEqual(Array.from(gammaVar.read().dataSync()), new Array(CLASSES * channels).fill(1));
      assert.deepEqual(Array.from(betaVar.read().dataSync()), new Array(CLASSES * channels).fill(0));
      const gamma = tf.randomNormal([CLASSES, channels], 1, 0.5, 'float32', 1) as tf.Tensor2D;
      const beta = tf.randomNormal([CLASSES, channels], 0, 0.5, 'float32', 2) as tf.Tensor2D;
      gammaVar.write(gamma);
      betaVar.write(beta);
      const batch = 6;
      const x = tf.randomNormal([batch, ...shape], 1, 2, 'float32', 3);
      const labels = tf.tensor1d([0, 2, 1, 2, 2, 0], 'int32');
      const label = labels.reshape([batch, 1]);
      const mix = tf.randomNormal([batch, ...shape], 0, 1, 'float32', 4);

      const ours = tf.tidy(() => {
        const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
        const loss = (input: tf.Tensor): tf.Scalar =>
          (model.apply([input, label], { training: true }) as tf.Tensor).mul(mix).sum() as tf.Scalar;
        const y = model.apply([x, label], { training: true }) as tf.Tensor;
        const dx = tf.grad(loss)(x);
        const { grads } = tf.variableGrads(() => loss(x), vars);
        return [y, dx, ...vars.map((v) => grads[v.name])].map((t) => Array.from(t.dataSync()));
      });
      const expected = tf.tidy(() => {
        const loss = (input: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Scalar =>
          reference(input, labels, g as tf.Tensor2D, b as tf.Tensor2D)
            .mul(mix)
            .sum() as tf.Scalar;
        const grads = tf.grads((...a: tf.Tensor[]) => loss(a[0], a[1], a[2]))([x, gamma, beta]);
        return [reference(x, labels, gamma, beta), ...grads].map((t) => Array.from(t.dataSync()));
      });
      ['output', 'dx', 'dγ', 'dβ'].forEach((what, i) => close(ours[i], expected[i], what));

      // Three training calls moved the averages from (0, 1) three times towards the batch's moments.
      const { mean, variance } = tf.moments(
        x,
        shape.map((_, i) => i),
      );
      const after3 = (start: number, value: tf.Tensor): number[] =>
        Array.from(
          value
            .sub(start)
            .mul(1 - MOMENTUM ** 3)
            .add(start)
            .dataSync(),
        );
      close(movingMean.read().dataSync(), after3(0, mean), 'moving mean');
      close(movingVariance.read().dataSync(), after3(1, variance), 'moving variance');

      // Inference: the moving statistics, then the label's row of each table.
      const inferred = tf.tidy(() => Array.from((model.predict([x, label]) as tf.Tensor).dataSync()));
      const manual = tf.tidy(() => {
        const broadcast = [batch, ...shape.slice(0, -1).map(() => 1), channels];
        const normed = x.sub(movingMean.read()).div(movingVariance.read().add(EPSILON).sqrt());
        return Array.from(
          normed
            .mul(row(gamma, labels).reshape(broadcast))
            .add(row(beta, labels).reshape(broadcast))
            .dataSync(),
        );
      });
      close(inferred, manual, 'inference');
      tf.dispose([gamma, beta, x, labels, label, mix, mean, variance]);
      model.dispose();
    });
  }

  it('saves in the layers format and loads back with tf.loadLayersModel', async () => {
    const { model, layer } = layerModel([2, 2, 3]);
    tf.tidy(() => {
      layer.weights[0].write(tf.randomNormal([CLASSES, 3], 1, 0.3, 'float32', 8));
      layer.weights[1].write(tf.randomNormal([CLASSES, 3], 0, 0.3, 'float32', 9));
      model.apply(
        [
          tf.randomNormal([4, 2, 2, 3], 0, 1, 'float32', 10),
          tf.tensor2d([[0], [1], [2], [1]], [4, 1], 'int32'),
        ],
        {
          training: true,
        },
      );
    });
    await model.save(directoryIO(dir));
    const loaded = await tf.loadLayersModel(directoryIO(dir));
    const [a, b] = tf.tidy(() => {
      const inputs = [
        tf.linspace(-1, 1, 36).reshape([3, 2, 2, 3]),
        tf.tensor2d([[2], [0], [1]], [3, 1], 'int32'),
      ];
      return [
        (model.predict(inputs) as tf.Tensor).arraySync(),
        (loaded.predict(inputs) as tf.Tensor).arraySync(),
      ];
    });
    assert.deepEqual(b, a);
    assert.equal(loaded.layers[2].getClassName(), 'GanStudioConditionalBatchNorm');
    model.dispose();
    loaded.dispose();
  });

  it('conditions every batch norm of a generator=batchnorm generator, with the checker’s shapes and parameter count', () => {
    const model = resolveModel(`
model cbn: cgan {
  data shapes size=8x8 channels=1 { scale [-1, 1]; batch 8 }
  latent 6
  condition classes=3 generator=batchnorm
  generator {
    dense 4*4*8 bias=false
    batchnorm
    leakyrelu
    reshape [4, 4, 8]
    residual { conv 8 kernel=3 norm=batch activation=relu }
    deconv 1 kernel=4 stride=2 activation=tanh
  }
  discriminator { flatten; dense 16; leakyrelu; dense 1 }
  loss nonsaturating
  optimizer adam lr=1e-3
  train { steps 1; seed 2 }
  sample { every 1; grid 3x2 }
}`);
    const network = model.networks.generator;
    assert.ok(network && model.condition && model.latent);
    assert.deepEqual(network.inputShape, [6], 'z alone');
    const compiled = compileConditionalGenerator(network, model.condition, model.latent.size, 'generator', 2);
    try {
      const norms = compiled.model.layers.filter((l) => l instanceof ConditionalBatchNorm);
      assert.equal(norms.length, 2);
      assert.equal(compiled.model.layers.filter((l) => l.getClassName() === 'GanStudioBatchNorm').length, 0);
      assert.equal(trainableCount(compiled.model), network.paramCount);
      for (const { layer, shape } of compiled.shapes) assert.deepEqual(shape, [...layer.outputShape]);
    } finally {
      compiled.model.dispose();
    }
  });
});
