// Identity without a copy. The engine clones every tensor it saves for the backward pass, and the
// stock wasm Identity copies the data each time (hundreds of copies per training step). Tensor
// data is never written in place, so the clone can share it by reference count, as the cpu
// backend's Identity does.
import * as tf from '@tensorflow/tfjs';
import type { WasmKernelArgs } from './kernelCalls';

function identity(args: WasmKernelArgs, original: tf.KernelConfig): tf.TensorInfo | tf.TensorInfo[] {
  const { backend } = args;
  const { x } = args.inputs as unknown as { x: tf.TensorInfo };
  if (x.dtype === 'string') return original.kernelFunc(args);
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

export function withSharedIdentity(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: WasmKernelArgs): tf.TensorInfo | tf.TensorInfo[] => identity(args, original);
  return { ...original, kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}
