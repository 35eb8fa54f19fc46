// Evaluates one checkpoint of a run folder in this process (the `gan eval` command and
// `npm run bench:eval`): the model as trained (model.gan), its checkpoint loaded into a trainer,
// then the evaluator. Results are appended to the run's eval.jsonl.
import { appendFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { EvalMetricName } from '../../language/model';
import { EVAL_JSONL, type EvalRecord } from '../runs/evalRecords';
import { createTrainer } from '../engine/index';
import { backendForRun, ensureBackend } from '../runs/backendOnce';
import { listCheckpoints } from '../runs/checkpoints';
import { pickModel } from '../runs/models';
import { checkpointPath, MODEL_GAN } from '../runs/paths';
import { readRunInfo, RunReadError } from '../runs/reader';
import { Evaluator, type EvalResult } from './evaluator';
import { FAMILY_EVALUATION } from './familyEval';
import { languageFamily } from '../../language/families';

export interface EvalRunOptions {
  readonly checkpoint?: number;
  readonly samples: Readonly<Partial<Record<EvalMetricName, number>>>;
  /** Whether the metrics were chosen (`--metrics`); when not, a family that draws pixel by pixel
   *  is evaluated by its test likelihood only, and `nll` is dropped where there is none. */
  readonly metricsChosen?: boolean;
  /** Append the result to the run's eval.jsonl (default true). */
  readonly record?: boolean;
  readonly log?: (line: string) => void;
}

export async function evaluateRun(runDir: string, options: EvalRunOptions): Promise<EvalRecord> {
  const info = readRunInfo(runDir);
  const steps = listCheckpoints(runDir);
  if (!steps.length) throw new RunReadError(`run ${info.id} has no checkpoint yet`);
  const step = options.checkpoint ?? steps[steps.length - 1];
  if (!steps.includes(step))
    throw new RunReadError(
      `run ${info.id} has no checkpoint at step ${step} (checkpoints: ${steps.join(', ')})`,
    );
  const model = pickModel(readFileSync(join(runDir, MODEL_GAN), 'utf8'), join(runDir, MODEL_GAN), info.model);
  const backend = await ensureBackend(backendForRun(info));
  const baseDir = dirname(info.sourceFile);
  const trainer = await createTrainer({ model, backend, baseDir, dataLimit: info.dataLimit ?? undefined });
  let evaluator: Evaluator | undefined;
  try {
    await trainer.loadCheckpoint(checkpointPath(runDir, step));
    evaluator = await Evaluator.open(model, { ganDir: dirname(dirname(runDir)), baseDir, log: options.log });
    const family = FAMILY_EVALUATION[model.family];
    const likelihood = languageFamily(model.family).likelihood === true;
    const { nll, ...sampled } = options.samples;
    if (nll !== undefined && !likelihood && options.metricsChosen)
      throw new RunReadError(`nll needs a model with an exact likelihood; ${info.id} is a ${model.family}`);
    const samples =
      family.sequential && !options.metricsChosen
        ? { nll: nll ?? 10000 }
        : likelihood
          ? options.samples
          : sampled;
    const result: EvalResult = await evaluator.evaluate(trainer.networks, {
      samples,
      seed: model.train.seed,
    });
    const record: EvalRecord = {
      run: info.id,
      model: info.model,
      step,
      time: new Date().toISOString(),
      features: result.features,
      samples,
      values: result.values,
      seconds: result.seconds,
    };
    if (options.record ?? true) appendFileSync(join(runDir, EVAL_JSONL), `${JSON.stringify(record)}\n`);
    return record;
  } finally {
    evaluator?.dispose();
    trainer.dispose();
  }
}
