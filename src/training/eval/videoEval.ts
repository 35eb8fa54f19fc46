// video's evaluation: per-frame distances (generated frames against held-out frames) and temporal
// measures: how often a clip keeps its class across its frames by the feature network's classifier
// (a moving digit should stay the same digit), and how far and how smoothly its ink moves.
import * as tf from '@tensorflow/tfjs';
import type { DataSourceName, ResolvedData, ResolvedModel } from '../../language/model';
import { predictValues } from '../engine/families/family';
import { clipShapeOf, drawClips, motionNoise } from '../engine/families/video';
import { latentValues } from '../engine/noise';
import { CounterRng } from '../engine/rng';
import { argmaxRows } from './classStats';
import { CLASSIFIERS } from './classifiers';
import { centredWindows, clipMotion, inkCentres } from './clipMotion';
import type { FeatureNetwork } from './featureNetwork';

type Networks = Readonly<Record<string, tf.LayersModel>>;

/** Clips the temporal measures draw, and their seed: 256 puts a share's standard error at about 3
 *  points (64 left it at 6, more than most changes to a model move it). */
export const CONSISTENCY_CLIPS = 256;
const CONSISTENCY_SEED = 0x636c6970;

function pick(networks: Networks, ...names: string[]): tf.LayersModel {
  for (const name of names) if (networks[name]) return networks[name];
  throw new Error(`the model has no ${names.join(' or ')} network`);
}

/** Frames of ⌈n / frames⌉ fresh clips from `seed`, clip after clip, cut to n frames. */
export async function generateClipFrames(
  model: ResolvedModel,
  networks: Networks,
  n: number,
  seed: number,
): Promise<Float32Array> {
  const shape = clipShapeOf(model);
  const latent = model.latent;
  if (!latent) throw new Error('video needs a latent section');
  const clips = Math.ceil(n / shape.frames);
  const rng = new CounterRng(seed);
  const content = latentValues(rng, clips, latent);
  const perClip = shape.frames * shape.motion;
  const motion = motionNoise(rng, clips, shape);
  const nets = {
    trajectory: pick(networks, 'trajectory_ema', 'trajectory'),
    generator: pick(networks, 'generator_ema', 'generator'),
  };
  const frames = await predictValues(
    (start, count) =>
      drawClips(
        nets,
        shape,
        tf.tensor2d(content.subarray(start * shape.content, (start + count) * shape.content), [
          count,
          shape.content,
        ]),
        tf.tensor3d(motion.subarray(start * perClip, (start + count) * perClip), [
          count,
          shape.frames,
          shape.motion,
        ]),
        false,
      ),
    clips,
    16,
  );
  const [h, w, c] = shape.frame;
  return frames.subarray(0, n * h * w * c);
}

/**
 * Frames a classifier reads whole, unless it was trained on digits centred by their ink (MNIST: a
 * 28x28 window around the centre of mass); a moving digit is then brought to it the same way.
 */
const CENTRED_WINDOW: Partial<Record<DataSourceName, number>> = { moving_mnist: CLASSIFIERS.mnist.shape[0] };

function framesForClassifier(
  frames: Float32Array,
  count: number,
  data: ResolvedData,
  centres: Float64Array,
): { images: Float32Array; data: ResolvedData } {
  const window = CENTRED_WINDOW[data.source];
  if (window === undefined || (data.shape[0] <= window && data.shape[1] <= window))
    return { images: frames, data };
  return {
    images: centredWindows(frames, count, data.shape, data.scale, centres, window),
    data: { ...data, shape: [window, window, data.shape[2]] },
  };
}

/** A frame the classifier gives one class at least this probability counts as legible. */
export const LEGIBLE_PROBABILITY = 0.9;

export interface ClipReading {
  /** The share of clips whose every frame gets the first frame's class. */
  readonly consistency: number;
  /** The share of frames read as one class with probability ≥ LEGIBLE_PROBABILITY. */
  readonly legible: number;
}

/** How the classifier reads the clips' frames (null: no classifier). */
export function readClips(
  frames: Float32Array,
  clips: number,
  model: ResolvedModel,
  features: FeatureNetwork,
  centres: Float64Array,
): ClipReading | null {
  const shape = clipShapeOf(model);
  const count = clips * shape.frames;
  const input = framesForClassifier(frames, count, model.data[0], centres);
  const { probabilities } = features.embed(input.images, count, input.data);
  if (!probabilities) return null;
  const labels = argmaxRows(probabilities);
  let same = 0;
  for (let i = 0; i < clips; i++) {
    let kept = true;
    for (let t = 1; t < shape.frames; t++) kept &&= labels[i * shape.frames + t] === labels[i * shape.frames];
    if (kept) same++;
  }
  let legible = 0;
  for (let i = 0; i < count; i++)
    if (probabilities.values[i * probabilities.classes + labels[i]] >= LEGIBLE_PROBABILITY) legible++;
  return { consistency: same / clips, legible: legible / count };
}

/** The temporal measures of `clips` clips: class consistency, legibility and the motion of their ink. */
function measureClips(
  frames: Float32Array,
  clips: number,
  model: ResolvedModel,
  features: FeatureNetwork,
  suffix: string,
): Record<string, number> {
  const shape = clipShapeOf(model);
  const data = model.data[0];
  const centres = inkCentres(frames, clips * shape.frames, data.shape, data.scale);
  const reading = readClips(frames, clips, model, features, centres);
  const motion = clipMotion(centres, clips, shape.frames);
  return {
    ...(reading === null
      ? {}
      : {
          [`eval/label_consistency${suffix}`]: reading.consistency,
          [`eval/legible_frames${suffix}`]: reading.legible,
        }),
    [`eval/motion_step${suffix}`]: motion.step,
    [`eval/motion_accel${suffix}`]: motion.accel,
  };
}

/**
 * eval/label_consistency, eval/legible_frames, eval/motion_step and eval/motion_accel of generated
 * clips, and the same with `_real` of held-out ones.
 */
export async function temporalMeasures(
  model: ResolvedModel,
  networks: Networks,
  heldOutFrames: (n: number) => Promise<Float32Array>,
  features: FeatureNetwork,
): Promise<Record<string, number>> {
  const n = CONSISTENCY_CLIPS * clipShapeOf(model).frames;
  const fake = await generateClipFrames(model, networks, n, CONSISTENCY_SEED);
  const real = await heldOutFrames(n);
  return {
    ...measureClips(fake, CONSISTENCY_CLIPS, model, features, ''),
    ...measureClips(real, CONSISTENCY_CLIPS, model, features, '_real'),
  };
}
