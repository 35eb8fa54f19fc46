// Direct access to the wasm backend's XNNPACK convolution with explicit padding, any stride and
// dilation together (the Conv2D kernel's JS side only passes what tf.conv2d allows).
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { Padding2D } from './kernelCalls';

type WasmConv2D = (...args: number[]) => void;
type CWrap = (name: string, returnType: null, argTypes: string[]) => WasmConv2D;

let wasmConv2d: WasmConv2D | null = null;

export function setupXnnConv2d(backend: BackendWasm): void {
  const cwrap = (backend.wasm as unknown as { cwrap: CWrap }).cwrap;
  wasmConv2d = cwrap(tf.Conv2D, null, new Array<string>(19).fill('number'));
}

export interface XnnConv2dCall {
  /** NHWC input. */
  readonly x: tf.TensorInfo;
  /** [filterHeight, filterWidth, inChannels, outChannels]. */
  readonly filter: tf.TensorInfo;
  /** Non-negative explicit padding. */
  readonly padding: Padding2D;
  readonly strides: readonly [number, number];
  readonly dilations: readonly [number, number];
}

export function xnnConv2d(backend: BackendWasm, call: XnnConv2dCall): tf.TensorInfo {
  if (!wasmConv2d) throw new Error('wasm Conv2D is not set up (initialise the wasm backend first)');
  const { x, filter, padding, strides, dilations } = call;
  const [batch, inHeight, inWidth, inChannels] = x.shape;
  const [filterHeight, filterWidth, filterIn, outChannels] = filter.shape;
  if (filterIn !== inChannels)
    throw new Error(`conv: filter expects ${filterIn} channels, input has ${inChannels}`);
  const outHeight = outputSize(
    inHeight + padding.top + padding.bottom,
    filterHeight,
    strides[0],
    dilations[0],
  );
  const outWidth = outputSize(inWidth + padding.left + padding.right, filterWidth, strides[1], dilations[1]);
  const out = backend.makeOutput([batch, outHeight, outWidth, outChannels], 'float32');
  wasmConv2d(
    backend.dataIdMap.get(x.dataId).id,
    batch,
    inHeight,
    inWidth,
    backend.dataIdMap.get(filter.dataId).id,
    filterHeight,
    filterWidth,
    padding.top,
    padding.right,
    padding.bottom,
    padding.left,
    0, // not TensorFlow SAME padding: the explicit amounts above apply
    dilations[0],
    dilations[1],
    strides[0],
    strides[1],
    inChannels,
    outChannels,
    backend.dataIdMap.get(out.dataId).id,
  );
  return out;
}

function outputSize(paddedSize: number, filterSize: number, stride: number, dilation: number): number {
  const effectiveFilter = (filterSize - 1) * dilation + 1;
  return Math.floor((paddedSize - effectiveFilter) / stride) + 1;
}
