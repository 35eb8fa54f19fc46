// Shared by the engine tests: resolved models from .gan text, trainers on the cpu backend.
import * as tf from '@tensorflow/tfjs';
import { analyze } from '../../../src/language/analyze';
import type { ResolvedModel } from '../../../src/language/model';
import type { BackendInfo, Trainer } from '../../../src/training/contract';
import { createTrainer } from '../../../src/training/engine';

export function resolveModel(text: string, name?: string): ResolvedModel {
  const analysis = analyze(text);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(errors.map((d) => `${d.code} ${d.message}`).join('\n'));
  const info = name ? analysis.models.find((m) => m.name === name) : analysis.models[0];
  if (!info?.resolved) throw new Error(`model ${name ?? '(first)'} did not resolve`);
  return info.resolved;
}

export const CPU: BackendInfo = {
  name: 'cpu',
  requested: 'cpu',
  device: 'CPU (plain JS)',
  threads: 1,
  skipped: [],
};

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

export async function trainerFor(
  model: ResolvedModel,
  opts: { steps?: number; dataLimit?: number } = {},
): Promise<Trainer> {
  await useCpu();
  return createTrainer({ model, backend: CPU, baseDir: process.cwd(), ...opts });
}

export async function train(trainer: Trainer, steps: number): Promise<Record<string, number>[]> {
  const out: Record<string, number>[] = [];
  for (let i = 0; i < steps; i++) out.push({ ...(await trainer.trainStep()) });
  return out;
}

export function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
