// The project's wasm kernels against the cpu backend on random inputs: Conv2DBackpropFilter,
// Conv2DBackpropInput (and so conv2dTranspose) and BatchMatMul / _FusedMatMul with transposes,
// both called directly and through tf.grad, with two wasm threads.
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
