// Sum and Mean over the leading axes (every axis but the channels: bias and batch-norm gradients,
// per-channel statistics). The stock wasm kernels first transpose the reduced axes to the end,
// which costs more than the sum itself; here one pass adds each row into per-channel totals.
// Other reductions go to the stock kernel.
import * as tf from '@tensorflow/tfjs';
import { heapFloats, type WasmKernelArgs } from './kernelCalls';

type Reduction = 'sum' | 'mean';

export function withLeadingAxesReduce(original: tf.KernelConfig, reduction: Reduction): tf.KernelConfig {
  const kernelFunc = (args: WasmKernelArgs): tf.TensorInfo | tf.TensorInfo[] => {
    const { backend } = args;
    const { x } = args.inputs as unknown as { x: tf.TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
    const leading = leadingAxesCount(x.shape, axis);
    if (x.dtype !== 'float32' || leading === null) return original.kernelFunc(args);
    const kept = x.shape.slice(leading);
    const outShape = keepDims ? [...x.shape.slice(0, leading).map(() => 1), ...kept] : kept;
    const out = backend.makeOutput(outShape, 'float32');
    const width = kept.reduce((a, b) => a * b, 1);
    const rows = width === 0 ? 0 : tf.util.sizeFromShape(x.shape) / width;
    const totals = columnSums(heapFloats(backend, x), rows, width);
    const target = heapFloats(backend, out);
    const scale = reduction === 'mean' && rows > 0 ? 1 / rows : 1;
    for (let k = 0; k < width; k++) target[k] = totals[k] * scale;
    return out;
  };
  return { ...original, kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}

/** Σ over rows of a row-major [rows, width] matrix, column by column with four partial sums
 *  (about twice as fast in V8 as adding whole rows into the totals). */
function columnSums(source: Float32Array, rows: number, width: number): Float64Array {
  const totals = new Float64Array(width);
  const end = rows * width;
  for (let k = 0; k < width; k++) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let at = k;
    for (; at + 3 * width < end; at += 4 * width) {
      s0 += source[at];
      s1 += source[at + width];
      s2 += source[at + 2 * width];
      s3 += source[at + 3 * width];
    }
    for (; at < end; at += width) s0 += source[at];
    totals[k] = s0 + s1 + (s2 + s3);
  }
  return totals;
}

/** k when the reduced axes are exactly 0..k−1 with 0 < k < rank; otherwise null. */
function leadingAxesCount(shape: number[], axis: number | number[]): number | null {
  const rank = shape.length;
  const axes = [...new Set((Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a)))].sort(
    (a, b) => a - b,
  );
  if (axes.length === 0 || axes.length >= rank) return null;
  return axes.every((a, i) => a === i) ? axes.length : null;
}
