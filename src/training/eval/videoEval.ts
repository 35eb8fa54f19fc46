// video's evaluation: per-frame distances (generated frames against held-out frames) and a
// temporal measure, how often a clip keeps its class across its frames by the feature network's
// classifier (a moving digit should stay the same digit).
import * as tf from '@tensorflow/tfjs';
import type { ResolvedModel } from '../../language/model';
import { predictValues } from '../engine/families/family';
import { clipShapeOf, drawClips, motionNoise } from '../engine/families/video';
import { latentValues } from '../engine/noise';
import { CounterRng } from '../engine/rng';
import { argmaxRows } from './classStats';
import type { FeatureNetwork } from './featureNetwork';

type Networks = Readonly<Record<string, tf.LayersModel>>;

/** Clips the temporal measure draws, and their seed. */
export const CONSISTENCY_CLIPS = 64;
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

/** The share of clips whose every frame gets the first frame's class (null: no classifier). */
export function labelConsistency(
  frames: Float32Array,
  clips: number,
  model: ResolvedModel,
  features: FeatureNetwork,
): number | null {
  const shape = clipShapeOf(model);
  const { probabilities } = features.embed(frames, clips * shape.frames, model.data[0]);
  if (!probabilities) return null;
  const labels = argmaxRows(probabilities);
  let same = 0;
  for (let i = 0; i < clips; i++) {
    let kept = true;
    for (let t = 1; t < shape.frames; t++) kept &&= labels[i * shape.frames + t] === labels[i * shape.frames];
    if (kept) same++;
  }
  return same / clips;
}

/** eval/label_consistency of generated clips and eval/label_consistency_real of held-out ones. */
export async function temporalMeasures(
  model: ResolvedModel,
  networks: Networks,
  heldOutFrames: (n: number) => Promise<Float32Array>,
  features: FeatureNetwork,
): Promise<Record<string, number>> {
  const n = CONSISTENCY_CLIPS * clipShapeOf(model).frames;
  const fake = labelConsistency(
    await generateClipFrames(model, networks, n, CONSISTENCY_SEED),
    CONSISTENCY_CLIPS,
    model,
    features,
  );
  const real = labelConsistency(await heldOutFrames(n), CONSISTENCY_CLIPS, model, features);
  return {
    ...(fake === null ? {} : { 'eval/label_consistency': fake }),
    ...(real === null ? {} : { 'eval/label_consistency_real': real }),
  };
}
