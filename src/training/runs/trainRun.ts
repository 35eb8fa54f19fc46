// Prepares a run (new or resumed) in a worker and trains it: model from text, backend, trainer,
// run folder, then the session loop. Every failure becomes a `failed` message, never a throw.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { BackendName, ResolvedModel } from '../../language/model';
import type {
  FailedMessage,
  FinishedMessage,
  StartMessage,
  WorkerToParentMessage,
} from '../../protocol/training';
import type { Trainer } from '../contract';
import { createTrainer } from '../engine/index';
import { runSession } from '../session';
import { ensureBackend } from './backendOnce';
import { lastCheckpoint, readCheckpointState, removeIncompleteCheckpoints } from './checkpoints';
import { ModelError, pickModel } from './models';
import { checkpointPath, MODEL_GAN } from './paths';
import { isProcessAlive, readRunInfo, resolveRunRef, RunReadError } from './reader';
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

function planRun(start: StartMessage): RunPlan {
  const options = start.options;
  if (!options.resume) {
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
    };
  }
  const dir = resolveRunRef(options.resume, options.runsDir);
  const info = readRunInfo(dir);
  if (info.status === 'running' && isProcessAlive(info.pid))
    throw new SetupError(`run ${info.id} is still running (worker pid ${info.pid}); stop it before resuming`);
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
  };
}

export async function trainRun(
  start: StartMessage,
  send: (message: WorkerToParentMessage) => void,
  shouldStop: () => boolean,
): Promise<FinishedMessage | FailedMessage> {
  let trainer: Trainer | undefined;
  try {
    const plan = planRun(start);
    const backend = await ensureBackend(plan.backend, plan.threads);
    try {
      trainer = await createTrainer({
        model: plan.model,
        backend,
        baseDir: dirname(plan.file),
        steps: plan.steps,
        dataLimit: plan.dataLimit,
      });
    } catch (error) {
      throw locateDataError(error, plan);
    }
    const fields = {
      model: plan.model.name,
      family: plan.model.family,
      sourceFile: plan.file,
      backend: backend.name,
      requestedBackend: plan.backend,
      device: backend.device,
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
      removeIncompleteCheckpoints(plan.resumeDir);
      const step = lastCheckpoint(plan.resumeDir);
      if (step !== null) {
        const dir = checkpointPath(plan.resumeDir, step);
        await trainer.loadCheckpoint(dir);
        timeOffset = readCheckpointState(dir)?.time ?? 0;
        resumedAt = step;
      }
      writer = RunWriter.resume(plan.resumeDir, step ?? 0, fields).writer;
    } else {
      writer = RunWriter.create(start.options.runsDir, fields, plan.model.source);
    }
    send({
      type: 'started',
      runDir: writer.dir,
      runId: writer.info.id,
      model: plan.model.name,
      family: plan.model.family,
      backend,
      totalSteps: trainer.totalSteps,
      stepsPerEpoch: trainer.stepsPerEpoch,
      step: trainer.step,
      resumed: plan.resumeDir !== undefined,
      pid: process.pid,
    });
    return await runSession({
      trainer,
      writer,
      timeOffset,
      sampledStep: resumedAt,
      checkpointedStep: resumedAt,
      shouldStop,
      send,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const expected =
      error instanceof SetupError || error instanceof ModelError || error instanceof RunReadError;
    const log = error instanceof Error && !expected ? error.stack : undefined;
    return { type: 'failed', message, log };
  } finally {
    trainer?.dispose();
  }
}
