// The super-resolution layers against reference computations in plain loops, on the test backend
// (wasm): pixelshuffle forward (also against tf.depthToSpace) and its gradient (the inverse
// rearrangement), and prelu with its per-channel slopes, forward and both gradients.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { pixelShuffle, PixelShuffle } from '../../../src/training/engine/custom/pixelShuffle';
import { randomValues, relativeError } from '../backend/compare';
import { useBackend } from './helpers';

before(async () => {
  await useBackend();
});

/** out[n, y·f + i, x·f + j, c] = in[n, y, x, (i·f + j)·C + c]. */
function shuffleReference(values: Float32Array, [n, h, w, ch]: number[], f: number): Float32Array {
  const c = ch / (f * f);
  const out = new Float32Array(values.length);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let i = 0; i < f; i++)
          for (let j = 0; j < f; j++)
            for (let k = 0; k < c; k++)
              out[((b * h * f + y * f + i) * w * f + x * f + j) * c + k] =
                values[((b * h + y) * w + x) * ch + (i * f + j) * c + k];
  return out;
}

describe('pixelshuffle', () => {
  for (const [shape, f] of [
    [[2, 3, 4, 8], 2],
    [[3, 5, 5, 27], 3],
    [[1, 7, 7, 128], 2],
    [[4, 2, 3, 32], 4],
  ] as [number[], number][]) {
    it(`rearranges ${shape.join('x')} by ${f} as the reference and tf.depthToSpace do`, async () => {
      const values = randomValues(
        shape.reduce((a, b) => a * b, 1),
        7 + f,
      );
      const x = tf.tensor4d(values, shape as [number, number, number, number]);
      const ours = await pixelShuffle(x, f).data();
      assert.equal(relativeError(ours, shuffleReference(values, shape, f)), 0);
      assert.equal(relativeError(ours, await tf.depthToSpace(x, f).data()), 0);
    });

    it(`passes the gradient back through the inverse rearrangement (${shape.join('x')} by ${f})`, async () => {
      const size = shape.reduce((a, b) => a * b, 1);
      const values = randomValues(size, 3);
      const weights = randomValues(size, 5);
      const [n, h, w, c] = shape;
      const outShape = [n, h * f, w * f, c / (f * f)];
      const grad = tf.grad((t: tf.Tensor) =>
        pixelShuffle(t as tf.Tensor4D, f)
          .mul(tf.tensor(weights, outShape))
          .sum(),
      )(tf.tensor4d(values, shape as [number, number, number, number]));
      // d/dx sum(w · shuffle(x)) = unshuffle(w): shuffling it back must give w.
      const back = shuffleReference((await grad.data()) as Float32Array, shape, f);
      assert.equal(relativeError(back, weights), 0);
    });
  }

  it('is a layer with the shape function of the schema', () => {
    const input = tf.input({ shape: [5, 6, 36] });
    const out = new PixelShuffle({ factor: 3 }).apply(input) as tf.SymbolicTensor;
    assert.deepEqual(out.shape, [null, 15, 18, 4]);
  });
});

describe('prelu', () => {
  it('applies one learned slope per channel, shared over height and width, with its gradients', async () => {
    const [n, h, w, c] = [2, 3, 4, 5];
    const values = randomValues(n * h * w * c, 11);
    const slopes = Float32Array.from({ length: c }, (_, k) => 0.1 * (k + 1));
    const layer = tf.layers.prelu({ sharedAxes: [1, 2] });
    const input = tf.input({ shape: [h, w, c] });
    const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
    layer.setWeights([tf.tensor(slopes, [1, 1, c])]);
    const x = tf.tensor4d(values, [n, h, w, c]);
    const out = await (model.predict(x) as tf.Tensor).data();
    const expected = values.map((v, i) => (v > 0 ? v : slopes[i % c] * v));
    assert.ok(relativeError(out, expected) < 1e-6);

    const alpha = layer.trainableWeights[0].read() as tf.Variable;
    const { grads } = tf.variableGrads(
      () => (model.apply(x) as tf.Tensor).square().sum() as tf.Scalar,
      [alpha],
    );
    const slopeGrad = await grads[alpha.name].data();
    const reference = new Float64Array(c);
    values.forEach((v, i) => {
      if (v <= 0) reference[i % c] += 2 * slopes[i % c] * v * v;
    });
    assert.ok(relativeError(slopeGrad, reference) < 1e-5, `${slopeGrad} vs ${reference}`);
    const inputGrad = await tf
      .grad((t: tf.Tensor) => (model.apply(t) as tf.Tensor).sum())(x)
      .data();
    assert.ok(
      relativeError(
        inputGrad,
        values.map((v, i) => (v > 0 ? 1 : slopes[i % c])),
      ) < 1e-6,
    );
  });
});
