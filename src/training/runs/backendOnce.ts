// A process has one TensorFlow.js backend: the first run or sample request chooses it.
import type { BackendName } from '../../language/model';
import { initBackend } from '../backend/index';
import type { BackendInfo } from '../contract';

let active: Promise<BackendInfo> | null = null;

export function ensureBackend(requested: BackendName): Promise<BackendInfo> {
  active ??= initBackend(requested);
  return active;
}
