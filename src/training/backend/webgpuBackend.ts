// WebGPU through Dawn's Node bindings (npm `webgpu`) and @tensorflow/tfjs-backend-webgpu: a
// CUDA-free GPU path (Vulkan, Metal, D3D12). `auto` takes only a hardware adapter: a software one
// (SwiftShader, lavapipe/llvmpipe) is far slower than wasm. Asked for by name, a software adapter
// runs with a warning: that is how CI checks the backend's numerics without a GPU.
import * as tf from '@tensorflow/tfjs';
import { errorText, loadModule, resolveOptionalModule } from './optionalModules';

export const webgpuPackages = { dawn: 'webgpu', backend: '@tensorflow/tfjs-backend-webgpu' } as const;

/** The parts of the WebGPU API used here. */
interface AdapterInfo {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
  readonly isFallbackAdapter?: boolean;
  readonly adapterType?: string;
}
interface Adapter {
  readonly info?: AdapterInfo;
  readonly isFallbackAdapter?: boolean;
  requestAdapterInfo?(): Promise<AdapterInfo>;
}
interface Gpu {
  requestAdapter(options?: { powerPreference?: string }): Promise<Adapter | null>;
}
interface DawnModule {
  create(flags: string[]): Gpu;
  globals?: Record<string, unknown>;
}

export interface WebGpuAdapterReport {
  readonly name: string;
  readonly software: boolean;
}

const softwareAdapter = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render|\bcpu\b/i;

let gpu: Gpu | null = null;

/** Dawn's GPU object (loaded once per process), also exposed as navigator.gpu for tfjs. */
function dawnGpu(extraModulePaths: readonly string[]): Gpu {
  const dawnModule = resolveOptionalModule(webgpuPackages.dawn, extraModulePaths);
  if (!dawnModule) throw new Error(notInstalledMessage(webgpuPackages.dawn));
  if (!gpu) {
    let dawn: DawnModule;
    try {
      dawn = loadModule(dawnModule) as DawnModule;
      gpu = dawn.create([]);
    } catch (error) {
      throw new Error(
        `${webgpuPackages.dawn} ${dawnModule.version ?? ''} failed to load: ${errorText(error)}`,
        {
          cause: error,
        },
      );
    }
    exposeAsNavigatorGpu(gpu, dawn.globals ?? {});
  }
  return gpu;
}

/** Every distinct adapter Dawn offers (by power preference), for the GPU check's listing. */
export async function listWebGpuAdapters(
  extraModulePaths: readonly string[],
): Promise<WebGpuAdapterReport[]> {
  const found = new Map<string, WebGpuAdapterReport>();
  for (const powerPreference of ['high-performance', 'low-power']) {
    const adapter = await dawnGpu(extraModulePaths).requestAdapter({ powerPreference });
    if (!adapter) continue;
    const report = await describeAdapter(adapter);
    found.set(report.name, report);
  }
  return [...found.values()];
}

/** Loads Dawn and asks for an adapter; throws with the reason when there is no usable one. */
export async function probeWebGpuAdapter(extraModulePaths: readonly string[]): Promise<WebGpuAdapterReport> {
  const adapter = await dawnGpu(extraModulePaths).requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    throw new Error(
      'WebGPU found no adapter: it needs a Vulkan driver on Linux (Mesa 25 or a vendor driver), Metal on macOS or D3D12 on Windows.',
    );
  }
  return describeAdapter(adapter);
}

async function describeAdapter(adapter: Adapter): Promise<WebGpuAdapterReport> {
  const info = adapter.info ?? (adapter.requestAdapterInfo ? await adapter.requestAdapterInfo() : {});
  const fields = [info.description, info.vendor, info.architecture, info.device, info.adapterType];
  const name = [info.description, info.device].find((text) => text) ?? info.vendor ?? 'unknown adapter';
  const software =
    info.isFallbackAdapter === true ||
    adapter.isFallbackAdapter === true ||
    fields.some((text) => typeof text === 'string' && softwareAdapter.test(text));
  return { name, software };
}

export interface WebGpuStartOptions {
  /** Run on a software adapter (an explicit `backend webgpu`); otherwise refuse it. */
  readonly allowSoftware: boolean;
  /** Where the slow-adapter warning goes (the worker's log). */
  readonly warn?: (message: string) => void;
}

export async function startWebGpuBackend(
  extraModulePaths: readonly string[],
  options: WebGpuStartOptions,
): Promise<{ device: string }> {
  const adapter = await probeWebGpuAdapter(extraModulePaths);
  if (adapter.software && !options.allowSoftware) {
    throw new Error(
      `WebGPU's only adapter is a software renderer (${adapter.name}); it would be slower than wasm.`,
    );
  }
  if (adapter.software) {
    (options.warn ?? console.warn)(
      `Warning: WebGPU is running on a software adapter (${adapter.name}): expect training many ` +
        'times slower than the wasm backend. Use it to check results, not for speed.',
    );
  }
  const backendModule = resolveOptionalModule(webgpuPackages.backend, extraModulePaths);
  if (!backendModule) throw new Error(notInstalledMessage(webgpuPackages.backend));
  try {
    loadModule(backendModule);
  } catch (error) {
    throw new Error(`${webgpuPackages.backend} failed to load: ${errorText(error)}`, {
      cause: error,
    });
  }
  if (!tf.findBackendFactory('webgpu')) {
    throw new Error(
      `${webgpuPackages.backend} at ${backendModule.dir} registered into another copy of @tensorflow/tfjs; ` +
        `install ${webgpuPackages.backend}@${tf.version_core} in GAN Studio's folder.`,
    );
  }
  if (!(await tf.setBackend('webgpu'))) throw new Error('tf.setBackend("webgpu") failed (see the log above)');
  return { device: `${adapter.name} (WebGPU${adapter.software ? ', software: slow' : ''})` };
}

function exposeAsNavigatorGpu(instance: Gpu, globals: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(globals)) {
    if (!(name in globalThis))
      Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  }
  const holder = globalThis as { navigator?: object };
  if (!holder.navigator) {
    Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
  }
  Object.defineProperty(holder.navigator, 'gpu', { value: instance, configurable: true });
}

export function notInstalledMessage(name: string): string {
  const other = name === webgpuPackages.dawn ? webgpuPackages.backend : webgpuPackages.dawn;
  return (
    `The 'webgpu' backend needs the npm packages ${webgpuPackages.dawn} (Dawn's Node bindings) and ${webgpuPackages.backend}; ` +
    `${name} is not installed. Install both (\`npm install ${webgpuPackages.dawn} ${webgpuPackages.backend}@${tf.version_core}\`; ` +
    `${other} too if missing). It needs a Vulkan (Linux), Metal (macOS) or D3D12 (Windows) GPU driver.`
  );
}
