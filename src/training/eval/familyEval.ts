// How each family is evaluated, as one exhaustive table: which data its outputs imitate, how
// fresh outputs are made from its networks, how its discriminator scores images (adversarial
// families) and what else it measures (vae: test ELBO and reconstructions).
import * as tf from '@tensorflow/tfjs';
import type { FamilyName, ResolvedData, ResolvedModel } from '../../language/model';
import type { DataBatch } from '../contract';
import { predictValues } from '../engine/families/family';
import { latentValues } from '../engine/noise';
import { CounterRng } from '../engine/rng';
import { labelAccuracy } from './classStats';
import { EVAL_TARGET } from '../../protocol/featureLabel';
import type { FeatureNetwork } from './featureNetwork';
import { vaeHeldOut } from './vaeMetrics';
import { superResolveViews, upscaleOf } from '../engine/families/srgan';
import { psnr, ssim } from './imageQuality';
import { translationMetrics } from './translationMetrics';
import { heldOutNll, rowsAbove, sampleLevels } from '../engine/families/pixelcnn';
import { generateFromCaptions } from '../engine/families/stackgan';
import { captionInput } from '../engine/families/cganText';
import { generateClipFrames, temporalMeasures } from './videoEval';

/** Seed of the posterior samples of the VAE's test ELBO. */
const MEASURE_SEED = 0x656c626f;

export type Networks = Readonly<Record<string, tf.LayersModel>>;

export interface EvalContext {
  readonly model: ResolvedModel;
  readonly networks: Networks;
  /** n held-out images of one of the model's data sources (by index). */
  heldOut(source: number, n: number): Promise<DataBatch>;
}

export interface Generated {
  readonly count: number;
  readonly images: Float32Array;
  /** The class each image was asked to be (cgan, a conditional pixelcnn). */
  readonly labels: Int32Array | null;
  /** The caption each image was drawn for (cgan's `condition text`). */
  readonly captions?: readonly string[];
}

/** Raw discriminator outputs for real and generated images, and which network produced them. */
export interface Scores {
  readonly real: Float32Array;
  readonly fake: Float32Array;
}

export interface FamilyEvaluation {
  /** Index in model.data of the source generated images are compared with. */
  readonly target: number;
  /** What is compared, for metric descriptions ("samples", "a→b translations"). */
  readonly what: string;
  generate(ctx: EvalContext, n: number, seed: number): Promise<Generated>;
  /** Discriminator outputs on held-out reals and the generated images, or null (no discriminator). */
  discriminate: ((ctx: EvalContext, real: DataBatch, fake: Generated) => Promise<Scores>) | null;
  /** Further eval/… values from held-out images (vae: test ELBO, reconstructions; srgan: PSNR and
   *  SSIM of the model and of bicubic upscaling; pixelcnn: test NLL; cyclegan: translations judged
   *  in their target domain, round-trip PSNR), or null. */
  measure:
    | ((
        ctx: EvalContext,
        held: DataBatch,
        features: FeatureNetwork,
      ) => Record<string, number> | Promise<Record<string, number>>)
    | null;
  /** Outputs drawn one network pass per pixel (pixelcnn): generated only for the metrics that ask,
   *  never for the evaluation's own class statistics. */
  readonly sequential: boolean;
}

function network(networks: Networks, ...names: string[]): tf.LayersModel {
  for (const name of names) if (networks[name]) return networks[name];
  throw new Error(`the model has no ${names.join(' or ')} network`);
}

function imagesOf(data: ResolvedData, pixels: Float32Array, start: number, n: number): tf.Tensor4D {
  const [h, w, c] = data.shape;
  const size = h * w * c;
  return tf.tensor4d(pixels.subarray(start * size, (start + n) * size), [n, h, w, c]);
}

function latentRows(model: ResolvedModel, n: number, seed: number): { z: Float32Array; size: number } {
  if (!model.latent) throw new Error(`${model.family} needs a latent section`);
  return { z: latentValues(new CounterRng(seed), n, model.latent), size: model.latent.size };
}

/** Labels 0, 1, …, classes − 1, 0, 1, …: every class equally often. */
function balancedLabels(n: number, classes: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i % classes);
}

/** A conditional network's second input for rows start..start+count: labels [count, 1] or bags of words. */
type RowCondition = (start: number, count: number) => tf.Tensor;

function labelRows(labels: Int32Array): RowCondition {
  return (start, count) => tf.tensor2d(labels.subarray(start, start + count), [count, 1], 'int32');
}

function captionRows(net: tf.LayersModel, captions: readonly string[]): RowCondition {
  return (start, count) => captionInput(net, captions.slice(start, start + count));
}

function score(
  net: tf.LayersModel,
  data: ResolvedData,
  images: Float32Array,
  n: number,
  condition: RowCondition | null,
): Promise<Float32Array> {
  return predictValues(
    (start, count) => {
      const x = imagesOf(data, images, start, count);
      const inputs = condition ? [x, condition(start, count)] : x;
      return (net.apply(inputs, { training: false }) as tf.Tensor).reshape([count, -1]).mean(1);
    },
    n,
    256,
  );
}

const gan: FamilyEvaluation = {
  target: EVAL_TARGET.gan,
  what: 'samples',
  async generate(ctx, n, seed) {
    const g = network(ctx.networks, 'generator_ema', 'generator');
    const { z, size } = latentRows(ctx.model, n, seed);
    const images = await predictValues(
      (start, count) =>
        g.apply(tf.tensor2d(z.subarray(start * size, (start + count) * size), [count, size]), {
          training: false,
        }) as tf.Tensor,
      n,
      256,
    );
    return { count: n, images, labels: null };
  },
  async discriminate(ctx, real, fake) {
    const d = network(ctx.networks, 'discriminator');
    const data = ctx.model.data[0];
    return {
      real: await score(d, data, real.images, real.count, null),
      fake: await score(d, data, fake.images, fake.count, null),
    };
  },
  measure: null,
  sequential: false,
};

/** cgan: samples for every class equally often; with `condition text`, samples for held-out
 *  captions, each asked to be its caption's image's class (emoji: its category), as stackgan's. */
const cgan: FamilyEvaluation = {
  target: EVAL_TARGET.cgan,
  what: 'samples',
  async generate(ctx, n, seed) {
    const g = network(ctx.networks, 'generator_ema', 'generator');
    const text = ctx.model.textCondition !== null;
    const held = text ? await ctx.heldOut(EVAL_TARGET.cgan, n) : null;
    if (held && !held.captions) throw new Error('cgan evaluation needs captioned held-out images');
    const count = held?.count ?? n;
    const labels = held ? held.labels : balancedLabels(n, ctx.model.condition?.classes ?? 1);
    const condition = held?.captions
      ? captionRows(g, held.captions)
      : labelRows(labels ?? new Int32Array(count));
    const { z, size } = latentRows(ctx.model, count, seed);
    const images = await predictValues(
      (start, rows) =>
        g.apply(
          [
            tf.tensor2d(z.subarray(start * size, (start + rows) * size), [rows, size]),
            condition(start, rows),
          ],
          { training: false },
        ) as tf.Tensor,
      count,
      256,
    );
    return { count, images, labels, ...(held?.captions ? { captions: held.captions } : {}) };
  },
  async discriminate(ctx, real, fake) {
    const d = network(ctx.networks, 'discriminator');
    const data = ctx.model.data[0];
    const rows = (labels: Int32Array | null, captions: readonly string[] | undefined): RowCondition => {
      if (ctx.model.textCondition) {
        if (!captions) throw new Error('cgan evaluation needs captioned images');
        return captionRows(d, captions);
      }
      if (!labels) throw new Error('cgan evaluation needs labelled images');
      return labelRows(labels);
    };
    return {
      real: await score(d, data, real.images, real.count, rows(real.labels, real.captions)),
      fake: await score(d, data, fake.images, fake.count, rows(fake.labels, fake.captions)),
    };
  },
  measure: null,
  sequential: false,
};

const vae: FamilyEvaluation = {
  target: EVAL_TARGET.vae,
  what: 'samples',
  async generate(ctx, n, seed) {
    const decoder = network(ctx.networks, 'decoder');
    const { z, size } = latentRows(ctx.model, n, seed);
    const images = await predictValues(
      (start, count) =>
        decoder.apply(tf.tensor2d(z.subarray(start * size, (start + count) * size), [count, size]), {
          training: false,
        }) as tf.Tensor,
      n,
      256,
    );
    return { count: n, images, labels: null };
  },
  discriminate: null,
  measure(ctx, held, features) {
    const vae = vaeHeldOut(ctx.model, ctx.networks, held, MEASURE_SEED);
    const values: Record<string, number> = {
      'eval/neg_elbo': vae.negElbo,
      'eval/recon_mse': vae.reconstructionMse,
    };
    const target = ctx.model.data[EVAL_TARGET.vae];
    if (held.labels && features.classNames) {
      const recon = features.embed(vae.reconstructions, held.count, target);
      if (recon.probabilities) values['eval/recon_acc'] = labelAccuracy(recon.probabilities, held.labels);
    }
    return values;
  },
  sequential: false,
};

const cyclegan: FamilyEvaluation = {
  target: EVAL_TARGET.cyclegan,
  what: 'a→b translations',
  async generate(ctx, n) {
    const g = network(ctx.networks, 'g_ab');
    const inputs = await ctx.heldOut(0, n);
    const data = ctx.model.data[0];
    const images = await predictValues(
      (start, count) =>
        g.apply(imagesOf(data, inputs.images, start, count), { training: false }) as tf.Tensor,
      inputs.count,
      256,
    );
    return { count: inputs.count, images, labels: null };
  },
  async discriminate(ctx, real, fake) {
    const d = network(ctx.networks, 'd_b');
    const data = ctx.model.data[1];
    return {
      real: await score(d, data, real.images, real.count, null),
      fake: await score(d, data, fake.images, fake.count, null),
    };
  },
  measure: (ctx) =>
    translationMetrics(
      { gAB: network(ctx.networks, 'g_ab'), gBA: network(ctx.networks, 'g_ba') },
      [ctx.model.data[0], ctx.model.data[1]],
      (source, n) => ctx.heldOut(source, n),
    ),
  sequential: false,
};

/** Held-out images PSNR and SSIM are measured on (the first of the test split; cycled when fewer). */
export const SUPER_RESOLUTION_IMAGES = 256;

const srgan: FamilyEvaluation = {
  target: EVAL_TARGET.srgan,
  what: 'super-resolved held-out images',
  async generate(ctx, n) {
    const g = network(ctx.networks, 'generator_ema', 'generator');
    const originals = await ctx.heldOut(EVAL_TARGET.srgan, n);
    const data = ctx.model.data[EVAL_TARGET.srgan];
    const views = await superResolveViews(g, originals.images, originals.count, data, upscaleOf(ctx.model));
    return { count: originals.count, images: views.super, labels: null };
  },
  discriminate: gan.discriminate,
  sequential: false,
  async measure(ctx) {
    const data = ctx.model.data[EVAL_TARGET.srgan];
    const originals = await ctx.heldOut(EVAL_TARGET.srgan, SUPER_RESOLUTION_IMAGES);
    const g = network(ctx.networks, 'generator_ema', 'generator');
    const views = await superResolveViews(g, originals.images, originals.count, data, upscaleOf(ctx.model));
    const set = (pixels: Float32Array) => ({
      count: originals.count,
      pixels,
      shape: data.shape,
      scale: data.scale,
    });
    const reference = set(originals.images);
    return {
      'eval/psnr': psnr(set(views.super), reference),
      'eval/psnr_bicubic': psnr(set(views.bicubic), reference),
      'eval/ssim': ssim(set(views.super), reference),
      'eval/ssim_bicubic': ssim(set(views.bicubic), reference),
    };
  },
};

const pixelcnn: FamilyEvaluation = {
  target: EVAL_TARGET.pixelcnn,
  what: 'samples',
  async generate(ctx, n, seed) {
    const net = network(ctx.networks, 'network');
    const spec = ctx.model.networks.network;
    const levels = ctx.model.levels;
    if (!spec || !levels) throw new Error('pixelcnn evaluation needs the network and its levels');
    const data = ctx.model.data[0];
    const [h, w] = data.shape;
    const q = new Int32Array(n * h * w * data.shape[2]);
    const up = rowsAbove(spec.layers, h, w);
    const rng = new CounterRng(seed);
    // Conditional: every class equally often, so the evaluation measures conditional accuracy.
    const labels = ctx.model.condition ? balancedLabels(n, ctx.model.condition.classes) : null;
    const chunk = 256;
    for (let start = 0; start < n; start += chunk) {
      const count = Math.min(chunk, n - start);
      const part = q.subarray(start * h * w * data.shape[2], (start + count) * h * w * data.shape[2]);
      await sampleLevels(net, data.shape, levels, part, count, {
        fromRow: 0,
        up,
        rng,
        progress: null,
        labels: labels?.subarray(start, start + count) ?? null,
      });
    }
    const [lo, hi] = data.scale;
    const images = Float32Array.from(q, (v) => lo + ((hi - lo) * v) / (levels.levels - 1));
    return { count: n, images, labels };
  },
  discriminate: null,
  async measure(ctx, held) {
    const nll = await heldOutNll(network(ctx.networks, 'network'), ctx.model, held);
    return { 'eval/nll': nll.nats, 'eval/bpd': nll.bitsPerDim };
  },
  sequential: true,
};

/** stackgan: stage-II images for held-out captions (captions of images never trained on); the
 *  label each is asked to be is its caption's image's class (emoji: its category), so the
 *  evaluation's conditional accuracy is how often the classifier finds the caption's category. */
const stackgan: FamilyEvaluation = {
  target: EVAL_TARGET.stackgan,
  what: 'stage-II images for held-out captions',
  async generate(ctx, n, seed) {
    const held = await ctx.heldOut(EVAL_TARGET.stackgan, n);
    if (!held.captions) throw new Error('stackgan evaluation needs captioned held-out images');
    const images = await generateFromCaptions(ctx.model, ctx.networks, held.captions, seed);
    return { count: held.count, images, labels: held.labels };
  },
  discriminate: null,
  measure: null,
  sequential: false,
};

/** Frames of fresh clips against held-out frames; the frame critic scores them. */
const video: FamilyEvaluation = {
  target: EVAL_TARGET.video,
  what: 'generated frames',
  async generate(ctx, n, seed) {
    return { count: n, images: await generateClipFrames(ctx.model, ctx.networks, n, seed), labels: null };
  },
  discriminate: gan.discriminate,
  measure: (ctx, _held, features) =>
    temporalMeasures(
      ctx.model,
      ctx.networks,
      async (n) => (await ctx.heldOut(EVAL_TARGET.video, n)).images,
      features,
    ),
  sequential: false,
};

export const FAMILY_EVALUATION: Readonly<Record<FamilyName, FamilyEvaluation>> = {
  gan,
  cgan,
  vae,
  cyclegan,
  srgan,
  pixelcnn,
  // The full progressive generator draws at the data size (lower stages enlarged), as gan's does.
  progan: { ...gan, target: EVAL_TARGET.progan },
  stackgan,
  video,
};
