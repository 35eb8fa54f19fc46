// Shared by the engine tests: resolved models from .gan text, trainers on the wasm backend
// (single-threaded, so results are deterministic; the plain cpu backend is ~10x slower on convs).
import { analyze } from '../../../src/language/analyze';
import type { ResolvedModel } from '../../../src/language/model';
import { initBackend } from '../../../src/training/backend';
import type { BackendInfo } from '../../../src/protocol/training';
import type { Trainer } from '../../../src/training/contract';
import { createTrainer } from '../../../src/training/engine';

export function resolveModel(text: string, name?: string): ResolvedModel {
  const analysis = analyze(text);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(errors.map((d) => `${d.code} ${d.message}`).join('\n'));
  const info = name ? analysis.models.find((m) => m.name === name) : analysis.models[0];
  if (!info?.resolved) throw new Error(`model ${name ?? '(first)'} did not resolve`);
  return info.resolved;
}

let backend: Promise<BackendInfo> | null = null;

/** wasm by default; GAN_TEST_BACKEND=cpu runs the same tests on the plain JavaScript backend. */
export function useBackend(): Promise<BackendInfo> {
  backend ??= initBackend(process.env.GAN_TEST_BACKEND === 'cpu' ? 'cpu' : 'wasm', { threads: 1 });
  return backend;
}

export async function trainerFor(
  model: ResolvedModel,
  opts: { steps?: number; dataLimit?: number } = {},
): Promise<Trainer> {
  return createTrainer({ model, backend: await useBackend(), baseDir: process.cwd(), ...opts });
}

export async function train(trainer: Trainer, steps: number): Promise<Record<string, number>[]> {
  const out: Record<string, number>[] = [];
  for (let i = 0; i < steps; i++) out.push({ ...(await trainer.trainStep()) });
  return out;
}

export function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
