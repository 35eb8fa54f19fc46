// video (MoCoGAN, Tulyakov et al. 2018): a content code per clip, a recurrent trajectory of motion
// codes per frame, a frame generator shared across time, a frame critic and a clip critic. A
// batch of real data is `batch` clips of `frames` consecutive frames (src/training/data/open-clips.ts).
import * as tf from '@tensorflow/tfjs';
import { clipFrames } from '../../../language/families/video';
import type { NetworkRole, ResolvedModel } from '../../../language/model';
import { requireNetwork } from './gan';
import type { DataBatch, StepMetrics } from '../../contract';
import type { SampleRequest } from '../../../protocol/sample';
import { compileNetwork } from '../compile';
import { WeightAverage } from '../ema';
import { adversarialLoss, type AdversarialLoss } from '../losses';
import { interpolationGrid, latentValues, slerp } from '../noise';
import { createOptimizer } from '../optimizers';
import type { ImageGrid } from '../png';
import { CounterRng } from '../rng';
import { ADVERSARIAL_ADVICE } from './adversarial';
import {
  feedDropouts,
  gridOf,
  imageTensor,
  minimizeJoint,
  numberParam,
  predictValues,
  readScalars,
  trainableVariables,
  type Family,
  type FamilyDeps,
  type TrainingFamily,
} from './family';

/** Frame critic: d_*; clip critic: v_*; g_loss is the generator's total against both. */
export const VIDEO_METRICS: readonly string[] = [
  'd_loss',
  'g_loss',
  'd_real',
  'd_fake',
  'v_loss',
  'v_real',
  'v_fake',
];

/** The networks that draw clips: trajectory + frame generator (or their weight averages). */
export interface ClipDrawer {
  readonly trajectory: tf.LayersModel;
  readonly generator: tf.LayersModel;
}

export interface ClipShape {
  readonly frames: number;
  readonly content: number;
  readonly motion: number;
  /** `motion noise=`: fresh noise at each frame, or at the first frame only. */
  readonly noise: 'each' | 'first';
  /** `critic_frames`: frames of each clip the frame critic judges, drawn at random; null: all. */
  readonly criticFrames: number | null;
  readonly frame: readonly [number, number, number];
}

export function clipShapeOf(model: ResolvedModel): ClipShape {
  const frames = clipFrames(model.data);
  const motion = model.settings.motion?.size;
  if (frames === null || typeof motion !== 'number' || !model.latent)
    throw new Error(`model ${model.name} needs clip data, a latent and a motion section`);
  const noise = model.settings.motion?.noise === 'first' ? 'first' : 'each';
  const count = model.settings.critic_frames?.count;
  const criticFrames = typeof count === 'number' && count < frames ? count : null;
  return { frames, content: model.latent.size, motion, noise, criticFrames, frame: model.data[0].shape };
}

/** Which frames of `clips` clips the frame critic judges: `criticFrames` per clip, distinct, each
 *  row [clip, k] a frame index within its clip (a partial Fisher–Yates shuffle per clip). */
export function criticFramePicks(rng: CounterRng, clips: number, shape: ClipShape): Int32Array | null {
  const count = shape.criticFrames;
  if (count === null) return null;
  const picks = new Int32Array(clips * count);
  const order = new Int32Array(shape.frames);
  for (let clip = 0; clip < clips; clip++) {
    for (let t = 0; t < shape.frames; t++) order[t] = t;
    for (let k = 0; k < count; k++) {
      const j = k + Math.floor(rng.uniform() * (shape.frames - k));
      [order[k], order[j]] = [order[j], order[k]];
      picks[clip * count + k] = order[k];
    }
  }
  return picks;
}

/** The picked frames [clips × count, h, w, c] of frames [clips × frames, h, w, c]: a product with
 *  a one-hot selection matrix, which every backend differentiates (wasm has no gather gradient). */
export function pickedFrames(frames: tf.Tensor4D, picks: Int32Array | null, shape: ClipShape): tf.Tensor4D {
  if (picks === null || shape.criticFrames === null) return frames;
  const count = shape.criticFrames;
  const rows = new Int32Array(picks.length);
  for (let i = 0; i < picks.length; i++) rows[i] = Math.floor(i / count) * shape.frames + picks[i];
  const select = tf.oneHot(tf.tensor1d(rows, 'int32'), frames.shape[0]).toFloat();
  return tf
    .matMul(select, frames.reshape([frames.shape[0], -1]))
    .reshape([picks.length, ...shape.frame]) as tf.Tensor4D;
}

/** The trajectory's noise of `clips` clips, [clips, frames, motion] row-major: N(0, 1) at every
 *  frame, or (`noise=first`) zero after the first. The stream is consumed alike either way. */
export function motionNoise(rng: CounterRng, clips: number, shape: ClipShape): Float32Array {
  const perFrame = shape.motion;
  const noise = rng.fillNormal(new Float32Array(clips * shape.frames * perFrame));
  if (shape.noise === 'first')
    for (let clip = 0; clip < clips; clip++)
      noise.fill(0, (clip * shape.frames + 1) * perFrame, (clip + 1) * shape.frames * perFrame);
  return noise;
}

/** Frames [clips × frames, h, w, c] of clips drawn from content codes [clips, content] and motion
 *  noise [clips, frames, motion]: each frame from [z_C, z_M(t)]. */
export function drawClips(
  nets: ClipDrawer,
  shape: ClipShape,
  content: tf.Tensor,
  noise: tf.Tensor,
  training: boolean,
): tf.Tensor4D {
  const clips = content.shape[0];
  const motion = nets.trajectory.apply(noise, { training }) as tf.Tensor;
  const codes = tf.concat([content.reshape([clips, 1, shape.content]).tile([1, shape.frames, 1]), motion], 2);
  const frames = nets.generator.apply(codes.reshape([clips * shape.frames, shape.content + shape.motion]), {
    training,
  }) as tf.Tensor;
  return frames.reshape([clips * shape.frames, ...shape.frame]) as tf.Tensor4D;
}

/** Frames [clips × frames, h, w, c] as clips [clips, h, w, frames × c] (frame t in channels t·c…). */
export function stackClips(frames: tf.Tensor, shape: ClipShape): tf.Tensor4D {
  const [h, w, c] = shape.frame;
  return frames
    .reshape([-1, shape.frames, h, w, c])
    .transpose([0, 2, 3, 1, 4])
    .reshape([-1, h, w, shape.frames * c]) as tf.Tensor4D;
}

export class VideoFamily implements Family {
  readonly networks: Readonly<Record<string, tf.LayersModel>>;
  readonly optimizers: Readonly<Record<string, tf.Optimizer>>;
  readonly imagesPerStep: number;
  readonly batchesPerStep: number;
  private readonly shape: ClipShape;
  private readonly loss: AdversarialLoss;
  private readonly nets: ClipDrawer & {
    readonly frameCritic: tf.LayersModel;
    readonly clipCritic: tf.LayersModel;
  };
  private readonly averages: readonly WeightAverage[];
  private readonly sampler: ClipDrawer;

  constructor(private readonly deps: FamilyDeps) {
    const model = deps.model;
    const seed = model.train.seed;
    this.shape = clipShapeOf(model);
    const build = (role: NetworkRole, name: string) => compileNetwork(requireNetwork(deps, role), name, seed);
    const trajectory = build('trajectory', 'trajectory');
    const generator = build('generator', 'generator');
    const frameCritic = build('discriminator', 'discriminator');
    const clipCritic = build('video_discriminator', 'video_discriminator');
    feedDropouts(
      [...trajectory.dropouts, ...generator.dropouts, ...frameCritic.dropouts, ...clipCritic.dropouts],
      deps.rng,
    );
    this.nets = {
      trajectory: trajectory.model,
      generator: generator.model,
      frameCritic: frameCritic.model,
      clipCritic: clipCritic.model,
    };
    const ema = model.train.ema;
    const averaged =
      ema !== null
        ? {
            trajectory: build('trajectory', 'trajectory_ema').model,
            generator: build('generator', 'generator_ema').model,
          }
        : null;
    this.averages = averaged
      ? [
          new WeightAverage(trajectory.model, averaged.trajectory, ema ?? 0),
          new WeightAverage(generator.model, averaged.generator, ema ?? 0),
        ]
      : [];
    this.sampler = averaged ?? this.nets;
    this.loss = adversarialLoss(model.loss.kind, numberParam(model.loss.params, 'smoothing', 1));
    const optimizer = (role: 'trajectory' | 'generator' | 'discriminator' | 'video_discriminator') => {
      const spec = model.optimizers[role] ?? model.optimizers.generator ?? model.optimizers.discriminator;
      if (!spec) throw new Error('the model has no optimizer');
      return createOptimizer(spec);
    };
    this.optimizers = {
      trajectory: optimizer('trajectory'),
      generator: optimizer('generator'),
      discriminator: optimizer('discriminator'),
      video_discriminator: optimizer('video_discriminator'),
    };
    this.networks = {
      trajectory: trajectory.model,
      generator: generator.model,
      discriminator: frameCritic.model,
      video_discriminator: clipCritic.model,
      ...(averaged ? { trajectory_ema: averaged.trajectory, generator_ema: averaged.generator } : {}),
    };
    this.batchesPerStep = model.train.dSteps;
    this.imagesPerStep = model.data[0].batch * this.shape.frames * this.batchesPerStep;
  }

  private noise(rng: CounterRng, clips: number): { content: tf.Tensor2D; motion: tf.Tensor3D } {
    const latent = this.deps.model.latent;
    if (!latent) throw new Error('video needs a latent section');
    const content = tf.tensor2d(latentValues(rng, clips, latent), [clips, this.shape.content]);
    const motion = tf.tensor3d(motionNoise(rng, clips, this.shape), [
      clips,
      this.shape.frames,
      this.shape.motion,
    ]);
    return { content, motion };
  }

  /** d_steps updates of both critics (each on its own batch), then one generator update. Per
   *  critic batch the stream gives content codes, motion noise and (`critic_frames`) the frames the
   *  frame critic judges, the same picks for the real and the generated clips; then the generator's. */
  async trainStep(): Promise<StepMetrics> {
    const source = this.deps.sources[0];
    const batches: DataBatch[] = [];
    for (let k = 0; k < this.batchesPerStep; k++) batches.push(await source.next());
    const { frameCritic, clipCritic } = this.nets;
    const scalars = tf.tidy(() => {
      let critics: Record<string, tf.Scalar> = {};
      for (const batch of batches) {
        const real = imageTensor(batch, source.shape);
        const clips = batch.count / this.shape.frames;
        const { content, motion } = this.noise(this.deps.rng, clips);
        const picks = criticFramePicks(this.deps.rng, clips, this.shape);
        const fake = drawClips(this.nets, this.shape, content, motion, true);
        const realFrames = pickedFrames(real, picks, this.shape);
        const fakeFrames = pickedFrames(fake, picks, this.shape);
        const realClips = stackClips(real, this.shape);
        const fakeClips = stackClips(fake, this.shape);
        tf.dispose(Object.values(critics));
        const kept: Record<string, tf.Scalar> = {};
        minimizeJoint(
          [
            { optimizer: this.optimizers.discriminator, variables: trainableVariables(frameCritic) },
            { optimizer: this.optimizers.video_discriminator, variables: trainableVariables(clipCritic) },
          ],
          () => {
            const dr = frameCritic.apply(realFrames, { training: true }) as tf.Tensor;
            const df = frameCritic.apply(fakeFrames, { training: true }) as tf.Tensor;
            const vr = clipCritic.apply(realClips, { training: true }) as tf.Tensor;
            const vf = clipCritic.apply(fakeClips, { training: true }) as tf.Tensor;
            const d = this.loss.discriminator(dr, df);
            const v = this.loss.discriminator(vr, vf);
            kept.d_loss = tf.keep(d);
            kept.v_loss = tf.keep(v);
            kept.d_real = tf.keep(this.loss.readout(dr));
            kept.d_fake = tf.keep(this.loss.readout(df));
            kept.v_real = tf.keep(this.loss.readout(vr));
            kept.v_fake = tf.keep(this.loss.readout(vf));
            return d.add(v) as tf.Scalar;
          },
        ).dispose();
        critics = kept;
      }
      const clips = batches[batches.length - 1].count / this.shape.frames;
      const { content, motion } = this.noise(this.deps.rng, clips);
      const picks = criticFramePicks(this.deps.rng, clips, this.shape);
      const gLoss = minimizeJoint(
        [
          { optimizer: this.optimizers.trajectory, variables: trainableVariables(this.nets.trajectory) },
          { optimizer: this.optimizers.generator, variables: trainableVariables(this.nets.generator) },
        ],
        () => {
          const fake = drawClips(this.nets, this.shape, content, motion, true);
          const judged = pickedFrames(fake, picks, this.shape);
          const d = this.loss.generator(frameCritic.apply(judged, { training: true }) as tf.Tensor);
          const v = this.loss.generator(
            clipCritic.apply(stackClips(fake, this.shape), { training: true }) as tf.Tensor,
          );
          return d.add(v) as tf.Scalar;
        },
      );
      return { ...critics, g_loss: gLoss };
    });
    for (const average of this.averages) average.update();
    return readScalars(scalars);
  }

  /** One clip per row, its frames across: `grid` fresh clips; `interpolate` the content code from
   *  seed's to seed2's down the rows under one fixed motion; `motion` the reverse, seed's content
   *  under the motion noise moving from seed's to seed2's (both start from the same first row). */
  async render(request: SampleRequest): Promise<ImageGrid> {
    const model = this.deps.model;
    const latent = model.latent;
    if (!latent) throw new Error('video needs a latent section');
    const [rows] = gridOf(request, model);
    const seed = request.seed ?? model.sample.seed;
    const frames = this.shape.frames;
    const rng = new CounterRng(seed);
    let content: Float32Array;
    let motion: Float32Array;
    const perClip = frames * this.shape.motion;
    const repeated = (one: Float32Array) => {
      const out = new Float32Array(rows * one.length);
      for (let r = 0; r < rows; r++) out.set(one, r * one.length);
      return out;
    };
    if (request.mode === 'interpolate') {
      content = interpolationGrid(latent, 1, rows, seed, request.seed2 ?? seed + 1);
      motion = repeated(motionNoise(rng, 1, this.shape));
    } else if (request.mode === 'motion') {
      content = repeated(latentValues(new CounterRng(seed), 1, latent));
      const from = motionNoise(rng, 1, this.shape);
      const to = motionNoise(new CounterRng(request.seed2 ?? seed + 1), 1, this.shape);
      motion = new Float32Array(rows * perClip);
      for (let r = 0; r < rows; r++)
        motion.set(slerp(from, to, rows === 1 ? 0 : r / (rows - 1)), r * perClip);
    } else {
      content = latentValues(rng, rows, latent);
      motion = motionNoise(rng, rows, this.shape);
    }
    const pixels = await predictValues(
      (start, count) =>
        drawClips(
          this.sampler,
          this.shape,
          tf.tensor2d(content.subarray(start * latent.size, (start + count) * latent.size), [
            count,
            latent.size,
          ]),
          tf.tensor3d(motion.subarray(start * perClip, (start + count) * perClip), [
            count,
            frames,
            this.shape.motion,
          ]),
          false,
        ),
      rows,
      16,
    );
    const data = model.data[0];
    return { rows, cols: frames, pixels, shape: data.shape, scale: data.scale };
  }

  dispose(): void {
    for (const o of Object.values(this.optimizers)) o.dispose();
    for (const m of Object.values(this.networks)) m.dispose();
  }
}

export const videoTraining: TrainingFamily = {
  create: (deps) => new VideoFamily(deps),
  metrics: VIDEO_METRICS,
  sampleModes: ['grid', 'interpolate', 'motion'],
  divergenceAdvice: ADVERSARIAL_ADVICE,
};
