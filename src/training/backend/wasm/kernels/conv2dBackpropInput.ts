// Conv2DBackpropInput for wasm (also the forward pass of conv2dTranspose). tfjs 4.22 ships a
// single-threaded loop; this recasts it onto XNNPACK's convolution with the spatially flipped
// filter whose in/out channels are swapped. With stride s, each of the s*s output phases
// (dx rows/columns = r mod s) is a stride-1 convolution of the gradient with every s-th filter
// tap, so no multiply is wasted on the zeros a transposed convolution would insert; the phases
// are then interleaved. (Filters smaller than the stride take the simple route: spread the
// gradient out with zeros and convolve once.)
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  callWasmKernel,
  cropNegativePadding,
  release,
  reshape,
  transpose,
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
  const flipped = callWasmKernel(tf.Reverse, backend, { x: filter }, { dims: [0, 1] });
  const flippedT = transpose(backend, flipped, [0, 1, 3, 2]);
  release(backend, flipped);
  const rows = phasesOf(filterHeight, strideHeight, info.padInfo.top, inHeight, dyHeight);
  const cols = phasesOf(filterWidth, strideWidth, info.padInfo.left, inWidth, dyWidth);
  const dx =
    rows && cols
      ? byPhases(backend, dy, flippedT, rows, cols, [inHeight, inWidth])
      : bySpreading(backend, dy, flippedT, info);
  release(backend, flippedT);
  return dx;
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
  flippedT: tf.TensorInfo,
  rows: Phase[],
  cols: Phase[],
  [inHeight, inWidth]: [number, number],
): tf.TensorInfo {
  const [batch] = dy.shape;
  const [, , outChannels, inChannels] = flippedT.shape;
  const strideHeight = rows.length;
  const strideWidth = cols.length;
  const phaseHeight = Math.ceil(inHeight / strideHeight);
  const phaseWidth = Math.ceil(inWidth / strideWidth);
  const rowParts: tf.TensorInfo[] = [];
  for (const row of rows) {
    const parts: tf.TensorInfo[] = [];
    for (const col of cols) {
      const taps = callWasmKernel(
        tf.StridedSlice,
        backend,
        { x: flippedT },
        {
          begin: [row.tapOffset, col.tapOffset, 0, 0],
          end: [
            row.tapOffset + strideHeight * (row.taps - 1) + 1,
            col.tapOffset + strideWidth * (col.taps - 1) + 1,
            outChannels,
            inChannels,
          ],
          strides: [strideHeight, strideWidth, 1, 1],
          beginMask: 0,
          endMask: 0,
          ellipsisMask: 0,
          newAxisMask: 0,
          shrinkAxisMask: 0,
        },
      );
      const { cropped, padding } = cropNegativePadding(backend, dy, {
        top: row.padBefore,
        bottom: row.padAfter,
        left: col.padBefore,
        right: col.padAfter,
      });
      const out = xnnConv2d(backend, {
        x: cropped ?? dy,
        filter: taps,
        padding,
        strides: [1, 1],
        dilations: [1, 1],
      });
      parts.push(reshape(backend, out, [batch, phaseHeight, 1, phaseWidth, 1, inChannels]));
      release(backend, taps, out, ...(cropped ? [cropped] : []));
    }
    rowParts.push(concat(backend, parts, 4));
    release(backend, ...parts);
  }
  const interleaved = concat(backend, rowParts, 2);
  release(backend, ...rowParts);
  const full = reshape(backend, interleaved, [
    batch,
    phaseHeight * strideHeight,
    phaseWidth * strideWidth,
    inChannels,
  ]);
  release(backend, interleaved);
  if (full.shape[1] === inHeight && full.shape[2] === inWidth) return full;
  const dx = callWasmKernel(
    tf.Slice,
    backend,
    { x: full },
    { begin: [0, 0, 0, 0], size: [batch, inHeight, inWidth, inChannels] },
  );
  release(backend, full);
  return dx;
}

function concat(backend: BackendWasm, parts: tf.TensorInfo[], axis: number): tf.TensorInfo {
  if (parts.length === 1) return reshape(backend, parts[0], parts[0].shape);
  return callWasmKernel(tf.Concat, backend, parts as unknown as tf.NamedTensorInfoMap, { axis });
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
