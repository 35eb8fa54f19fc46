// The first training steps of an example model on one backend: losses and ms per step. Shared by
// the WebGPU numerical test (test/training/backend/webgpu.test.ts) and `npm run gpu:check`.
// Weights, noise and batches come from the model's seed through JavaScript-side generators, so
// every backend starts from the same numbers and the losses are comparable.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, type BackendName, type ResolvedModel } from '../src/language';
import { initBackend } from '../src/training/backend';
import type { BackendInfo } from '../src/protocol/training';
import { createTrainer } from '../src/training/engine';

// Beside bench/ from sources; the repository root (cwd) from a bundle such as .cache/gpu-check/.
export const examplesDir =
  [join(__dirname, '..', 'examples'), join(process.cwd(), 'examples')].find((dir) =>
    existsSync(join(dir, 'mnist-dcgan.gan')),
  ) ?? join(process.cwd(), 'examples');

/** A model of examples/FILE by name; `rewrite` edits the source first (e.g. to swap its data). */
export function exampleModel(
  file: string,
  name: string,
  rewrite: (text: string) => string = (text) => text,
): ResolvedModel {
  const text = rewrite(readFileSync(join(examplesDir, file), 'utf8'));
  const found = analyze(text).models.find((m) => m.name === name);
  if (!found?.resolved) throw new Error(`examples/${file} has no clean model ${name}`);
  return found.resolved;
}

export interface FirstSteps {
  readonly backend: BackendInfo;
  /** One entry per step: every loss the family logs. */
  readonly losses: readonly Readonly<Record<string, number>>[];
  /** Wall time per step, the first (shader compilation, warm-up) included. */
  readonly ms: readonly number[];
  /** Size of the sample grid PNG rendered after the steps, when asked for. */
  readonly samplePngBytes: number | null;
}

export async function firstSteps(
  model: ResolvedModel,
  backend: BackendName,
  steps: number,
  options: { extraModulePaths?: readonly string[]; threads?: number; renderSamples?: boolean } = {},
): Promise<FirstSteps> {
  const info = await initBackend(backend, options);
  const trainer = await createTrainer({
    model,
    backend: info,
    baseDir: examplesDir,
    dataLimit: model.data[0].batch * (steps + 1),
    steps,
  });
  try {
    const losses: Record<string, number>[] = [];
    const ms: number[] = [];
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now();
      losses.push({ ...(await trainer.trainStep()) });
      ms.push(performance.now() - t0);
    }
    const png = options.renderSamples ? await trainer.renderSamples() : null;
    return { backend: info, losses, ms, samplePngBytes: png ? png.length : null };
  } finally {
    trainer.dispose();
  }
}

/** Largest |a - b| / max(|b|, 1e-3) over the losses both runs logged, step by step. */
export function lossDifference(a: FirstSteps, b: FirstSteps): number {
  let worst = 0;
  for (let i = 0; i < Math.min(a.losses.length, b.losses.length); i++) {
    for (const [name, value] of Object.entries(b.losses[i])) {
      const other = a.losses[i][name];
      if (other === undefined) continue;
      worst = Math.max(worst, Math.abs(other - value) / Math.max(Math.abs(value), 1e-3));
    }
  }
  return worst;
}
