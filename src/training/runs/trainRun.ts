// Prepares a run (new or resumed) in a worker and trains it: the run folder's lock, model from
// text, backend, trainer, run folder, then the session loop. Every failure becomes a `failed`
// message, never a throw, and the lock is released on every way out.
import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { BackendName, ResolvedModel } from '../../language/model';
import type {
  FailedMessage,
  FinishedMessage,
  StartMessage,
  TrainOptions,
  WorkerToParentMessage,
} from '../../protocol/training';
import { torchEngineProblems } from '../../language/schema';
import type { TorchEngineOptions } from '../torch/torchFamily';
import { findTorch, interpreterCandidates, torchMissingMessage } from '../torch/pythonInterpreter';
import { describeDataSkipped } from '../../protocol/dataSkipped';
import type { Trainer } from '../contract';
import { prefetchData } from '../data';
import { createTrainer } from '../engine/index';
import { trainingEvaluation, type EvaluationHook } from '../eval/trainingEval';
import { runSession } from '../session';
import { ensureBackend } from './backendOnce';
import {
  CheckpointError,
  describeSkipped,
  loadNewestValid,
  readCheckpointState,
  removeCheckpointsAfter,
  removeIncompleteCheckpoints,
} from './checkpoints';
import { acquireRunLock, type RunLock, RunLockedError } from './lock';
import { ModelError, pickModel } from './models';
import { checkpointPath, MODEL_GAN, stepName } from './paths';
import { readRunInfo, resolveRunRef, RunReadError } from './reader';
import { tracePhase } from './startupTrace';
import { RunWriter } from './writer';

interface RunPlan {
  readonly file: string;
  readonly model: ResolvedModel;
  readonly backend: BackendName;
  /** undefined: the engine's default policy. */
  readonly threads: number | undefined;
  readonly steps: number | undefined;
  readonly dataLimit: number | undefined;
  /** The run folder to continue, when resuming. */
  readonly resumeDir: string | undefined;
  /** The text the model was read from (model.gan when resuming), for error locations. */
  readonly source: { readonly file: string; readonly text: string };
  readonly engine: 'tfjs' | 'torch';
  /** The interpreter a resumed torch run was trained with: tried first unless one is named. */
  readonly python: string | null;
  /** The torch engine's data-parallel processes. */
  readonly processes: number;
}

class SetupError extends Error {}

/** Prefixes a data source's error with the location of its `data` statement (when the message
 *  names that source), so the user sees where to fix it. */
function locateDataError(error: unknown, plan: RunPlan): unknown {
  if (!(error instanceof Error)) return error;
  const spec = plan.model.data.find(
    (d) =>
      error.message.startsWith(`${d.source} data source`) ||
      (typeof d.options.path === 'string' && error.message.includes(d.options.path)),
  );
  if (!spec) return error;
  const line = plan.source.text.split('\n')[spec.line] ?? '';
  const column = line.length - line.trimStart().length + 1;
  const located = new SetupError(`${plan.source.file}:${spec.line + 1}:${column}: ${error.message}`);
  located.stack = error.stack;
  return located;
}

function planRun(start: StartMessage, resumeDir: string | undefined): RunPlan {
  const options = start.options;
  if (!resumeDir) {
    const file = resolve(start.file);
    const model = pickModel(start.text, file, start.model);
    return {
      file,
      model,
      backend: options.backend ?? model.train.backend,
      threads: options.threads ?? model.train.threads ?? undefined,
      steps: options.steps,
      dataLimit: options.dataLimit,
      resumeDir: undefined,
      source: { file, text: start.text },
      engine: chooseEngine(options.engine, model.train.engine, options.preferredEngine),
      python: null,
      processes: options.processes ?? 1,
    };
  }
  const dir = resumeDir;
  const info = readRunInfo(dir);
  const source = { file: join(dir, MODEL_GAN), text: readFileSync(join(dir, MODEL_GAN), 'utf8') };
  const model = pickModel(source.text, source.file, info.model);
  return {
    file: info.sourceFile,
    model,
    backend: options.backend ?? (info.requestedBackend as BackendName),
    threads: options.threads ?? model.train.threads ?? undefined,
    steps: options.steps ?? info.stepsOverride ?? undefined,
    dataLimit: options.dataLimit ?? info.dataLimit ?? undefined,
    resumeDir: dir,
    source,
    engine: info.engine?.name === 'torch' ? 'torch' : 'tfjs',
    python: info.engine?.python ?? null,
    processes: options.processes ?? info.engine?.processes ?? 1,
  };
}

/** `--engine` over the model's `engine`, and `auto` as the editor's setting says, else TensorFlow.js. */
function chooseEngine(
  override: TrainOptions['engine'],
  model: ResolvedModel['train']['engine'],
  preferred: TrainOptions['preferredEngine'],
): 'tfjs' | 'torch' {
  const asked = override && override !== 'auto' ? override : model;
  return asked === 'auto' ? (preferred ?? 'tfjs') : asked;
}

/** The PyTorch engine's settings for a plan: the interpreter with torch (or why none), its threads
 *  and device; a model it cannot train yet fails here with each reason and line. */
async function torchOptions(plan: RunPlan, options: TrainOptions): Promise<TorchEngineOptions> {
  const declared = plan.source.text
    .split('\n')
    .findIndex((l) => new RegExp(`^\\s*model\\s+${plan.model.name}\\b`).test(l));
  const where = (line: number | null): string =>
    `${plan.source.file}:${(line ?? Math.max(0, declared)) + 1}: `;
  const problems = torchEngineProblems(plan.model);
  if (problems.length) {
    throw new SetupError(
      `the PyTorch engine cannot train ${plan.model.name} yet:\n` +
        problems.map((p) => `  ${where(p.line)}${p.message}`).join('\n') +
        '\nTrain it with TensorFlow.js (--engine tfjs, or engine auto).',
    );
  }
  const uneven = plan.model.data.find((data) => data.batch % plan.processes !== 0);
  if (uneven)
    throw new SetupError(
      `${where(uneven.line)}the batch of ${uneven.batch} does not split evenly over ${plan.processes} processes`,
    );
  const search = await findTorch(
    interpreterCandidates({
      setting: options.python?.setting ?? plan.python,
      pythonExtension: options.python?.environment,
    }),
  );
  if (!search.found) throw new SetupError(torchMissingMessage(search.tried));
  return {
    python: search.found.executable,
    threads: plan.threads ?? 0,
    device: plan.backend === 'cpu' || plan.backend === 'wasm' ? 'cpu' : 'auto',
    processes: plan.processes,
  };
}

/** Loads the checkpoint to continue from (the newest that verifies, or the one asked for) and
 *  drops the checkpoints after it; says what was skipped. */
async function restore(
  trainer: Trainer,
  runDir: string,
  wanted: number | undefined,
  notices: string[],
): Promise<{ step: number | null; time: number }> {
  removeIncompleteCheckpoints(runDir);
  const { step, skipped } = await loadNewestValid(runDir, (dir) => trainer.loadCheckpoint(dir), wanted);
  if (skipped.length)
    notices.push(
      `skipped checkpoint${skipped.length > 1 ? 's' : ''} ${describeSkipped(skipped)}; ` +
        `resuming from ${step === null ? 'the start' : stepName(step)}`,
    );
  const removed = removeCheckpointsAfter(runDir, step ?? 0);
  const unexplained = removed.filter((s) => !skipped.some((k) => k.step === s));
  if (unexplained.length)
    notices.push(
      `removed the checkpoints after ${stepName(step ?? 0)}: ${unexplained.map(stepName).join(', ')}`,
    );
  const time = step === null ? 0 : (readCheckpointState(checkpointPath(runDir, step))?.time ?? 0);
  return { step, time };
}

export async function trainRun(
  start: StartMessage,
  send: (message: WorkerToParentMessage) => void,
  shouldStop: () => boolean,
): Promise<FinishedMessage | FailedMessage> {
  let trainer: Trainer | undefined;
  let lock: RunLock | undefined;
  const notices: string[] = [];
  let evaluation: EvaluationHook | null = null;
  try {
    const options = start.options;
    let resumeDir: string | undefined;
    if (options.resume) {
      // Before anything reads or changes the folder: a second writer stops here.
      resumeDir = resolveRunRef(options.resume, options.runsDir);
      lock = acquireRunLock(resumeDir, { force: options.force, runName: basename(resumeDir) });
      if (lock.tookOver) notices.push(`took over the run's lock: ${lock.tookOver}`);
    }
    tracePhase('start message');
    const plan = planRun(start, resumeDir);
    for (const spec of plan.model.data) prefetchData(spec);
    const torch = plan.engine === 'torch' ? await torchOptions(plan, options) : undefined;
    // The torch engine trains in PyTorch; TensorFlow.js keeps copies of its networks for samples and evaluation.
    const backend = await ensureBackend(torch ? 'auto' : plan.backend, plan.threads);
    tracePhase(`backend ${backend.name}`);
    try {
      trainer = await createTrainer({
        model: plan.model,
        backend,
        baseDir: dirname(plan.file),
        steps: plan.steps,
        dataLimit: plan.dataLimit,
        torch,
      });
    } catch (error) {
      throw locateDataError(error, plan);
    }
    tracePhase('trainer (data and networks)');
    const dataSkipped = trainer.dataSkipped();
    if (dataSkipped.count) notices.push(describeDataSkipped(dataSkipped));
    const classNames = trainer.classNames();
    const engine = trainer.engine;
    const fields = {
      ...(engine ? { engine } : {}),
      dataSkipped,
      ...(classNames ? { classNames } : {}),
      model: plan.model.name,
      family: plan.model.family,
      sourceFile: plan.file,
      backend: backend.name,
      requestedBackend: plan.backend,
      device: engine ? `${engine.device}, PyTorch ${engine.torch}` : backend.device,
      threads: backend.threads,
      seed: plan.model.train.seed,
      totalSteps: trainer.totalSteps,
      stepsPerEpoch: trainer.stepsPerEpoch,
      stepsOverride: plan.steps ?? null,
      dataLimit: plan.dataLimit ?? null,
    };
    let writer: RunWriter;
    let timeOffset = 0;
    let resumedAt: number | undefined;
    if (plan.resumeDir) {
      const restored = await restore(trainer, plan.resumeDir, options.checkpoint, notices);
      timeOffset = restored.time;
      resumedAt = restored.step ?? undefined;
      writer = RunWriter.resume(plan.resumeDir, restored.step ?? 0, fields).writer;
    } else {
      writer = RunWriter.create(options.runsDir, fields, plan.model.source, (dir) => {
        lock = acquireRunLock(dir);
      });
    }
    for (const notice of notices) console.warn(`gan: ${notice}`);
    send({
      type: 'started',
      runDir: writer.dir,
      runId: writer.info.id,
      model: plan.model.name,
      family: plan.model.family,
      backend: engine
        ? { name: 'torch', requested: plan.backend, device: fields.device, threads: 0, skipped: [] }
        : backend,
      totalSteps: trainer.totalSteps,
      stepsPerEpoch: trainer.stepsPerEpoch,
      step: trainer.step,
      resumed: plan.resumeDir !== undefined,
      pid: process.pid,
      ...(notices.length ? { notices } : {}),
    });
    const trained = trainer;
    evaluation = trainingEvaluation(plan.model, () => trained.networks, {
      ganDir: dirname(dirname(writer.dir)),
      baseDir: dirname(plan.file),
    });
    return await runSession({
      trainer,
      writer,
      evaluation,
      timeOffset,
      sampledStep: resumedAt,
      checkpointedStep: resumedAt,
      shouldStop,
      send,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const expected =
      error instanceof SetupError ||
      error instanceof ModelError ||
      error instanceof RunReadError ||
      error instanceof RunLockedError ||
      error instanceof CheckpointError;
    const log = error instanceof Error && !expected ? error.stack : undefined;
    return { type: 'failed', message, log };
  } finally {
    evaluation?.dispose();
    trainer?.dispose();
    lock?.release();
  }
}
