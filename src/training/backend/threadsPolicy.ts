// How many CPU threads training uses when nobody says: the physical cores this process may run on.
// Training is the foreground job when a user starts it, so it should use the machine (PyTorch does);
// SMT siblings add little to GEMM-bound kernels but take the cycles the editor needs to stay
// responsive, so they are not counted. Measured in bench:train (README, "Threads").
import * as fs from 'node:fs';
import * as os from 'node:os';

/** The tfjs wasm build preallocates 8 pthreads; more would be created on demand mid-step. */
export const maxWasmThreads = 8;

export interface CpuBudget {
  /** Logical CPUs this process may run on (affinity mask). */
  readonly available: number;
  /** Logical CPUs per physical core (SMT width), 1 when unknown. */
  readonly threadsPerCore: number;
  /** A cgroup CPU quota in CPUs (containers), or null. */
  readonly quota: number | null;
}

export function defaultThreads(budget: CpuBudget = hostCpuBudget()): number {
  const cores = Math.floor(budget.available / Math.max(1, budget.threadsPerCore));
  const limit = budget.quota === null ? cores : Math.min(cores, Math.floor(budget.quota));
  return clampThreads(limit);
}

export function clampThreads(threads: number): number {
  return Math.min(maxWasmThreads, Math.max(1, Math.floor(threads)));
}

export function hostCpuBudget(): CpuBudget {
  return {
    available: os.availableParallelism(),
    threadsPerCore: os.platform() === 'linux' ? linuxThreadsPerCore() : 1,
    quota: os.platform() === 'linux' ? cgroupQuota() : null,
  };
}

/** Logical CPUs over distinct cores, from sysfs; 1 when it cannot be read. */
function linuxThreadsPerCore(): number {
  const root = '/sys/devices/system/cpu';
  try {
    const cpus = fs.readdirSync(root).filter((name) => /^cpu\d+$/.test(name));
    const cores = new Set<string>();
    for (const cpu of cpus) {
      try {
        cores.add(fs.readFileSync(`${root}/${cpu}/topology/thread_siblings_list`, 'utf8').trim());
      } catch {
        // offline CPUs have no topology
      }
    }
    const online = cpus.length;
    return cores.size > 0 && online >= cores.size ? Math.max(1, Math.round(online / cores.size)) : 1;
  } catch {
    return 1;
  }
}

/** cgroup v2 `cpu.max` ("QUOTA PERIOD" or "max PERIOD"), in CPUs. */
function cgroupQuota(): number | null {
  try {
    const [quota, period] = fs.readFileSync('/sys/fs/cgroup/cpu.max', 'utf8').trim().split(/\s+/);
    const q = Number(quota);
    const p = Number(period);
    return Number.isFinite(q) && Number.isFinite(p) && p > 0 ? Math.max(1, q / p) : null;
  } catch {
    return null;
  }
}
