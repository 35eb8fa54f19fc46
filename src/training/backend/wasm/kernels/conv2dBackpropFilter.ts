// Conv2DBackpropFilter for wasm (tfjs 4.22 has none, so no conv network trains on wasm).
// The filter gradient is itself a convolution: with the input's channels as the batch and its
// batch as the channels, convolve the input by the output gradient, using the stride as dilation.
//   dW[kh, kw, ci, co] = sum_{b, oh, ow} x[b, oh*s + kh - padTop, ow*s + kw - padLeft, ci] * dy[b, oh, ow, co]
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  callWasmKernel,
  cropNegativePadding,
  heapFloats,
  release,
  reshape,
  transpose,
  type WasmKernelArgs,
} from './kernelCalls';
import { setupXnnConv2d, xnnConv2d } from './xnnConv2d';

function conv2DBackpropFilter(args: WasmKernelArgs): tf.TensorInfo {
  const { backend } = args;
  const { x, dy } = args.inputs as unknown as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
  if (info.dataFormat !== 'channelsLast') throw new Error('wasm Conv2DBackpropFilter supports only NHWC');
  const { filterHeight, filterWidth, strideHeight, strideWidth, outHeight, outWidth, inHeight, inWidth } =
    info;

  if (info.inChannels * filterHeight * filterWidth <= maxPatchSizeForMatMul)
    return byPatchMatMul(backend, x, dy, info);
  // [batch, h, w, inC] -> [inC, h, w, batch]; [batch, outH, outW, outC] -> [outH, outW, batch, outC]
  const xT = transpose(backend, x, [3, 1, 2, 0]);
  const dyT = transpose(backend, dy, [1, 2, 0, 3]);
  const { cropped, padding } = cropNegativePadding(backend, xT, {
    top: info.padInfo.top,
    left: info.padInfo.left,
    // Exactly filterHeight output rows: pad (or drop) at the far edge.
    bottom: filterHeight + (outHeight - 1) * strideHeight - inHeight - info.padInfo.top,
    right: filterWidth + (outWidth - 1) * strideWidth - inWidth - info.padInfo.left,
  });
  const gradT = xnnConv2d(backend, {
    x: cropped ?? xT,
    filter: dyT,
    padding,
    strides: [1, 1],
    dilations: [strideHeight, strideWidth],
  });
  const grad = transpose(backend, gradT, [1, 2, 0, 3]);
  release(backend, xT, dyT, gradT, ...(cropped ? [cropped] : []));
  return grad;
}

/** With few input channels (first layers), the convolution above has only filterHeight·filterWidth·inC
 *  outputs per channel and XNNPACK runs it at a fraction of its speed; a matrix product of the
 *  patches (im2col, transposed) by the output gradient is several times faster there. */
const maxPatchSizeForMatMul = 64;

/** dW[k, co] = Σ_p patches[k, p]·dy[p, co] with k = (kh, kw, ci) and p = (b, oh, ow). */
function byPatchMatMul(
  backend: BackendWasm,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const patchSize = filterHeight * filterWidth * inChannels;
  const positions = batchSize * outHeight * outWidth;
  const patches = backend.makeOutput([1, patchSize, positions], 'float32');
  const source = heapFloats(backend, x);
  const target = heapFloats(backend, patches);
  let t = 0;
  for (let kh = 0; kh < filterHeight; kh++) {
    for (let kw = 0; kw < filterWidth; kw++) {
      for (let c = 0; c < inChannels; c++) {
        for (let b = 0; b < batchSize; b++) {
          for (let oh = 0; oh < outHeight; oh++) {
            const ih = oh * strideHeight + kh - info.padInfo.top;
            if (ih < 0 || ih >= inHeight) {
              target.fill(0, t, t + outWidth);
              t += outWidth;
              continue;
            }
            const rowStart = (b * inHeight + ih) * inWidth;
            for (let ow = 0; ow < outWidth; ow++) {
              const iw = ow * strideWidth + kw - info.padInfo.left;
              target[t++] = iw >= 0 && iw < inWidth ? source[(rowStart + iw) * inChannels + c] : 0;
            }
          }
        }
      }
    }
  }
  const dyRows = reshape(backend, dy, [1, positions, outChannels]);
  const product = callWasmKernel(
    tf.BatchMatMul,
    backend,
    { a: patches, b: dyRows },
    { transposeA: false, transposeB: false },
  );
  const grad = reshape(backend, product, [filterHeight, filterWidth, inChannels, outChannels]);
  release(backend, patches, dyRows, product);
  return grad;
}

export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  setupFunc: (backend) => setupXnnConv2d(backend as BackendWasm),
  kernelFunc: conv2DBackpropFilter as unknown as tf.KernelFunc,
};
