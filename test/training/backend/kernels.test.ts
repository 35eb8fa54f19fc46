// The project's wasm kernels against the cpu backend on random inputs: Conv2DBackpropFilter,
// Conv2DBackpropInput (and so conv2dTranspose) and BatchMatMul / _FusedMatMul with transposes,
// Sum and Mean over leading axes, LeakyRelu and its gradient, a copy-free Identity,
// all called directly and through tf.grad, with two wasm threads.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/training/backend';
import { onBothBackends, randomValues, relativeError, sizeOf } from './compare';

const tolerance = 1e-4;

interface ConvCase {
  readonly x: [number, number, number, number];
  readonly filter: [number, number, number, number];
  readonly stride: number;
  readonly pad: 'same' | 'valid';
}

const convCases: ConvCase[] = [
  { x: [2, 9, 9, 3], filter: [3, 3, 3, 4], stride: 1, pad: 'same' },
  { x: [2, 9, 9, 3], filter: [3, 3, 3, 4], stride: 1, pad: 'valid' },
  { x: [2, 9, 9, 3], filter: [3, 3, 3, 4], stride: 2, pad: 'same' },
  { x: [2, 9, 9, 3], filter: [3, 3, 3, 4], stride: 2, pad: 'valid' },
  { x: [3, 8, 8, 2], filter: [4, 4, 2, 5], stride: 2, pad: 'same' },
  { x: [3, 8, 8, 2], filter: [4, 4, 2, 5], stride: 2, pad: 'valid' },
  { x: [1, 7, 6, 2], filter: [2, 2, 2, 3], stride: 2, pad: 'same' },
  { x: [4, 14, 14, 8], filter: [5, 5, 8, 6], stride: 2, pad: 'same' },
  { x: [2, 11, 13, 1], filter: [5, 3, 1, 4], stride: 1, pad: 'same' },
  // Enough input channels for the filter gradient's convolution route (fewer take the matrix product).
  { x: [2, 9, 9, 8], filter: [3, 3, 8, 4], stride: 2, pad: 'same' },
  { x: [2, 10, 10, 8], filter: [3, 3, 8, 4], stride: 1, pad: 'valid' },
];

function caseName(c: ConvCase): string {
  return `x ${c.x.join('x')}, filter ${c.filter.join('x')}, stride ${c.stride}, ${c.pad}`;
}

function assertClose(actual: Float32Array[], expected: Float32Array[], what: string): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((values, i) => {
    const error = relativeError(values, expected[i]);
    assert.ok(error < tolerance, `${what} [output ${i}]: relative error ${error}`);
  });
}

before(async () => {
  const info = await initBackend('wasm', { threads: 2 });
  assert.equal(info.name, 'wasm');
});

describe('wasm Conv2DBackpropFilter', () => {
  it('is registered for wasm', () => {
    assert.ok(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm'));
  });
  for (const [index, c] of convCases.entries()) {
    it(`matches cpu: ${caseName(c)}`, async () => {
      const convInfo = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.stride, 1, c.pad);
      const dyShape = [c.x[0], convInfo.outHeight, convInfo.outWidth, c.filter[3]];
      const { cpu, wasm } = await onBothBackends(
        [
          { shape: c.x, values: randomValues(sizeOf(c.x), 11 + index) },
          { shape: dyShape, values: randomValues(sizeOf(dyShape), 101 + index) },
        ],
        (x, dy) => [
          tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, {
            strides: c.stride,
            pad: c.pad,
            dataFormat: 'NHWC',
            filterShape: c.filter,
          } as unknown as tf.NamedAttrMap) as tf.Tensor,
        ],
      );
      assertClose(wasm, cpu, 'filter gradient');
    });
  }
});

describe('wasm Conv2DBackpropInput and conv2dTranspose', () => {
  for (const [index, c] of convCases.entries()) {
    it(`matches cpu: ${caseName(c)}`, async () => {
      const convInfo = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.stride, 1, c.pad);
      const dyShape = [c.x[0], convInfo.outHeight, convInfo.outWidth, c.filter[3]];
      const { cpu, wasm } = await onBothBackends(
        [
          { shape: dyShape, values: randomValues(sizeOf(dyShape), 21 + index) },
          { shape: c.filter, values: randomValues(sizeOf(c.filter), 201 + index) },
        ],
        (dy, filter) => [tf.conv2dTranspose(dy as tf.Tensor4D, filter as tf.Tensor4D, c.x, c.stride, c.pad)],
      );
      assertClose(wasm, cpu, 'input gradient');
    });
  }
});

describe('gradients through tf.grad', () => {
  for (const [index, c] of convCases.entries()) {
    it(`conv2d: ${caseName(c)}`, async () => {
      const { cpu, wasm } = await onBothBackends(
        [
          { shape: c.x, values: randomValues(sizeOf(c.x), 31 + index) },
          { shape: c.filter, values: randomValues(sizeOf(c.filter), 301 + index) },
        ],
        (x, filter) => {
          const loss = (a: tf.Tensor, w: tf.Tensor) =>
            tf
              .conv2d(a as tf.Tensor4D, w as tf.Tensor4D, c.stride, c.pad)
              .square()
              .sum();
          return tf.grads(loss)([x, filter]);
        },
      );
      assertClose(wasm, cpu, 'conv2d gradients');
    });

    it(`conv2dTranspose: ${caseName(c)}`, async () => {
      const convInfo = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.stride, 1, c.pad);
      const inShape = [c.x[0], convInfo.outHeight, convInfo.outWidth, c.filter[3]];
      const { cpu, wasm } = await onBothBackends(
        [
          { shape: inShape, values: randomValues(sizeOf(inShape), 41 + index) },
          { shape: c.filter, values: randomValues(sizeOf(c.filter), 401 + index) },
        ],
        (x, filter) => {
          const loss = (a: tf.Tensor, w: tf.Tensor) =>
            tf
              .conv2dTranspose(a as tf.Tensor4D, w as tf.Tensor4D, c.x, c.stride, c.pad)
              .tanh()
              .sum();
          return tf.grads(loss)([x, filter]);
        },
      );
      assertClose(wasm, cpu, 'conv2dTranspose gradients');
    });
  }
});

describe('wasm matMul with transposed operands', () => {
  const shapes: Array<[number, number, number]> = [
    [5, 7, 3],
    [64, 100, 256],
    [33, 17, 65],
  ];
  for (const [m, k, n] of shapes) {
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        it(`${m}x${k} @ ${k}x${n}, transposeA=${transposeA}, transposeB=${transposeB}`, async () => {
          const aShape = transposeA ? [k, m] : [m, k];
          const bShape = transposeB ? [n, k] : [k, n];
          const { cpu, wasm } = await onBothBackends(
            [
              { shape: aShape, values: randomValues(sizeOf(aShape), m + k) },
              { shape: bShape, values: randomValues(sizeOf(bShape), k + n) },
              { shape: [n], values: randomValues(n, 7) },
            ],
            (a, b, bias) => [
              tf.matMul(a, b, transposeA, transposeB),
              tf.fused.matMul({ a, b, transposeA, transposeB, bias, activation: 'relu' }),
            ],
          );
          assertClose(wasm, cpu, 'matMul');
        });
      }
    }
    it(`gradients of a dense layer ${m}x${k} -> ${n}`, async () => {
      const { cpu, wasm } = await onBothBackends(
        [
          { shape: [m, k], values: randomValues(m * k, 3) },
          { shape: [k, n], values: randomValues(k * n, 5) },
          { shape: [n], values: randomValues(n, 9) },
        ],
        (x, w, bias) =>
          tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
            tf.fused.matMul({ a, b, bias: c, activation: 'relu' }).square().sum(),
          )([x, w, bias]),
      );
      assertClose(wasm, cpu, 'dense gradients');
    });
  }
  it('batched matMul with transposes', async () => {
    const { cpu, wasm } = await onBothBackends(
      [
        { shape: [3, 6, 4], values: randomValues(72, 1) },
        { shape: [3, 5, 6], values: randomValues(90, 2) },
      ],
      (a, b) => [tf.matMul(a, b, true, true)],
    );
    assertClose(wasm, cpu, 'batched matMul');
  });
});

describe('wasm Sum and Mean over leading axes', () => {
  const cases: Array<{ shape: number[]; axis: number[]; keepDims: boolean }> = [
    { shape: [8, 7, 7, 16], axis: [0, 1, 2], keepDims: false },
    { shape: [8, 7, 7, 16], axis: [2, 0, 1], keepDims: true },
    { shape: [5, 6, 3], axis: [0], keepDims: false },
    { shape: [64, 33], axis: [0], keepDims: true },
    // Not leading axes: the stock kernel.
    { shape: [4, 5, 6], axis: [1, 2], keepDims: false },
    { shape: [4, 5, 6], axis: [0, 1, 2], keepDims: false },
  ];
  for (const [index, c] of cases.entries()) {
    it(`matches cpu: ${c.shape.join('x')} over [${c.axis.join(', ')}], keepDims ${c.keepDims}`, async () => {
      const { cpu, wasm } = await onBothBackends(
        [{ shape: c.shape, values: randomValues(sizeOf(c.shape), 300 + index) }],
        (x) => [x.sum(c.axis, c.keepDims), x.mean(c.axis, c.keepDims)],
      );
      assertClose(wasm, cpu, 'sum and mean');
    });
  }
});

describe('wasm LeakyRelu and its gradient', () => {
  for (const alpha of [0.2, 0.01]) {
    it(`matches tfjs's definition, alpha ${alpha}`, async () => {
      const shape = [4, 9, 9, 8];
      const values = randomValues(sizeOf(shape), 400);
      values.fill(0, 0, 20);
      const { cpu, wasm } = await onBothBackends(
        [
          { shape, values },
          { shape, values: randomValues(sizeOf(shape), 401) },
        ],
        (x, dy) => [
          tf.leakyRelu(x, alpha),
          tf.grad((input: tf.Tensor) => tf.leakyRelu(input, alpha).mul(dy).sum())(x),
          // The stock gradient's formula.
          tf.where(tf.greater(x, 0), dy, dy.mul(alpha)),
        ],
      );
      // cpu multiplies by alpha in double precision, wasm in single: equal up to rounding.
      assertClose([wasm[0], wasm[1]], [cpu[0], cpu[2]], 'leakyRelu and its gradient');
      assert.deepEqual(cpu[1], cpu[2]);
    });
  }
});

describe('wasm LeakyRelu on any rank (PReLU slopes span the last axis)', () => {
  for (const shape of [[], [7], [3, 1], [2, 3, 5]]) {
    it(`shape [${shape.join(', ')}]`, async () => {
      const values = randomValues(sizeOf(shape), 500);
      const { cpu, wasm } = await onBothBackends([{ shape, values }], (x) => [tf.leakyRelu(x, 0.3)]);
      assert.deepEqual(wasm[0].length, cpu[0].length);
      assertClose(wasm, cpu, 'leakyRelu');
    });
  }
});

describe('wasm Identity shares data', () => {
  it('a clone reads the same values and outlives its source', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const source = tf.tensor(randomValues(1000, 500), [10, 100]);
    const copy = source.clone();
    const expected = source.dataSync().slice();
    source.dispose();
    assert.deepEqual(copy.dataSync(), expected);
    copy.dispose();
    assert.equal(tf.memory().numTensors, before);
  });
});
