// Composing wasm kernels inside a kernel: call the registered kernel functions directly (no engine
// bookkeeping, no gradient tape) and release every intermediate result ourselves.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export type WasmKernelArgs = { inputs: tf.NamedTensorInfoMap; backend: BackendWasm; attrs: tf.NamedAttrMap };

export function callWasmKernel(
  kernelName: string,
  backend: BackendWasm,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap = {},
): tf.TensorInfo {
  const config = tf.getKernel(kernelName, 'wasm');
  if (!config) throw new Error(`wasm kernel ${kernelName} is not registered`);
  const result = config.kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(result)) throw new Error(`wasm kernel ${kernelName} returned several tensors`);
  return result;
}

export function release(backend: BackendWasm, ...infos: tf.TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

export function transpose(backend: BackendWasm, x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
  return callWasmKernel(tf.Transpose, backend, { x }, { perm });
}

export function reshape(backend: BackendWasm, x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  return callWasmKernel(tf.Reshape, backend, { x }, { shape });
}

/** Swaps the last two axes. */
export function transposeInner(backend: BackendWasm, x: tf.TensorInfo): tf.TensorInfo {
  const rank = x.shape.length;
  const perm = x.shape.map((_, axis) => axis);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return transpose(backend, x, perm);
}

/** Spatial padding of an NHWC tensor; negative amounts mean rows/columns to drop. */
export interface Padding2D {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** Drops the rows/columns of negative padding so that what remains is non-negative padding.
 *  Returns null when nothing needs dropping. */
export function cropNegativePadding(
  backend: BackendWasm,
  x: tf.TensorInfo,
  padding: Padding2D,
): { cropped: tf.TensorInfo | null; padding: Padding2D } {
  const { top, bottom, left, right } = padding;
  if (top >= 0 && bottom >= 0 && left >= 0 && right >= 0) return { cropped: null, padding };
  const [n, h, w, c] = x.shape;
  const dropTop = Math.max(0, -top);
  const dropLeft = Math.max(0, -left);
  const keepH = h - dropTop - Math.max(0, -bottom);
  const keepW = w - dropLeft - Math.max(0, -right);
  const cropped = callWasmKernel(
    tf.Slice,
    backend,
    { x },
    { begin: [0, dropTop, dropLeft, 0], size: [n, keepH, keepW, c] },
  );
  return {
    cropped,
    padding: {
      top: Math.max(0, top),
      bottom: Math.max(0, bottom),
      left: Math.max(0, left),
      right: Math.max(0, right),
    },
  };
}

/** A float32 view of a tensor's data on the wasm heap. Take it after the last allocation: growing
 *  the heap replaces its buffer. */
export function heapFloats(backend: BackendWasm, x: tf.TensorInfo): Float32Array {
  const view = backend.typedArrayFromHeap(x);
  if (!(view instanceof Float32Array)) throw new Error(`expected a float32 tensor, got ${x.dtype}`);
  return view;
}
