// Evaluation inside a training run: which metrics are due at a step (each `evaluate` metric on
// its own `every`), and a hook the session calls then. The evaluator (feature network, real
// reference) is opened at the first due step, so runs without `evaluate` pay nothing.
import type { EvalMetricName, ResolvedModel } from '../../language/model';
import { Evaluator, type EvalRequest } from './evaluator';
import type { Networks } from './familyEval';
import type { FeatureNetworkOptions } from './featureNetwork';

export interface EvaluationHook {
  /** Whether any metric is due after `step` steps. */
  due(step: number): boolean;
  /** Evaluates the networks as they are now: eval/… values for the step's metrics row. */
  run(step: number): Promise<Record<string, number>>;
  dispose(): void;
}

/** The metrics due at a step and their sample counts, or null when none is. */
export function dueRequest(model: ResolvedModel, step: number): EvalRequest | null {
  const samples: Partial<Record<EvalMetricName, number>> = {};
  let any = false;
  for (const [name, schedule] of Object.entries(model.evaluate) as [
    EvalMetricName,
    { every: number; samples: number },
  ][]) {
    if (step > 0 && step % schedule.every === 0) {
      samples[name] = schedule.samples;
      any = true;
    }
  }
  return any ? { samples, seed: model.train.seed } : null;
}

export function trainingEvaluation(
  model: ResolvedModel,
  networks: () => Networks,
  options: FeatureNetworkOptions,
): EvaluationHook | null {
  if (Object.keys(model.evaluate).length === 0) return null;
  let evaluator: Promise<Evaluator> | null = null;
  return {
    due: (step) => dueRequest(model, step) !== null,
    async run(step) {
      const request = dueRequest(model, step);
      if (!request) return {};
      evaluator ??= Evaluator.open(model, options);
      const result = await (await evaluator).evaluate(networks(), request);
      return result.values;
    },
    dispose() {
      void evaluator?.then(
        (e) => e.dispose(),
        () => undefined,
      );
    },
  };
}
