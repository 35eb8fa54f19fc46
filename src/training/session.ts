// The training loop of one run: drives a Trainer step by step, writes the run folder (metrics,
// samples, checkpoints, run.json) and reports progress. Stops cleanly between steps when asked.
import { growthOf } from '../protocol/growth';
import type { FailedMessage, FinishedMessage, MetricRow, WorkerToParentMessage } from '../protocol/training';
import type { ResolvedModel } from '../language/model';
import type { Trainer } from './contract';
import { TRAINING_FAMILIES } from './engine/families';
import type { EvaluationHook } from './eval/trainingEval';
import type { RunWriter } from './runs/writer';
import { SampleSchedule } from './sampleSchedule';
import { assessHealth, type HealthContext } from '../protocol/health';
import { seriesOfRows } from '../protocol/metricSeries';
import { tracePhase } from './runs/startupTrace';

export interface SessionOptions {
  readonly trainer: Trainer;
  readonly writer: RunWriter;
  /** Seconds of training done before this session (when resuming). */
  readonly timeOffset: number;
  /** Steps that already have a sample grid / checkpoint (when resuming), so they are not redone. */
  readonly sampledStep?: number;
  readonly checkpointedStep?: number;
  /** Polled between steps. */
  readonly shouldStop: () => boolean;
  readonly send: (message: WorkerToParentMessage) => void;
  /** Progress is sent at least this often (and after every step slower than this). */
  readonly progressIntervalMs?: number;
  /** `evaluate` metrics, run after the steps they are due at; their values join that step's row. */
  readonly evaluation?: EvaluationHook | null;
}

const STEP_WINDOW = 20;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** What to tell the user when a loss stops being a finite number. */
export function divergenceMessage(model: ResolvedModel, metric: string, value: number, step: number): string {
  const rates = Object.entries(model.optimizers).map(([role, opt]) => `${role} lr=${opt?.lr}`);
  const lossAdvice = TRAINING_FAMILIES[model.family].divergenceAdvice;
  return (
    `training diverged: ${metric} became ${Number.isNaN(value) ? 'NaN' : value} at step ${step}. ` +
    `Try a lower learning rate (now ${rates.join(', ')}; divide it by 10), ${lossAdvice}, ` +
    `or normalization layers (batchnorm / instance norm) in the networks.`
  );
}

const READOUTS: ReadonlySet<string> = new Set(['d_real', 'd_fake']);

/** What the run's health is judged against: its losses, what D's readouts mean, the family's advice. */
export function healthContext(model: ResolvedModel): HealthContext {
  const training = TRAINING_FAMILIES[model.family];
  return {
    losses: training.metrics.filter((m) => !READOUTS.has(m)),
    criticReadout: model.loss.readout,
    divergenceAdvice: training.divergenceAdvice,
  };
}

export async function runSession(options: SessionOptions): Promise<FinishedMessage | FailedMessage> {
  const { trainer, writer, send } = options;
  const model = trainer.model;
  const total = trainer.totalSteps;
  const interval = options.progressIntervalMs ?? 250;
  const started = performance.now();
  const elapsed = (): number => options.timeOffset + (performance.now() - started) / 1000;
  let sampledStep = options.sampledStep ?? -1;
  let checkpointedStep = options.checkpointedStep ?? -1;
  let pending: MetricRow[] = [];
  let lastFlush = performance.now();
  const stepSeconds: number[] = [];

  const imagesPerSec = (): number => {
    const seconds = stepSeconds.reduce((a, b) => a + b, 0);
    return seconds > 0 ? (trainer.imagesPerStep * stepSeconds.length) / seconds : 0;
  };
  const flush = (evaluating = false): void => {
    lastFlush = performance.now();
    const step = trainer.step;
    const rate = imagesPerSec();
    const stepsPerSec = rate / Math.max(1, trainer.imagesPerStep);
    const growth = growthOf(pending[pending.length - 1]);
    writer.update({ step, ...(growth ? { growth } : {}) });
    send({
      type: 'progress',
      rows: pending,
      step,
      totalSteps: total,
      imagesPerSec: round(rate, 2),
      etaSeconds: stepsPerSec > 0 ? round((total - step) / stepsPerSec, 1) : null,
      ...(evaluating ? { evaluating } : {}),
    });
    pending = [];
  };
  const now = (): number => performance.now() / 1000;
  const schedule = new SampleSchedule(model.sample.every, now());
  const sample = async (step: number): Promise<void> => {
    const t0 = now();
    const png = await trainer.renderSamples();
    const path = writer.writeSample(step, png);
    sampledStep = step;
    schedule.written(step, now(), now() - t0);
    send({ type: 'sample', step, path });
    if (step === 0) tracePhase('step 0 grid written');
  };
  let evaluation = options.evaluation ?? null;
  /** A failing evaluation is reported once and switched off; the training itself goes on. */
  const evaluate = async (step: number): Promise<Record<string, number>> => {
    if (!evaluation?.due(step)) return {};
    flush(true);
    try {
      await trainer.syncNetworks();
      return await evaluation.run(step);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      console.error(`evaluation failed at step ${step}: ${message}; training continues without it`);
      evaluation = null;
      return {};
    }
  };
  const health = healthContext(model);
  /** Judged at every checkpoint and at the end, from the whole metrics file (resumed parts too). */
  const recordHealth = (): void =>
    writer.update({ health: assessHealth(seriesOfRows(writer.readMetrics()), health) });
  const checkpoint = async (step: number): Promise<void> => {
    const path = await writer.writeCheckpoint({ step, time: round(elapsed(), 3) }, (dir) =>
      trainer.saveCheckpoint(dir),
    );
    recordHealth();
    checkpointedStep = step;
    send({ type: 'checkpoint', step, path });
  };

  try {
    if (trainer.step === 0 && sampledStep < 0 && total > 0) {
      await sample(0);
    }
    while (trainer.step < total && !options.shouldStop()) {
      const epoch = trainer.epoch();
      const t0 = performance.now();
      const metrics = await trainer.trainStep();
      const seconds = (performance.now() - t0) / 1000;
      const step = trainer.step;
      const diverged = Object.entries(metrics).find(([, value]) => !Number.isFinite(value));
      if (diverged) {
        if (pending.length) flush();
        const message = divergenceMessage(model, diverged[0], diverged[1], step);
        writer.finish('failed', step - 1, message);
        return { type: 'failed', message, step, runDir: writer.dir };
      }
      stepSeconds.push(seconds);
      if (stepSeconds.length > STEP_WINDOW) stepSeconds.shift();
      const row: MetricRow = {
        step,
        epoch,
        time: round(elapsed(), 3),
        images_per_sec: round(trainer.imagesPerStep / Math.max(seconds, 1e-9), 2),
        ...metrics,
        ...(await evaluate(step)),
      };
      writer.appendMetrics(row);
      pending.push(row);
      if (sampledStep !== step && schedule.due(step, now())) {
        flush();
        await sample(step);
      }
      if (step % model.train.checkpoint === 0) {
        if (pending.length) flush();
        await checkpoint(step);
      }
      if (pending.length && performance.now() - lastFlush >= interval) flush();
      await yieldToEventLoop();
    }
    const step = trainer.step;
    if (pending.length) flush();
    if (sampledStep !== step) await sample(step);
    if (checkpointedStep !== step) await checkpoint(step);
    else recordHealth();
    const status = step >= total ? 'completed' : 'stopped';
    writer.finish(status, step);
    return { type: 'finished', status, step, runDir: writer.dir };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    writer.finish('failed', trainer.step, message);
    return {
      type: 'failed',
      message,
      step: trainer.step,
      log: error instanceof Error ? error.stack : undefined,
      runDir: writer.dir,
    };
  }
}
