// The `gan.*` settings the experiments feature reads, and what they mean for a worker process.
// Pure: the vscode side reads the values (config.ts) and passes them here.
import { delimiter, isAbsolute, join } from 'node:path';
import type { BackendName } from '../../language/model';
import { WORKSPACE_MODULES_ENV } from '../../protocol/training';

export const BACKEND_CHOICES = ['model', 'auto', 'gpu', 'webgpu', 'node', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export interface ExperimentSettings {
  /** Relative to the workspace folder, or absolute. */
  readonly runsDirectory: string;
  /** 'model' keeps each model's `train.backend`. */
  readonly backend: BackendChoice;
  /** Node executable for workers; empty: the one running VS Code's extension host. */
  readonly nodeExecutable: string;
  /** Extra folder holding @tensorflow/tfjs-node(-gpu) or webgpu, for the worker to load. */
  readonly modulePath: string;
  /** The workspace folder whose node_modules workers may load optional packages from, when the
   *  user opted in (`gan.training.workspaceModules`); null: never the workspace's code. */
  readonly workspaceModulesFolder: string | null;
  /** CPU threads for every run; 0 keeps the model's `train.threads` (else the engine's default). */
  readonly threads: number;
  /** Caps every run at this many steps; 0 keeps the model's budget. */
  readonly maxSteps: number;
  /** `gan.python`: the interpreter for the PyTorch engine; empty: the Python extension's, then PATH's. */
  readonly python: string;
  /** `gan.training.engine`: what trains models whose `train.engine` is `auto`. */
  readonly engine: 'tfjs' | 'torch';
  /** `gan.training.torchProcesses`: data-parallel processes of the torch engine. */
  readonly torchProcesses: number;
}

export const defaultSettings: ExperimentSettings = {
  runsDirectory: '.gan/runs',
  backend: 'model',
  nodeExecutable: '',
  modulePath: '',
  workspaceModulesFolder: null,
  threads: 0,
  maxSteps: 0,
  python: '',
  engine: 'tfjs',
  torchProcesses: 1,
};

/** Whether a start may train in PyTorch, so the Python extension's environment is worth asking for. */
export function mayUseTorch(settings: ExperimentSettings, text: string): boolean {
  return settings.engine === 'torch' || /\bengine\s+torch\b/.test(text);
}

export function runsDirFor(workspaceFolder: string, settings: ExperimentSettings): string {
  const dir = settings.runsDirectory.trim() || defaultSettings.runsDirectory;
  return isAbsolute(dir) ? dir : join(workspaceFolder, dir);
}

export function requestedBackend(settings: ExperimentSettings): BackendName | undefined {
  return settings.backend === 'model' ? undefined : settings.backend;
}

/** Threads a run is started with, or undefined to leave it to the model and the engine. */
export function requestedThreads(settings: ExperimentSettings): number | undefined {
  const n = Math.floor(settings.threads);
  return Number.isFinite(n) && n >= 1 ? Math.min(n, 64) : undefined;
}

/** Dashboards refresh at least once a second, and not more than 20 times. */
export function refreshInterval(requestedMs: number): number {
  const ms = Number.isFinite(requestedMs) ? requestedMs : 500;
  return Math.min(1000, Math.max(50, ms));
}

/** Environment of a worker: the extra module folder goes on NODE_PATH (plain `require`) and in
 *  GAN_MODULE_PATHS (the backend's own lookup of optional packages). */
export function workerEnv(settings: ExperimentSettings, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  // A separate Node must not think it is Electron; VS Code's own binary needs the flag to act as Node.
  if (settings.nodeExecutable.trim() !== '') delete env.ELECTRON_RUN_AS_NODE;
  const extra = settings.modulePath.trim();
  if (extra) {
    env.NODE_PATH = [extra, base.NODE_PATH].filter(Boolean).join(delimiter);
    env.GAN_MODULE_PATHS = [extra, base.GAN_MODULE_PATHS].filter(Boolean).join(delimiter);
  }
  if (settings.workspaceModulesFolder) env[WORKSPACE_MODULES_ENV] = settings.workspaceModulesFolder;
  return env;
}

/** Arguments of `gan gpu` for the GPU check; `pythonEnvironment` is the Python extension's. */
export function gpuCheckArgs(
  cliPath: string,
  settings: ExperimentSettings,
  pythonEnvironment: string | null = null,
): string[] {
  const extra = settings.modulePath.trim();
  const workspace = settings.workspaceModulesFolder;
  const python = settings.python.trim();
  return [
    cliPath,
    'gpu',
    '--load',
    ...(extra ? ['--module-path', extra] : []),
    ...(workspace ? ['--module-path', workspace] : []),
    ...(python ? ['--python', python] : []),
    ...(pythonEnvironment ? ['--python-env', pythonEnvironment] : []),
  ];
}
