// Selects the wasm backend with the project's kernels and, where possible, several threads.
import * as tf from '@tensorflow/tfjs';
import { BackendWasm, getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { clampThreads, defaultThreads, maxWasmThreads } from '../threadsPolicy';
import { installWasmKernels } from './kernels';
import { createWasmModule, locateWasmPackage, releaseIdleWorkers } from './wasmModule';

export interface WasmBackendState {
  readonly simd: boolean;
  /** Threads XNNPACK actually uses. */
  readonly threads: number;
  /** Why fewer threads than asked for are in use, if so. */
  readonly threadsNote: string | null;
}

let started: WasmBackendState | null = null;

/** Idempotent per process: the wasm module and its threads are created once.
 *  `requestedThreads` undefined: the default policy (threadsPolicy.ts). */
export async function startWasmBackend(requestedThreads?: number): Promise<WasmBackendState> {
  installWasmKernels();
  if (started) {
    if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend could not be selected again');
    const asked = requestedThreads === undefined ? null : clampThreads(requestedThreads);
    if (asked === null || asked === started.threads) return started;
    return { ...started, threadsNote: `already started with ${started.threads} thread(s) in this process` };
  }
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const wanted = clampThreads(requestedThreads ?? defaultThreads());
  let threadsNote: string | null =
    requestedThreads !== undefined && requestedThreads > maxWasmThreads
      ? `${requestedThreads} threads asked for; the wasm backend uses at most ${maxWasmThreads}`
      : null;
  if (wanted > 1 && !simd)
    threadsNote = 'multi-threaded wasm needs WebAssembly SIMD, which this runtime lacks';
  if (wanted > 1 && simd) {
    try {
      await selectWasm({ simd, threads: wanted });
      started = { simd, threads: getThreadsCount(), threadsNote };
      return started;
    } catch (error) {
      threadsNote = `multi-threaded wasm failed (${errorText(error)}); using 1 thread`;
    }
  }
  await selectWasm({ simd, threads: 1 });
  started = { simd, threads: getThreadsCount(), threadsNote };
  return started;
}

async function selectWasm(options: { simd: boolean; threads: number }): Promise<void> {
  const files = locateWasmPackage();
  let failure: unknown = null;
  tf.removeBackend('wasm');
  tf.registerBackend(
    'wasm',
    async () => {
      try {
        const wasm = await createWasmModule({ files, ...options });
        setThreadsCount(options.threads);
        const backend = new BackendWasm(wasm);
        releaseIdleWorkers(wasm);
        return backend;
      } catch (error) {
        failure = error;
        throw error;
      }
    },
    2,
  );
  const selected = await tf.setBackend('wasm');
  if (!selected) {
    tf.removeBackend('wasm');
    throw new Error(failure !== null ? errorText(failure) : 'tf.setBackend("wasm") failed');
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
