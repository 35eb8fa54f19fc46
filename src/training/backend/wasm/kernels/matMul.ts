// BatchMatMul / _FusedMatMul with a transposed operand fall back to a slow blocked loop in the
// wasm backend (only the untransposed case reaches XNNPACK). Transposing explicitly first and
// calling the original kernel untransposed is much faster; the backward pass of every dense layer
// multiplies by transposed operands.
import * as tf from '@tensorflow/tfjs';
import { release, transposeInner, type WasmKernelArgs } from './kernelCalls';

export function withExplicitTransposes(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: WasmKernelArgs): tf.TensorInfo | tf.TensorInfo[] => {
    const { backend } = args;
    const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
    if (!transposeA && !transposeB) return original.kernelFunc(args);
    const { a, b } = args.inputs as unknown as { a: tf.TensorInfo; b: tf.TensorInfo };
    const aPlain = transposeA ? transposeInner(backend, a) : a;
    const bPlain = transposeB ? transposeInner(backend, b) : b;
    const result = original.kernelFunc({
      inputs: { ...args.inputs, a: aPlain, b: bPlain },
      backend,
      attrs: { ...args.attrs, transposeA: false, transposeB: false },
    });
    if (transposeA) release(backend, aPlain);
    if (transposeB) release(backend, bPlain);
    return result;
  };
  return { ...original, kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}
