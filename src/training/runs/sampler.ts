// Answers sample requests: builds a run's networks from its model.gan alone (no data is read
// unless the mode needs real images), loads one of its checkpoints (the newest that verifies,
// unless one is asked for), keeps both for the next request on the same run, and renders a grid
// into a PNG file (a clip model's into an animated GIF when the file asked for ends in .gif).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { ResolvedModel } from '../../language/model';
import type { SampleRequestMessage, UpscaleRequestMessage } from '../../protocol/training';
import type { SampleProgress, Trainer } from '../contract';
import type { SampleRequest } from '../../protocol/sample';
import { createTrainer } from '../engine/index';
import { upscaleOf } from '../engine/families/srgan';
import { upscaleTiled } from '../engine/tiles';
import { clipFrames as clipFrameCount } from '../../language/families/video';
import { clipGif } from './clipAnimation';
import { readImage, writePng } from './imageFiles';
import { sampleRequestProblem } from '../../protocol/sampleRequest';
import { backendForRun, ensureBackend } from './backendOnce';
import { CheckpointError, lastCheckpoint, loadNewestValid } from './checkpoints';
import { pickModel } from './models';
import { MODEL_GAN, resolveInside, stepName } from './paths';
import { readRunInfo } from './reader';

/** The largest image `upscale` writes: the blending buffers take 8 bytes per value. */
const MAX_UPSCALED_PIXELS = 16e6;

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
    throw new Error(
      model.captioned
        ? `${model.name} is conditioned on captions: ask for them with --text, not a class`
        : `${model.name} is not conditional (${model.family}): it takes no class`,
    );
  const count = model.condition.classes;
  const bad = classes.find((c) => !Number.isInteger(c) || c < 0 || c >= count);
  if (bad !== undefined)
    throw new Error(`class ${bad} is out of range: ${model.name} has classes 0 to ${count - 1}`);
}

export class Sampler {
  private loaded: Loaded | null = null;

  async render(
    request: SampleRequestMessage,
    progress?: SampleProgress,
  ): Promise<{ path: string; step: number }> {
    const runDir = resolve(request.runDir);
    const info = readRunInfo(runDir);
    const problem = sampleRequestProblem(request.request);
    if (problem) throw new Error(`bad sample request: ${problem}`);
    const loaded = await this.trainerFor(runDir);
    checkClasses(loaded.trainer.model, request.request);
    const model = loaded.trainer.model;
    if (request.request.text && !model.captioned)
      throw new Error(`${model.name} is not text-conditioned (${model.family}): it takes no --text`);
    const step = await this.checkpointFor(loaded, runDir, request.checkpoint);
    if (step === null) throw new Error(`run ${info.id} has no checkpoint yet`);
    const png = await loaded.trainer.renderSamples(request.request, progress);
    const animate = request.out?.toLowerCase().endsWith('.gif') ?? false;
    const frames = clipFrameCount(loaded.trainer.model.data);
    if (animate && frames === null)
      throw new Error(`${loaded.trainer.model.name} draws images, not clips: write a .png`);
    const out = request.out
      ? resolve(request.out)
      : resolveInside(tmpdir(), `gan-sample-${info.id}-${stepName(step)}-${Date.now()}.png`);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, animate && frames !== null ? clipGif(png, frames) : png);
    return { path: out, step };
  }

  /** Super-resolves a user's image with the generator of an srgan run's checkpoint. */
  async upscale(request: UpscaleRequestMessage): Promise<{ path: string; step: number }> {
    const runDir = resolve(request.runDir);
    const info = readRunInfo(runDir);
    const loaded = await this.trainerFor(runDir);
    const model = loaded.trainer.model;
    const generator = loaded.trainer.networks.generator_ema ?? loaded.trainer.networks.generator;
    if (model.settings.upscale === undefined || !generator)
      throw new Error(`${model.name} is a ${model.family} model: only srgan runs upscale images`);
    const step = await this.checkpointFor(loaded, runDir, request.checkpoint);
    if (step === null) throw new Error(`run ${info.id} has no checkpoint yet`);
    const data = model.data[0];
    const image = await readImage(resolve(request.input), data.shape[2], data.scale);
    const factor = upscaleOf(model).factor;
    if (image.width * image.height * factor * factor > MAX_UPSCALED_PIXELS)
      throw new Error(
        `${basename(request.input)} is ${image.width}x${image.height}: upscaled ${factor}x it would be ${image.width * factor}x${image.height * factor}, over ${MAX_UPSCALED_PIXELS / 1e6} megapixels; crop or shrink it first`,
      );
    const input = generator.inputs[0].shape;
    const tile: [number, number] = [input[1] ?? data.shape[0], input[2] ?? data.shape[1]];
    const out = await upscaleTiled(generator, image, tile, factor);
    const path = resolve(request.out);
    mkdirSync(dirname(path), { recursive: true });
    writePng(path, out, data.scale);
    return { path, step };
  }

  /** The loaded checkpoint's step after loading `wanted` (or the newest valid one). */
  private async checkpointFor(
    loaded: Loaded,
    runDir: string,
    wanted: number | undefined,
  ): Promise<number | null> {
    if (loaded.step !== null && loaded.step === (wanted ?? lastCheckpoint(runDir))) return loaded.step;
    try {
      const { step } = await loadNewestValid(
        runDir,
        async (dir) => {
          loaded.step = null;
          await loaded.trainer.loadCheckpoint(dir);
        },
        wanted,
      );
      loaded.step = step;
      return step;
    } catch (error) {
      if (error instanceof CheckpointError)
        throw new Error(`run ${basename(runDir)}: ${error.message}`, { cause: error });
      throw error;
    }
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
    const backend = await ensureBackend(backendForRun(info));
    const trainer = await createTrainer({
      model,
      backend,
      baseDir: dirname(info.sourceFile),
      steps: info.stepsOverride ?? undefined,
      dataLimit: info.dataLimit ?? undefined,
      samplingOnly: true,
    });
    this.loaded = { runDir, trainer, step: null };
    return this.loaded;
  }
}
