// Answers sample requests: loads a run's model and one of its checkpoints into a trainer (kept
// for the next request on the same run) and renders a grid into a PNG file.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { BackendName, ResolvedModel } from '../../language/model';
import type { SampleRequestMessage } from '../../protocol/training';
import type { Trainer } from '../contract';
import type { SampleRequest } from '../../protocol/sample';
import { createTrainer } from '../engine/index';
import { ensureBackend } from './backendOnce';
import { lastCheckpoint, listCheckpoints } from './checkpoints';
import { pickModel } from './models';
import { checkpointPath, MODEL_GAN, stepName } from './paths';
import { readRunInfo } from './reader';

interface Loaded {
  readonly runDir: string;
  readonly trainer: Trainer;
  step: number | null;
}

/** Class ids must exist in a conditional model; other families take none. */
function checkClasses(model: ResolvedModel, request: SampleRequest): void {
  if (request.classes === undefined) return;
  const classes = typeof request.classes === 'number' ? [request.classes] : request.classes;
  if (!model.condition)
    throw new Error(`${model.name} is not conditional (${model.family}): it takes no class`);
  const count = model.condition.classes;
  const bad = classes.find((c) => !Number.isInteger(c) || c < 0 || c >= count);
  if (bad !== undefined)
    throw new Error(`class ${bad} is out of range: ${model.name} has classes 0 to ${count - 1}`);
}

export class Sampler {
  private loaded: Loaded | null = null;

  async render(request: SampleRequestMessage): Promise<{ path: string; step: number }> {
    const runDir = resolve(request.runDir);
    const info = readRunInfo(runDir);
    const step = request.checkpoint ?? lastCheckpoint(runDir);
    if (step === null) throw new Error(`run ${info.id} has no checkpoint yet`);
    const dir = checkpointPath(runDir, step);
    if (!existsSync(dir)) {
      const steps = listCheckpoints(runDir);
      throw new Error(
        `run ${info.id} has no checkpoint at step ${step} (checkpoints: ${steps.join(', ') || 'none'})`,
      );
    }
    const loaded = await this.trainerFor(runDir);
    checkClasses(loaded.trainer.model, request.request);
    if (loaded.step !== step) {
      await loaded.trainer.loadCheckpoint(dir);
      loaded.step = step;
    }
    const png = await loaded.trainer.renderSamples(request.request);
    const out = resolve(
      request.out ?? join(tmpdir(), `gan-sample-${info.id}-${stepName(step)}-${Date.now()}.png`),
    );
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, png);
    return { path: out, step };
  }

  dispose(): void {
    this.loaded?.trainer.dispose();
    this.loaded = null;
  }

  private async trainerFor(runDir: string): Promise<Loaded> {
    if (this.loaded?.runDir === runDir) return this.loaded;
    this.dispose();
    const info = readRunInfo(runDir);
    const model = pickModel(
      readFileSync(join(runDir, MODEL_GAN), 'utf8'),
      join(runDir, MODEL_GAN),
      info.model,
    );
    const backend = await ensureBackend(info.requestedBackend as BackendName);
    const trainer = await createTrainer({
      model,
      backend,
      baseDir: dirname(info.sourceFile),
      steps: info.stepsOverride ?? undefined,
      dataLimit: info.dataLimit ?? undefined,
    });
    this.loaded = { runDir, trainer, step: null };
    return this.loaded;
  }
}
