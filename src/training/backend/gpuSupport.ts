// "Check GPU backend": what could accelerate training here, and for each option why it does or
// does not work and how to fix it. Static by default (files only); `load: true` also loads the
// installed packages to see whether they really start (without switching the current backend).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describeCudaProbe, probeCuda, type CudaProbe } from './cudaProbe';
import { findGpus, type GpuDevice } from './gpuDevices';
import { gpuNextStep, type BackendVerdict } from './gpuNextStep';
import {
  installCommand,
  loadFailedMessage,
  nativePackage,
  notInstalledMessage,
  type NativeKind,
} from './nativeBackend';
import { errorText, loadModule, resolveOptionalModule, type ResolvedModule } from './optionalModules';
import { probeWebGpuAdapter, webgpuPackages } from './webgpuBackend';

export interface PackageStatus {
  readonly name: string;
  readonly installed: boolean;
  readonly version: string | null;
  readonly location: string | null;
}

export interface BackendAvailability {
  readonly backend: 'gpu' | 'webgpu' | 'node';
  readonly packages: readonly PackageStatus[];
  /** True/false once tried; null when not tried (static check only, or a static problem). */
  readonly loads: boolean | null;
  /** What it would run on, when known. */
  readonly device: string | null;
  /** Why it cannot be used, or null when nothing is known to be wrong. */
  readonly problem: string | null;
  /** What to do about the problem. */
  readonly fix: string | null;
}

export interface GpuSupportReport {
  readonly platform: string;
  readonly cuda: CudaProbe;
  /** GPUs the machine has (files only). */
  readonly gpus: readonly GpuDevice[];
  /** What to do when a GPU exists but no GPU backend reaches it; null otherwise. */
  readonly nextStep: string | null;
  readonly backends: readonly BackendAvailability[];
  /** The whole report as text lines. */
  readonly lines: readonly string[];
}

export interface GpuSupportOptions {
  readonly extraModulePaths?: readonly string[];
  /** Load the installed packages to confirm they start (slower; registers their backends). */
  readonly load?: boolean;
}

export async function describeGpuSupport(options: GpuSupportOptions = {}): Promise<GpuSupportReport> {
  const extra = options.extraModulePaths ?? [];
  const load = options.load === true;
  const cuda = probeCuda();
  const backends = [
    await describeNative('gpu', extra, load, cuda),
    await describeWebGpu(extra, load),
    await describeNative('node', extra, load, cuda),
  ];
  const platform = `${process.platform}-${process.arch}`;
  const gpus = findGpus(process.platform, cuda.gpus);
  const nextStep = gpuNextStep(process.platform, gpus, backends.map(verdict), tf.version_core);
  return {
    platform,
    cuda,
    gpus,
    nextStep,
    backends,
    lines: reportLines(platform, cuda, gpus, backends, nextStep),
  };
}

function verdict(b: BackendAvailability): BackendVerdict {
  const installed = b.packages.every((p) => p.installed);
  const works = b.loads === true && b.problem === null;
  if (b.backend !== 'webgpu') return { backend: b.backend, installed, usesGpu: b.backend === 'gpu' && works };
  const adapter =
    b.loads === null ? undefined : b.device === null ? 'none' : b.problem ? 'software' : 'hardware';
  return { backend: 'webgpu', installed, usesGpu: works, ...(adapter ? { adapter } : {}) };
}

function packageStatus(name: string, module: ResolvedModule | null): PackageStatus {
  return {
    name,
    installed: module !== null,
    version: module?.version ?? null,
    location: module?.dir ?? null,
  };
}

async function describeNative(
  kind: NativeKind,
  extra: readonly string[],
  load: boolean,
  cuda: CudaProbe,
): Promise<BackendAvailability> {
  const name = nativePackage[kind];
  const module = resolveOptionalModule(name, extra);
  const base = { backend: kind, packages: [packageStatus(name, module)], device: null };
  if (!module) {
    return {
      ...base,
      loads: null,
      problem: `${name} is not installed`,
      fix: notInstalledMessage(kind, extra),
    };
  }
  if (!hasNativeBinding(module.dir)) {
    return {
      ...base,
      loads: null,
      problem: `${name} is installed but its native part (libtensorflow, tfjs_binding.node) is missing`,
      fix: `${installCommand(kind)} (its install script must be able to download libtensorflow 2.9.1)`,
    };
  }
  const cudaProblem = kind === 'gpu' ? missingCuda(cuda) : null;
  if (!load) {
    return { ...base, loads: null, problem: cudaProblem, fix: cudaProblem ? cudaFix : null };
  }
  try {
    loadModule(module);
    const backend = tf.findBackend('tensorflow') as unknown as { isUsingGpuDevice?: boolean } | null;
    if (!backend) throw new Error('it registered no "tensorflow" backend in this copy of @tensorflow/tfjs');
    if (kind === 'gpu' && backend.isUsingGpuDevice !== true) {
      return {
        ...base,
        loads: true,
        problem: 'TensorFlow loaded but found no usable CUDA GPU',
        fix: cudaFix,
      };
    }
    const device = kind === 'gpu' ? `${cuda.gpus[0] ?? 'NVIDIA GPU'} (CUDA)` : 'CPU (TensorFlow native)';
    return { ...base, loads: true, device, problem: null, fix: null };
  } catch (error) {
    const message = loadFailedMessage(kind, module, errorText(error));
    return { ...base, loads: false, problem: message.split('\n')[0], fix: message };
  }
}

async function describeWebGpu(extra: readonly string[], load: boolean): Promise<BackendAvailability> {
  const dawn = resolveOptionalModule(webgpuPackages.dawn, extra);
  const backendModule = resolveOptionalModule(webgpuPackages.backend, extra);
  const packages = [
    packageStatus(webgpuPackages.dawn, dawn),
    packageStatus(webgpuPackages.backend, backendModule),
  ];
  const missing = packages.filter((p) => !p.installed).map((p) => p.name);
  if (missing.length) {
    return {
      backend: 'webgpu',
      packages,
      loads: null,
      device: null,
      problem: `not installed: ${missing.join(', ')}`,
      fix: `npm install ${webgpuPackages.dawn} ${webgpuPackages.backend}@${tf.version_core} (needs a Vulkan, Metal or D3D12 GPU driver)`,
    };
  }
  if (!load) return { backend: 'webgpu', packages, loads: null, device: null, problem: null, fix: null };
  try {
    const adapter = await probeWebGpuAdapter(extra);
    return {
      backend: 'webgpu',
      packages,
      loads: true,
      device: adapter.name,
      problem: adapter.software ? `only a software adapter (${adapter.name}); slower than wasm` : null,
      fix: adapter.software ? 'install the GPU vendor driver (Vulkan on Linux)' : null,
    };
  } catch (error) {
    return { backend: 'webgpu', packages, loads: false, device: null, problem: errorText(error), fix: null };
  }
}

const cudaFix =
  'install the NVIDIA driver, CUDA 11.2 and cuDNN 8.1 and make them visible to the loader ' +
  '(check `nvidia-smi`, `ldconfig -p | grep libcudart.so.11`, `ldconfig -p | grep libcudnn.so.8`, LD_LIBRARY_PATH)';

function missingCuda(cuda: CudaProbe): string | null {
  const missing = [
    process.platform === 'linux' && !cuda.driver ? 'NVIDIA driver' : null,
    !cuda.cudaRuntime ? 'CUDA 11 runtime (libcudart.so.11)' : null,
    !cuda.cudnn ? 'cuDNN 8 (libcudnn.so.8)' : null,
  ].filter((item): item is string => item !== null);
  return missing.length ? `missing: ${missing.join(', ')}` : null;
}

function hasNativeBinding(dir: string): boolean {
  const lib = path.join(dir, 'lib');
  let entries: string[];
  try {
    entries = fs.readdirSync(lib);
  } catch {
    return false;
  }
  return entries.some((entry) => fs.existsSync(path.join(lib, entry, 'tfjs_binding.node')));
}

function reportLines(
  platform: string,
  cuda: CudaProbe,
  gpus: readonly GpuDevice[],
  backends: readonly BackendAvailability[],
  nextStep: string | null,
): string[] {
  const lines = [
    `Platform: ${platform}`,
    `GPUs: ${gpus.length ? gpus.map((g) => g.name).join(', ') : 'none found'}`,
    ...describeCudaProbe(cuda),
  ];
  for (const b of backends) {
    const packages = b.packages
      .map((p) => `${p.name} ${p.installed ? `${p.version ?? '?'} at ${p.location}` : 'not installed'}`)
      .join('; ');
    const state = b.problem
      ? `unavailable: ${b.problem}`
      : b.loads
        ? `works (${b.device})`
        : 'installed (not loaded)';
    lines.push(`[${b.backend}] ${state} — ${packages}`);
    if (b.fix) lines.push(`  fix: ${b.fix.split('\n').join('\n       ')}`);
  }
  if (nextStep) lines.push(`Next step: ${nextStep}`);
  return lines;
}
