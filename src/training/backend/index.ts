// Chooses and starts the TensorFlow.js backend for training (process-global in tfjs).
import * as tf from '@tensorflow/tfjs';
// The cpu backend's kernel corrections register themselves on import.
import './cpuKernelFixes';
import type { BackendName } from '../../language/model';
import type { BackendInfo } from '../../protocol/training';
import { nativePackage, startNativeBackend, type NativeKind } from './nativeBackend';
import { errorText, resolveOptionalModule } from './optionalModules';
import { startWasmBackend } from './wasm/wasmBackend';
import { startWebGpuBackend, webgpuPackages } from './webgpuBackend';

export { describeGpuSupport } from './gpuSupport';
export type { BackendAvailability, GpuSupportOptions, GpuSupportReport, PackageStatus } from './gpuSupport';
export { defaultThreads } from './threadsPolicy';

export interface InitBackendOptions {
  /** wasm threads; default: threadsPolicy.ts (physical cores, at most 8). */
  readonly threads?: number;
  /** Extra folders to look for the optional native/WebGPU packages in (a user setting). */
  readonly extraModulePaths?: readonly string[];
}

export async function initBackend(
  requested: BackendName,
  opts: InitBackendOptions = {},
): Promise<BackendInfo> {
  const extra = opts.extraModulePaths ?? [];
  switch (requested) {
    case 'cpu':
      return startCpu(requested, []);
    case 'wasm':
      return startWasm(requested, [], opts.threads);
    case 'gpu':
    case 'node':
      return startNative(requested, requested, extra, []);
    case 'webgpu':
      return {
        requested,
        skipped: [],
        threads: 1,
        name: 'webgpu',
        ...(await startWebGpuBackend(extra, { allowSoftware: true })),
      };
    case 'auto':
      return startAuto(opts);
  }
}

const shortName: Record<NativeKind, string> = { gpu: 'tfjs-node-gpu', node: 'tfjs-node' };

/** GPU (CUDA), GPU (WebGPU, hardware adapters only), native CPU, wasm, then plain JavaScript. */
async function startAuto(opts: InitBackendOptions): Promise<BackendInfo> {
  const extra = opts.extraModulePaths ?? [];
  const skipped: string[] = [];
  const attempt = async (label: string, start: () => Promise<BackendInfo>): Promise<BackendInfo | null> => {
    try {
      return await start();
    } catch (error) {
      skipped.push(`${label}: ${firstLine(errorText(error))}`);
      return null;
    }
  };
  const nativeInstalled = (kind: NativeKind): boolean => {
    const installed = resolveOptionalModule(nativePackage[kind], extra) !== null;
    if (!installed) skipped.push(`${shortName[kind]}: not installed`);
    return installed;
  };

  if (nativeInstalled('gpu')) {
    const gpu = await attempt(shortName.gpu, () => startNative('auto', 'gpu', extra, skipped));
    if (gpu) return gpu;
  }
  const webgpuMissing = [webgpuPackages.dawn, webgpuPackages.backend].filter(
    (name) => resolveOptionalModule(name, extra) === null,
  );
  if (webgpuMissing.length) skipped.push(`webgpu: not installed (${webgpuMissing.join(', ')})`);
  else {
    const webgpu = await attempt('webgpu', async () => ({
      name: 'webgpu',
      requested: 'auto',
      threads: 1,
      skipped: [...skipped],
      ...(await startWebGpuBackend(extra, { allowSoftware: false })),
    }));
    if (webgpu) return webgpu;
  }
  if (nativeInstalled('node')) {
    const node = await attempt(shortName.node, () => startNative('auto', 'node', extra, skipped));
    if (node) return node;
  }
  const wasm = await attempt('wasm', () => startWasm('auto', skipped, opts.threads));
  return wasm ?? startCpu('auto', skipped);
}

async function startNative(
  requested: BackendName,
  kind: NativeKind,
  extra: readonly string[],
  skipped: readonly string[],
): Promise<BackendInfo> {
  const started = await startNativeBackend(kind, extra);
  return {
    name: 'tensorflow',
    requested,
    device: started.device,
    threads: started.threads,
    skipped: [...skipped],
  };
}

async function startWasm(
  requested: BackendName,
  skipped: readonly string[],
  threads: number | undefined,
): Promise<BackendInfo> {
  const state = await startWasmBackend(threads);
  const features = [
    state.simd ? 'SIMD' : 'no SIMD',
    `${state.threads} thread${state.threads === 1 ? '' : 's'}`,
  ];
  return {
    name: 'wasm',
    requested,
    device: `CPU (wasm, ${features.join(', ')})`,
    threads: state.threads,
    skipped: state.threadsNote ? [...skipped, `wasm threads: ${state.threadsNote}`] : [...skipped],
  };
}

async function startCpu(requested: BackendName, skipped: readonly string[]): Promise<BackendInfo> {
  if (!(await tf.setBackend('cpu'))) throw new Error('the TensorFlow.js cpu backend could not be started');
  return { name: 'cpu', requested, device: 'CPU (JavaScript)', threads: 1, skipped: [...skipped] };
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}
