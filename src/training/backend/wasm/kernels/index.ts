// The project's own wasm kernels: a missing gradient kernel and faster versions of slow ones.
// Registered before the wasm backend is (re)selected, so that their setup functions run.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { conv2DBackpropFilterConfig } from './conv2dBackpropFilter';
import { conv2DBackpropInputConfig } from './conv2dBackpropInput';
import { withExplicitTransposes } from './matMul';

/** Kernel names this module provides or replaces for the wasm backend. */
export const projectWasmKernels = [
  tf.Conv2DBackpropFilter,
  tf.Conv2DBackpropInput,
  tf.BatchMatMul,
  tf._FusedMatMul,
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
}

function replaceKernel(config: tf.KernelConfig): void {
  if (tf.getKernel(config.kernelName, config.backendName))
    tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel(config);
}
