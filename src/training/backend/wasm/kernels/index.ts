// The project's own wasm kernels: a missing gradient kernel and faster versions of slow ones.
// Registered before the wasm backend is (re)selected, so that their setup functions run.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { conv2DBackpropFilterConfig } from './conv2dBackpropFilter';
import { conv2DBackpropInputConfig } from './conv2dBackpropInput';
import { withSharedIdentity } from './identity';
import { withLeadingAxesReduce } from './leadingAxesReduce';
import { leakyReluGradConfig, withFastLeakyRelu } from './leakyRelu';
import { withExplicitTransposes } from './matMul';

/** Kernel names this module provides or replaces for the wasm backend. */
export const projectWasmKernels = [
  tf.Conv2DBackpropFilter,
  tf.Conv2DBackpropInput,
  tf.BatchMatMul,
  tf._FusedMatMul,
  tf.Sum,
  tf.Mean,
  tf.LeakyRelu,
  tf.Identity,
] as const;

let installed = false;

export function installWasmKernels(): void {
  if (installed) return;
  installed = true;
  replaceKernel(conv2DBackpropFilterConfig);
  replaceKernel(conv2DBackpropInputConfig);
  for (const name of [tf.BatchMatMul, tf._FusedMatMul]) {
    const original = tf.getKernel(name, 'wasm');
    if (original) replaceKernel(withExplicitTransposes(original));
  }
  const sum = tf.getKernel(tf.Sum, 'wasm');
  if (sum) replaceKernel(withLeadingAxesReduce(sum, 'sum'));
  const mean = tf.getKernel(tf.Mean, 'wasm');
  if (mean) replaceKernel(withLeadingAxesReduce(mean, 'mean'));
  const leakyRelu = tf.getKernel(tf.LeakyRelu, 'wasm');
  if (leakyRelu) replaceKernel(withFastLeakyRelu(leakyRelu));
  tf.registerGradient(leakyReluGradConfig);
  const identity = tf.getKernel(tf.Identity, 'wasm');
  if (identity) replaceKernel(withSharedIdentity(identity));
}

function replaceKernel(config: tf.KernelConfig): void {
  if (tf.getKernel(config.kernelName, config.backendName))
    tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel(config);
}
