// A process has one TensorFlow.js backend: the first run or sample request chooses it.
// Interim: plain `cpu` until src/training/backend (initBackend) lands.
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../../language/model';
import type { BackendInfo } from '../contract';

let active: Promise<BackendInfo> | null = null;

async function initCpu(requested: BackendName): Promise<BackendInfo> {
  await tf.setBackend('cpu');
  await tf.ready();
  return { name: 'cpu', requested, device: 'CPU (plain JavaScript)', threads: 1, skipped: [] };
}

export function ensureBackend(requested: BackendName): Promise<BackendInfo> {
  active ??= initCpu(requested);
  return active;
}
