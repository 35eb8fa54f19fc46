// LeakyRelu and its gradient on fast kernels. The stock wasm LeakyRelu is a scalar loop (~30x
// slower than Relu), and its gradient, where(x > 0, dy, alpha·dy), runs Greater and Select, both
// scalar loops with broadcasting. Both rewrites give the same float32 values (NaN and the sign
// of zero aside):
//   leakyRelu(x) = relu(x) − alpha·relu(−x)   (one term is exactly zero)
//   dx = dy · step(x, alpha)                   (step is 1 where x > 0, else alpha)
import * as tf from '@tensorflow/tfjs';
import { callWasmKernel, heapFloats, release, type WasmKernelArgs } from './kernelCalls';

function leakyRelu(args: WasmKernelArgs, original: tf.KernelConfig): tf.TensorInfo | tf.TensorInfo[] {
  const { backend } = args;
  const { x } = args.inputs as unknown as { x: tf.TensorInfo };
  const { alpha } = args.attrs as unknown as tf.LeakyReluAttrs;
  if (x.dtype !== 'float32') return original.kernelFunc(args);
  const alphaScalar = backend.makeOutput([], 'float32');
  heapFloats(backend, alphaScalar)[0] = alpha;
  const positive = callWasmKernel(tf.Relu, backend, { x });
  const negated = callWasmKernel(tf.Neg, backend, { x });
  const negativePart = callWasmKernel(tf.Relu, backend, { x: negated });
  const scaled = callWasmKernel(tf.Multiply, backend, { a: negativePart, b: alphaScalar });
  const out = callWasmKernel(tf.Sub, backend, { a: positive, b: scaled });
  release(backend, alphaScalar, positive, negated, negativePart, scaled);
  return out;
}

export function withFastLeakyRelu(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: WasmKernelArgs): tf.TensorInfo | tf.TensorInfo[] => leakyRelu(args, original);
  return { ...original, kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}

/** Gradients are shared by every backend; this one gives the same values as tfjs's on all of them. */
export const leakyReluGradConfig: tf.GradConfig = {
  kernelName: tf.LeakyRelu,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const { alpha } = attrs as unknown as tf.LeakyReluAttrs;
    const single = Array.isArray(dy) ? dy[0] : dy;
    return { x: () => tf.mul(single, tf.step(x, alpha)) };
  },
};
