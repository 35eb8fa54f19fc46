// What the machine offers for CUDA, found by looking at files only (no processes, no loading):
// the NVIDIA driver, nvidia-smi, and the CUDA 11 / cuDNN 8 runtime libraries tfjs-node-gpu links.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface CudaProbe {
  /** NVIDIA kernel driver version line, or null when no driver is loaded (Linux only). */
  readonly driver: string | null;
  /** GPU model names reported by the driver. */
  readonly gpus: readonly string[];
  readonly nvidiaSmi: string | null;
  /** Where libcudart.so.11 (CUDA 11.x runtime) was found, or null. */
  readonly cudaRuntime: string | null;
  /** Where libcudnn.so.8 (cuDNN 8.x) was found, or null. */
  readonly cudnn: string | null;
}

interface LibraryNames {
  readonly cudaRuntime: readonly string[];
  readonly cudnn: readonly string[];
}

const libraryNames: Record<'linux' | 'win32', LibraryNames> = {
  linux: { cudaRuntime: ['libcudart.so.11'], cudnn: ['libcudnn.so.8'] },
  win32: { cudaRuntime: ['cudart64_110.dll', 'cudart64_11'], cudnn: ['cudnn64_8.dll'] },
};

export function probeCuda(platform: NodeJS.Platform = process.platform): CudaProbe {
  const names = platform === 'win32' ? libraryNames.win32 : platform === 'linux' ? libraryNames.linux : null;
  const dirs = libraryDirs(platform);
  return {
    driver: readDriverVersion(),
    gpus: readGpuNames(),
    nvidiaSmi: findOnPath(platform === 'win32' ? 'nvidia-smi.exe' : 'nvidia-smi'),
    cudaRuntime: names ? findLibrary(names.cudaRuntime, dirs) : null,
    cudnn: names ? findLibrary(names.cudnn, dirs) : null,
  };
}

function readDriverVersion(): string | null {
  const text = readText('/proc/driver/nvidia/version');
  if (text === null) return null;
  const match = /Kernel Module\s+(?:for\s+\S+\s+)?([0-9.]+)/.exec(text);
  return match ? match[1] : (text.split('\n')[0]?.trim() ?? null);
}

function readGpuNames(): string[] {
  const root = '/proc/driver/nvidia/gpus';
  let entries: string[];
  try {
    entries = fs.readdirSync(root);
  } catch {
    return [];
  }
  const names: string[] = [];
  for (const entry of entries) {
    const text = readText(path.join(root, entry, 'information'));
    const match = text ? /^Model:\s*(.+)$/m.exec(text) : null;
    if (match) names.push(match[1].trim());
  }
  return names;
}

function libraryDirs(platform: NodeJS.Platform): string[] {
  const fromEnv = (name: string): string[] => (process.env[name] ?? '').split(path.delimiter).filter(Boolean);
  if (platform === 'win32') {
    const cudaPath = process.env.CUDA_PATH ? [path.join(process.env.CUDA_PATH, 'bin')] : [];
    return [...cudaPath, ...fromEnv('PATH')];
  }
  const cudaHomes = ['/usr/local/cuda', ...listMatching('/usr/local', /^cuda-11/)];
  return [
    ...fromEnv('LD_LIBRARY_PATH'),
    ...cudaHomes.flatMap((home) => [path.join(home, 'lib64'), path.join(home, 'targets/x86_64-linux/lib')]),
    '/usr/lib/x86_64-linux-gnu',
    '/usr/lib/aarch64-linux-gnu',
    '/usr/lib64',
    '/usr/lib',
    '/lib/x86_64-linux-gnu',
  ];
}

function findLibrary(prefixes: readonly string[], dirs: readonly string[]): string | null {
  for (const dir of dirs) {
    for (const file of listMatching(dir, (name) => prefixes.some((prefix) => name.startsWith(prefix))))
      return file;
  }
  // The dynamic loader's cache also knows libraries in folders listed only in /etc/ld.so.conf.d.
  const cache = readText('/etc/ld.so.cache', 'latin1');
  if (cache === null) return null;
  for (const prefix of prefixes) {
    const match = new RegExp(`(/[\\w./+-]*${prefix.replace(/\./g, '\\.')}[\\w.]*)`).exec(cache);
    if (match) return match[1];
  }
  return null;
}

function findOnPath(executable: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, executable);
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}

function listMatching(dir: string, test: RegExp | ((name: string) => boolean)): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const matches = typeof test === 'function' ? test : (name: string) => test.test(name);
  return names.filter(matches).map((name) => path.join(dir, name));
}

function readText(file: string, encoding: BufferEncoding = 'utf8'): string | null {
  try {
    return fs.readFileSync(file, encoding);
  } catch {
    return null;
  }
}

/** One line per fact, for error messages and the "Check GPU backend" report. */
export function describeCudaProbe(probe: CudaProbe): string[] {
  return [
    `NVIDIA driver: ${probe.driver ?? 'not found (no /proc/driver/nvidia/version)'}${probe.gpus.length ? ` (${probe.gpus.join(', ')})` : ''}`,
    `nvidia-smi: ${probe.nvidiaSmi ?? 'not on PATH'}`,
    `CUDA 11 runtime (libcudart.so.11): ${probe.cudaRuntime ?? 'not found'}`,
    `cuDNN 8 (libcudnn.so.8): ${probe.cudnn ?? 'not found'}`,
  ];
}
