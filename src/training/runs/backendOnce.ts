// A process has one TensorFlow.js backend: the first run or sample request chooses it.
import type { BackendName } from '../../language/model';
import { delimiter } from 'node:path';
import { initBackend } from '../backend/index';
import type { BackendInfo } from '../../protocol/training';

let active: Promise<BackendInfo> | null = null;

/** Extra folders to look for optional backends in (the editor's module-path setting). */
function extraModulePaths(): string[] {
  return (process.env.GAN_MODULE_PATHS ?? '').split(delimiter).filter(Boolean);
}

/** `threads` undefined: the engine's default policy. */
export function ensureBackend(requested: BackendName, threads?: number): Promise<BackendInfo> {
  active ??= initBackend(requested, { extraModulePaths: extraModulePaths(), threads });
  return active;
}
