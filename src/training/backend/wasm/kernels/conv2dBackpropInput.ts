// Conv2DBackpropInput for wasm (also the forward pass of conv2dTranspose). tfjs 4.22 ships a
// single-threaded loop; this recasts it onto XNNPACK's convolution: spread the gradient out by
// the stride (zeros between its pixels), pad it, and convolve with the spatially flipped filter
// whose in/out channels are swapped.
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

  const spread = spreadByStride(backend, dy, strideHeight, strideWidth);
  const flipped = callWasmKernel(tf.Reverse, backend, { x: filter }, { dims: [0, 1] });
  const flippedT = transpose(backend, flipped, [0, 1, 3, 2]);
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
  release(backend, flipped, flippedT, ...(spread ? [spread] : []), ...(cropped ? [cropped] : []));
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
