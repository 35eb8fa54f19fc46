// A process has one TensorFlow.js backend: the first run or sample request chooses it.
import type { BackendName } from '../../language/model';
import { BACKENDS } from '../../language/schema/sections';
import type { RunInfo } from './runInfo';
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

/** The TensorFlow.js backend that evaluates or samples a finished run. A run the PyTorch engine
 *  trained asked its backend of PyTorch (`cpu` there is a torch device, `torch` from an exported
 *  script), not of TensorFlow.js, whose `cpu` is the plain-JavaScript reference backend: evaluating
 *  an emoji CycleGAN on it took 1153 s against 17 s on wasm. */
export function backendForRun(info: Pick<RunInfo, 'engine' | 'requestedBackend'>): BackendName {
  const requested = info.requestedBackend as BackendName;
  return info.engine || !BACKENDS.includes(requested) ? 'auto' : requested;
}
