// `gan train FILE`: checks the file, trains one model in a worker process, shows progress, and
// turns Ctrl-C / SIGTERM into a clean stop (checkpoint, status stopped).
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { BackendName } from '../language/model';
import type { StartMessage } from '../protocol/training';
import { startWorker, withModulePaths } from '../training/runs/client';
import { analyzeModels, formatDiagnostic } from '../training/runs/models';
import { defaultRunsDir, SAMPLES_DIR } from '../training/runs/paths';
import { readRunInfo, resolveRunRef, RunReadError } from '../training/runs/reader';
import { healthSummary } from '../protocol/health';
import {
  CHECKPOINT_BOUNDS,
  LIMIT_BOUNDS,
  PROCESSES_BOUNDS,
  STEPS_BOUNDS,
  THREADS_BOUNDS,
  wholeNumberFlag,
} from './numberFlags';
import { ProgressReporter } from './progress';
import { workerEnvFor } from './workerEnv';

export const TRAIN_USAGE = `usage: gan train FILE [--model NAME] [--steps N] [--engine E] [--backend B] [--threads N] [--runs DIR] [--limit N]
       gan train --resume RUN [--checkpoint STEP] [--force] [--steps N] [--backend B] [--threads N] [--runs DIR]
  --model NAME       which model of the file (default: the first)
  --steps N          train N steps instead of the model's budget
  --engine E         tfjs | torch | auto (default: the model's train.engine; auto is TensorFlow.js)
  --python PATH      the Python with PyTorch for --engine torch (default: python3 on PATH)
  --nproc N          with the torch engine: N data-parallel processes on this machine
                     (DistributedDataParallel; each takes batch / N of every batch)
  --backend B        auto | gpu | webgpu | node | wasm | cpu (default: the model's train.backend;
                     with --engine torch: cpu keeps PyTorch on the CPU)
  --threads N        CPU threads for wasm (default: the model's train.threads, else the physical cores)
  --module-path DIR  also look for optional packages (GPU backends, datasets) in DIR (repeatable)
  --runs DIR         the runs folder (default .gan/runs)
  --limit N          load at most N images per data source
  --resume RUN       continue a run (folder, id or model name) from its newest valid checkpoint
  --checkpoint STEP  with --resume: continue from this checkpoint (later ones are dropped)
  --force            with --resume: take over the run's lock from a process that looks alive
                     (a run stuck on another host, or a pid this system cannot check)
  --workspace-modules  also load optional packages (backends, datasets) from ./node_modules`;

const BACKENDS: readonly BackendName[] = ['auto', 'gpu', 'webgpu', 'node', 'wasm', 'cpu'];
const ENGINES = ['auto', 'tfjs', 'torch'] as const;
/** Exit status of a run stopped by Ctrl-C or SIGTERM (the shell convention for SIGINT). */
const EXIT_STOPPED = 130;

class UsageError extends Error {}

function display(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

/** What to start, and the file as the user typed it. */
type Parsed =
  | {
      start: Omit<StartMessage, 'type'>;
      display?: string;
      workspaceModules: boolean;
      modulePaths: readonly string[];
    }
  | { exit: number };

function prepare(argv: string[]): Parsed {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      model: { type: 'string' },
      steps: { type: 'string' },
      backend: { type: 'string' },
      runs: { type: 'string' },
      resume: { type: 'string' },
      limit: { type: 'string' },
      checkpoint: { type: 'string' },
      force: { type: 'boolean' },
      'workspace-modules': { type: 'boolean' },
      threads: { type: 'string' },
      engine: { type: 'string' },
      python: { type: 'string' },
      nproc: { type: 'string' },
      'module-path': { type: 'string', multiple: true },
    },
  });
  const steps = wholeNumberFlag('steps', values.steps, STEPS_BOUNDS);
  const dataLimit = wholeNumberFlag('limit', values.limit, LIMIT_BOUNDS);
  const checkpoint = wholeNumberFlag('checkpoint', values.checkpoint, CHECKPOINT_BOUNDS);
  const threads = wholeNumberFlag('threads', values.threads, THREADS_BOUNDS);
  const processes = wholeNumberFlag('nproc', values.nproc, PROCESSES_BOUNDS);
  const workspaceModules = values['workspace-modules'] === true;
  const modulePaths = (values['module-path'] ?? []).map((dir) => resolve(dir));
  const backend = values.backend as BackendName | undefined;
  if (backend !== undefined && !BACKENDS.includes(backend))
    throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')}, got "${values.backend}"`);
  const engine = values.engine as (typeof ENGINES)[number] | undefined;
  if (engine !== undefined && !ENGINES.includes(engine))
    throw new UsageError(`--engine must be one of ${ENGINES.join(', ')}, got "${values.engine}"`);
  const runsDir = resolve(values.runs ?? defaultRunsDir(process.cwd()));
  // A bare name (python3) is looked up on PATH; a path is taken from here.
  const asked = values.python;
  const python =
    asked !== undefined ? { python: { setting: /[/\\]/.test(asked) ? resolve(asked) : asked } } : {};
  const options = { steps, backend, runsDir, dataLimit, threads, processes, ...python };
  if (values.resume !== undefined) {
    if (positionals.length || values.model !== undefined || engine !== undefined)
      throw new UsageError('--resume continues a run as it was: give no FILE, --model or --engine');
    const resume = resolveRunRef(values.resume, runsDir);
    const force = values.force === true;
    return {
      start: { file: '', text: '', options: { ...options, resume, checkpoint, force } },
      workspaceModules,
      modulePaths,
    };
  }
  if (checkpoint !== undefined || values.force !== undefined)
    throw new UsageError('--checkpoint and --force go with --resume');
  if (positionals.length !== 1)
    throw new UsageError(positionals.length ? 'expected one FILE' : 'missing FILE');
  const file = resolve(positionals[0]);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new RunReadError(
      `cannot read ${positionals[0]}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
  const { models, diagnostics } = analyzeModels(text);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    for (const d of errors) process.stderr.write(formatDiagnostic(positionals[0], d) + '\n');
    process.stderr.write(`gan train: ${positionals[0]} has ${errors.length} error(s); fix them first\n`);
    return { exit: 1 };
  }
  if (!models.length) throw new RunReadError(`${positionals[0]}:1:1: the file declares no model`);
  if (values.model !== undefined && !models.some((m) => m.name === values.model))
    throw new RunReadError(
      `${positionals[0]}: no model "${values.model}" (models: ${models.map((m) => m.name).join(', ')})`,
    );
  const picked = models.find((m) => m.name === (values.model ?? models[0].name));
  if (processes !== undefined && engine !== 'torch' && picked?.train.engine !== 'torch')
    throw new UsageError(
      '--nproc goes with the torch engine (--engine torch, or `engine torch` in the file)',
    );
  return {
    start: { file, text, model: values.model ?? models[0].name, options: { ...options, engine } },
    display: positionals[0],
    workspaceModules,
    modulePaths,
  };
}

/** A run that finished but learned badly says so, with what to try (it still exits 0). */
function reportHealth(runDir: string): void {
  let problems;
  try {
    problems = readRunInfo(runDir).health ?? [];
  } catch {
    return;
  }
  if (!problems.length) return;
  process.stderr.write(`gan train: the run is ${healthSummary(problems)}\n`);
  for (const p of problems) process.stderr.write(`  from step ${p.step}: ${p.message}.\n    ${p.advice}\n`);
}

export async function trainCommand(argv: string[]): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = prepare(argv);
  } catch (error) {
    const usage = error instanceof RunReadError ? '' : `\n${TRAIN_USAGE}`;
    process.stderr.write(`gan train: ${(error as Error).message}${usage}\n`);
    return 2;
  }
  if ('exit' in parsed) return parsed.exit;

  const reporter = new ProgressReporter(process.stderr);
  const worker = startWorker({
    start: parsed.start,
    env: withModulePaths(workerEnvFor(parsed.workspaceModules), parsed.modulePaths),
  });
  let stopSignal: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopSignal) {
      reporter.note('gan train: stopping now (the run will be marked failed)');
      worker.kill('SIGKILL');
      return;
    }
    stopSignal = signal;
    reporter.note('gan train: stopping after the current step (press Ctrl-C again to kill)');
    worker.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  worker.on('started', (m) => {
    const what = m.resumed ? `resuming ${m.runId} at step ${m.step}` : `training ${m.model} (${m.family})`;
    reporter.note(`${what}: ${m.totalSteps} steps on ${m.backend.device} [${m.backend.name}]`);
    reporter.note(`run folder: ${display(m.runDir)}`);
    for (const notice of m.notices ?? []) reporter.note(`gan train: ${notice}`);
  });
  worker.on('progress', (m) => reporter.update(m));
  worker.on('log', (text) => {
    if (process.env.GAN_DEBUG) process.stderr.write(text);
  });

  const outcome = await worker.done;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  reporter.finish();
  if (outcome.type === 'failed') {
    const named = outcome.step === undefined || outcome.message.includes(`step ${outcome.step}`);
    const at = named ? '' : ` at step ${outcome.step}`;
    // Locations in the worker's messages use the absolute path; show the file as the user typed it.
    const { file } = parsed.start;
    const shown = parsed.display;
    const message = file && shown ? outcome.message.split(file).join(shown) : outcome.message;
    process.stderr.write(`gan train: failed${at}: ${message}\n`);
    if (outcome.log && process.env.GAN_DEBUG) process.stderr.write(outcome.log + '\n');
    if (outcome.runDir) process.stderr.write(`run folder: ${display(outcome.runDir)}\n`);
    return 1;
  }
  const runDir = display(outcome.runDir);
  const samples = `${runDir}/${SAMPLES_DIR}`;
  reportHealth(outcome.runDir);
  if (outcome.status === 'stopped') {
    process.stdout.write(`stopped at step ${outcome.step} (checkpoint saved)\nrun folder: ${runDir}\n`);
    process.stdout.write(`samples: ${samples}/\nresume with: gan train --resume ${runDir}\n`);
    return stopSignal ? EXIT_STOPPED : 0;
  }
  process.stdout.write(`completed ${outcome.step} steps\nrun folder: ${runDir}\nsamples: ${samples}/\n`);
  return 0;
}
