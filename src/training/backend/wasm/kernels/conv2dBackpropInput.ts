// Conv2DBackpropInput for wasm (also the forward pass of conv2dTranspose). tfjs 4.22 ships a
// single-threaded loop; this recasts it onto XNNPACK's convolution with the spatially flipped
// filter whose in/out channels are swapped. With stride s, each of the s*s output phases
// (dx rows/columns = r mod s) is a stride-1 convolution of the gradient with every s-th filter
// tap, so no multiply is wasted on the zeros a transposed convolution would insert; each phase is
// copied straight into its rows/columns of dx. The filter taps and the interleaving are plain copy
// loops over the wasm heap: the stock Reverse, StridedSlice and Concat kernels cost more than the
// convolutions on these shapes. (Filters smaller than the stride take the simple route: spread
// the gradient out with zeros and convolve once.)
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  callWasmKernel,
  cropNegativePadding,
  heapFloats,
  release,
  reshape,
  type WasmKernelArgs,
} from './kernelCalls';
import { setupXnnConv2d, xnnConv2d } from './xnnConv2d';

function conv2DBackpropInput(args: WasmKernelArgs): tf.TensorInfo {
  const { backend } = args;
  const { dy, filter } = args.inputs as unknown as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
  if (info.dataFormat !== 'channelsLast') throw new Error('wasm Conv2DBackpropInput supports only NHWC');
  const { filterHeight, filterWidth, strideHeight, strideWidth, inHeight, inWidth } = info;
  const [, dyHeight, dyWidth] = dy.shape;
  if (info.inChannels <= maxChannelsForColumns) return byColumns(backend, dy, filter, info);
  const rows = phasesOf(filterHeight, strideHeight, info.padInfo.top, inHeight, dyHeight);
  const cols = phasesOf(filterWidth, strideWidth, info.padInfo.left, inWidth, dyWidth);
  if (rows && cols) return byPhases(backend, dy, filter, rows, cols, [inHeight, inWidth]);
  const flippedT = flippedFilterTaps(
    backend,
    filter,
    { offset: 0, stride: 1, taps: filterHeight },
    {
      offset: 0,
      stride: 1,
      taps: filterWidth,
    },
  );
  const dx = bySpreading(backend, dy, flippedT, info);
  release(backend, flippedT);
  return dx;
}

/** With this few input channels (a generator's image layer), XNNPACK's convolution produces one
 *  or a few outputs per pixel and runs far below its speed; a matrix product into patch columns,
 *  added back into place (col2im), is several times faster there. */
const maxChannelsForColumns = 4;

/** columns[p, (i, j, c)] = Σ_o dy[p, o]·filter[i, j, c, o], then dx[n, qy·s + i − padTop,
 *  qx·s + j − padLeft, c] += columns[(n, qy, qx), (i, j, c)]. */
function byColumns(
  backend: BackendWasm,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, filterHeight, filterWidth, strideHeight, strideWidth } =
    info;
  const [, dyHeight, dyWidth, outChannels] = dy.shape;
  const patchSize = filterHeight * filterWidth * inChannels;
  const positions = batchSize * dyHeight * dyWidth;
  const weights = backend.makeOutput([1, outChannels, patchSize], 'float32');
  const filterValues = heapFloats(backend, filter);
  const weightValues = heapFloats(backend, weights);
  for (let k = 0; k < patchSize; k++)
    for (let o = 0; o < outChannels; o++) weightValues[o * patchSize + k] = filterValues[k * outChannels + o];
  const dyRows = reshape(backend, dy, [1, positions, outChannels]);
  const columns = callWasmKernel(
    tf.BatchMatMul,
    backend,
    { a: dyRows, b: weights },
    { transposeA: false, transposeB: false },
  );
  release(backend, dyRows, weights);
  const dx = backend.makeOutput([batchSize, inHeight, inWidth, inChannels], 'float32');
  const source = heapFloats(backend, columns);
  const target = heapFloats(backend, dx);
  target.fill(0);
  let p = 0;
  for (let n = 0; n < batchSize; n++) {
    for (let qy = 0; qy < dyHeight; qy++) {
      for (let qx = 0; qx < dyWidth; qx++, p++) {
        let at = p * patchSize;
        for (let i = 0; i < filterHeight; i++) {
          const y = qy * strideHeight + i - info.padInfo.top;
          if (y < 0 || y >= inHeight) {
            at += filterWidth * inChannels;
            continue;
          }
          for (let j = 0; j < filterWidth; j++, at += inChannels) {
            const x = qx * strideWidth + j - info.padInfo.left;
            if (x < 0 || x >= inWidth) continue;
            const to = ((n * inHeight + y) * inWidth + x) * inChannels;
            for (let c = 0; c < inChannels; c++) target[to + c] += source[at + c];
          }
        }
      }
    }
  }
  release(backend, columns);
  return dx;
}

/** Every `stride`-th tap from `offset` along one spatial axis of the flipped filter. */
interface TapSelection {
  readonly offset: number;
  readonly stride: number;
  readonly taps: number;
}

/** taps[a, b, o, c] = flipped[rows.offset + rows.stride·a, cols.offset + cols.stride·b, o, c], where
 *  flipped[i, j, o, c] = filter[fh−1−i, fw−1−j, c, o]: the filter reversed spatially with its
 *  in/out channels swapped. One copy loop; the stock Reverse/Transpose/StridedSlice kernels
 *  take about a millisecond each on these small tensors. */
function flippedFilterTaps(
  backend: BackendWasm,
  filter: tf.TensorInfo,
  rows: TapSelection,
  cols: TapSelection,
): tf.TensorInfo {
  const [filterHeight, filterWidth, inChannels, outChannels] = filter.shape;
  const out = backend.makeOutput([rows.taps, cols.taps, outChannels, inChannels], 'float32');
  const source = heapFloats(backend, filter);
  const target = heapFloats(backend, out);
  let t = 0;
  for (let a = 0; a < rows.taps; a++) {
    const i = filterHeight - 1 - (rows.offset + rows.stride * a);
    for (let b = 0; b < cols.taps; b++) {
      const j = filterWidth - 1 - (cols.offset + cols.stride * b);
      const base = (i * filterWidth + j) * inChannels * outChannels;
      for (let o = 0; o < outChannels; o++)
        for (let c = 0; c < inChannels; c++) target[t++] = source[base + c * outChannels + o];
    }
  }
  return out;
}

/** One output phase along one spatial axis: outputs r, r+s, r+2s, ... */
interface Phase {
  /** Offset of this phase's first tap in the flipped filter; its taps are every s-th from there. */
  readonly tapOffset: number;
  readonly taps: number;
  /** Padding before the gradient (negative: rows to drop). */
  readonly padBefore: number;
  /** Padding after it, so that the phase yields exactly ceil(size / s) outputs. */
  readonly padAfter: number;
}

function phasesOf(
  filterSize: number,
  stride: number,
  padBefore: number,
  inSize: number,
  dySize: number,
): Phase[] | null {
  const outputsPerPhase = Math.ceil(inSize / stride);
  const phases: Phase[] = [];
  for (let r = 0; r < stride; r++) {
    // dx[s*q + r] = sum_j dy[q + shift - j] * w[firstTap + s*j]
    const firstTap = (r + padBefore) % stride;
    const taps = Math.ceil((filterSize - firstTap) / stride);
    if (taps <= 0) return null;
    const shift = (r + padBefore - firstTap) / stride;
    const before = taps - 1 - shift;
    phases.push({
      tapOffset: filterSize - 1 - firstTap - stride * (taps - 1),
      taps,
      padBefore: before,
      padAfter: outputsPerPhase - dySize - before + taps - 1,
    });
  }
  return phases;
}

function byPhases(
  backend: BackendWasm,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  rows: Phase[],
  cols: Phase[],
  [inHeight, inWidth]: [number, number],
): tf.TensorInfo {
  const [batch] = dy.shape;
  const inChannels = filter.shape[2];
  const strideHeight = rows.length;
  const strideWidth = cols.length;
  if (rows.length === 1 && cols.length === 1) return singlePhase(backend, dy, filter, rows[0], cols[0]);
  const dx = backend.makeOutput([batch, inHeight, inWidth, inChannels], 'float32');
  rows.forEach((row, r) => {
    cols.forEach((col, c) => {
      const taps = flippedFilterTaps(
        backend,
        filter,
        { offset: row.tapOffset, stride: strideHeight, taps: row.taps },
        { offset: col.tapOffset, stride: strideWidth, taps: col.taps },
      );
      const { cropped, padding } = cropNegativePadding(backend, dy, {
        top: row.padBefore,
        bottom: row.padAfter,
        left: col.padBefore,
        right: col.padAfter,
      });
      const phase = xnnConv2d(backend, {
        x: cropped ?? dy,
        filter: taps,
        padding,
        strides: [1, 1],
        dilations: [1, 1],
      });
      scatterPhase(backend, phase, dx, [r, c], [strideHeight, strideWidth]);
      release(backend, taps, phase, ...(cropped ? [cropped] : []));
    });
  });
  return dx;
}

/** Stride 1: one phase, which is the whole input gradient. */
function singlePhase(
  backend: BackendWasm,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  row: Phase,
  col: Phase,
): tf.TensorInfo {
  const taps = flippedFilterTaps(
    backend,
    filter,
    { offset: row.tapOffset, stride: 1, taps: row.taps },
    { offset: col.tapOffset, stride: 1, taps: col.taps },
  );
  const { cropped, padding } = cropNegativePadding(backend, dy, {
    top: row.padBefore,
    bottom: row.padAfter,
    left: col.padBefore,
    right: col.padAfter,
  });
  const dx = xnnConv2d(backend, {
    x: cropped ?? dy,
    filter: taps,
    padding,
    strides: [1, 1],
    dilations: [1, 1],
  });
  release(backend, taps, ...(cropped ? [cropped] : []));
  return dx;
}

/** dx[n, s·q + r, t·p + c, :] = phase[n, q, p, :] where inside dx (the interleaving of the phases). */
function scatterPhase(
  backend: BackendWasm,
  phase: tf.TensorInfo,
  dx: tf.TensorInfo,
  [rowPhase, colPhase]: [number, number],
  [strideHeight, strideWidth]: [number, number],
): void {
  const [batch, phaseHeight, phaseWidth, channels] = phase.shape;
  const [, inHeight, inWidth] = dx.shape;
  const source = heapFloats(backend, phase);
  const target = heapFloats(backend, dx);
  for (let n = 0; n < batch; n++) {
    for (let q = 0; q < phaseHeight; q++) {
      const y = strideHeight * q + rowPhase;
      if (y >= inHeight) break;
      const sourceRow = (n * phaseHeight + q) * phaseWidth * channels;
      const targetRow = (n * inHeight + y) * inWidth;
      for (let p = 0; p < phaseWidth; p++) {
        const x = strideWidth * p + colPhase;
        if (x >= inWidth) break;
        const from = sourceRow + p * channels;
        const to = (targetRow + x) * channels;
        for (let k = 0; k < channels; k++) target[to + k] = source[from + k];
      }
    }
  }
}

function bySpreading(
  backend: BackendWasm,
  dy: tf.TensorInfo,
  flippedT: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const { filterHeight, filterWidth, strideHeight, strideWidth, inHeight, inWidth } = info;
  const [, dyHeight, dyWidth] = dy.shape;
  const spread = spreadByStride(backend, dy, strideHeight, strideWidth);
  const { cropped, padding } = cropNegativePadding(backend, spread ?? dy, {
    top: filterHeight - 1 - info.padInfo.top,
    left: filterWidth - 1 - info.padInfo.left,
    // Exactly inHeight output rows (the spread gradient is dyHeight * stride rows tall).
    bottom: inHeight - dyHeight * strideHeight + info.padInfo.top,
    right: inWidth - dyWidth * strideWidth + info.padInfo.left,
  });
  const dx = xnnConv2d(backend, {
    x: cropped ?? spread ?? dy,
    filter: flippedT,
    padding,
    strides: [1, 1],
    dilations: [1, 1],
  });
  release(backend, ...(spread ? [spread] : []), ...(cropped ? [cropped] : []));
  return dx;
}

/** [n, h, w, c] -> [n, h*sh, w*sw, c] with each value followed by stride-1 zeros; null for stride 1. */
function spreadByStride(
  backend: BackendWasm,
  x: tf.TensorInfo,
  strideHeight: number,
  strideWidth: number,
): tf.TensorInfo | null {
  if (strideHeight === 1 && strideWidth === 1) return null;
  const [n, h, w, c] = x.shape;
  const expanded = reshape(backend, x, [n, h, 1, w, 1, c]);
  const padded = callWasmKernel(
    tf.PadV2,
    backend,
    { x: expanded },
    {
      paddings: [
        [0, 0],
        [0, 0],
        [0, strideHeight - 1],
        [0, 0],
        [0, strideWidth - 1],
        [0, 0],
      ],
      constantValue: 0,
    },
  );
  const spread = reshape(backend, padded, [n, h * strideHeight, w * strideWidth, c]);
  release(backend, expanded, padded);
  return spread;
}

export const conv2DBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  setupFunc: (backend) => setupXnnConv2d(backend as BackendWasm),
  kernelFunc: conv2DBackpropInput as unknown as tf.KernelFunc,
};
