// srgan (Ledig et al. 2017): each batch of training images is shrunk by the `upscale` factor on
// the fly; the generator maps the small images back. Until `pretrain` steps the generator learns
// the content loss alone (SRResNet); then each step updates the discriminator on originals vs
// super-resolved images and the generator on content + adversarial·GAN loss (+ feature loss).
// The stage follows from the step number, which checkpoints restore, so a resumed run is exact.
import * as tf from '@tensorflow/tfjs';
import type { ResolvedModel } from '../../../language/model';
import type { DataSource, StepMetrics } from '../../contract';
import type { SampleRequest } from '../../../protocol/sample';
import { compileNetwork } from '../compile';
import { WeightAverage } from '../ema';
import { adversarialLoss, type AdversarialLoss } from '../losses';
import { createOptimizer } from '../optimizers';
import type { ImageGrid } from '../png';
import { resizeImages, type ResizeMethod } from '../resize';
import {
  feedDropouts,
  gridOf,
  imageTensor,
  minimize,
  numberParam,
  predictValues,
  readScalars,
  trainableVariables,
  type Family,
  type FamilyDeps,
  type TrainingFamily,
} from './family';
import { requireNetwork } from './gan';

/** How a model makes its low-resolution inputs: `upscale FACTOR method=…`. */
export interface UpscaleSpec {
  readonly factor: number;
  readonly method: ResizeMethod;
}

export function upscaleOf(model: ResolvedModel): UpscaleSpec {
  const upscale = model.settings.upscale;
  const factor = upscale?.factor;
  const method = upscale?.method;
  if (typeof factor !== 'number' || (method !== 'bicubic' && method !== 'area'))
    throw new Error(`model ${model.name} has no upscale section`);
  return { factor, method };
}

export function pretrainStepsOf(model: ResolvedModel): number {
  const steps = model.settings.pretrain?.steps;
  return typeof steps === 'number' ? steps : 0;
}

/** The low-resolution inputs made from images at the data size, kept in the data's pixel range. */
export function shrink(
  images: tf.Tensor4D,
  upscale: UpscaleSpec,
  scale: readonly [number, number],
): tf.Tensor4D {
  return tf.tidy(() => {
    const [, h, w] = images.shape;
    const small = resizeImages(images, h / upscale.factor, w / upscale.factor, upscale.method);
    return small.clipByValue(scale[0], scale[1]) as tf.Tensor4D;
  });
}

/** The baseline to beat: bicubic upscaling by the factor. */
export function bicubicUpscale(
  small: tf.Tensor4D,
  factor: number,
  scale: readonly [number, number],
): tf.Tensor4D {
  return tf.tidy(() => {
    const [, h, w] = small.shape;
    return resizeImages(small, h * factor, w * factor, 'bicubic').clipByValue(
      scale[0],
      scale[1],
    ) as tf.Tensor4D;
  });
}

/** Nearest-neighbour enlargement, to show a small image at the data size. */
function enlarge(small: tf.Tensor4D, factor: number): tf.Tensor4D {
  const [, h, w] = small.shape;
  return tf.image.resizeNearestNeighbor(small, [h * factor, w * factor]);
}

/** The discriminator as [logit, features]: the features are what its last layer reads (with
 *  `flatten; dense 1`, the last convolution's activations), which the feature loss compares. */
function withFeatures(discriminator: tf.LayersModel): tf.LayersModel {
  const last = discriminator.layers[discriminator.layers.length - 1];
  const features = last.input;
  if (Array.isArray(features) || last.getClassName() === 'InputLayer')
    throw new Error('features=discriminator needs a discriminator with a layer');
  return tf.model({ inputs: discriminator.inputs, outputs: [discriminator.outputs[0], features] });
}

export class SrganFamily implements Family {
  readonly networks: Readonly<Record<string, tf.LayersModel>>;
  readonly optimizers: Readonly<Record<string, tf.Optimizer>>;
  readonly imagesPerStep: number;
  readonly batchesPerStep = 1;
  private readonly model: ResolvedModel;
  private readonly source: DataSource;
  private readonly generator: tf.LayersModel;
  private readonly discriminator: tf.LayersModel;
  /** The discriminator with its features as a second output (features=discriminator). */
  private readonly featureCritic: tf.LayersModel | null;
  private readonly upscale: UpscaleSpec;
  private readonly pretrainSteps: number;
  private readonly adversarial: AdversarialLoss;
  private readonly adversarialWeight: number;
  private readonly featureWeight: number;
  private readonly l1: boolean;
  private readonly ema: WeightAverage | null;

  constructor(deps: FamilyDeps) {
    this.model = deps.model;
    this.source = deps.sources[0];
    const seed = this.model.train.seed;
    const g = compileNetwork(requireNetwork(deps, 'generator'), 'generator', seed);
    const d = compileNetwork(requireNetwork(deps, 'discriminator'), 'discriminator', seed);
    feedDropouts([...g.dropouts, ...d.dropouts], deps.rng);
    this.generator = g.model;
    this.discriminator = d.model;
    const decay = this.model.train.ema;
    const average =
      decay === null ? null : compileNetwork(requireNetwork(deps, 'generator'), 'generator_ema', seed).model;
    this.ema = average && decay !== null ? new WeightAverage(this.generator, average, decay) : null;
    this.networks = {
      generator: this.generator,
      discriminator: this.discriminator,
      ...(average ? { generator_ema: average } : {}),
    };
    const gSpec = this.model.optimizers.generator ?? this.model.optimizers.discriminator;
    const dSpec = this.model.optimizers.discriminator ?? gSpec;
    if (!gSpec || !dSpec) throw new Error('the model has no optimizer');
    this.optimizers = { generator: createOptimizer(gSpec), discriminator: createOptimizer(dSpec) };
    const params = this.model.loss.params;
    this.upscale = upscaleOf(this.model);
    this.pretrainSteps = pretrainStepsOf(this.model);
    this.adversarial = adversarialLoss(this.model.loss.kind, 1);
    this.adversarialWeight = numberParam(params, 'adversarial', 1e-3);
    const features = params.features === 'discriminator';
    this.featureWeight = features ? numberParam(params, 'feature_weight', 1) : 0;
    this.featureCritic = features ? withFeatures(this.discriminator) : null;
    this.l1 = params.content === 'l1';
    this.imagesPerStep = this.model.data[0].batch;
  }

  private content(output: tf.Tensor, target: tf.Tensor): tf.Scalar {
    const diff = output.sub(target);
    return (this.l1 ? diff.abs() : diff.square()).mean() as tf.Scalar;
  }

  private shrink(images: tf.Tensor4D): tf.Tensor4D {
    return shrink(images, this.upscale, this.model.data[0].scale);
  }

  async trainStep(step: number): Promise<StepMetrics> {
    const batch = await this.source.next();
    const adversarialStage = step >= this.pretrainSteps;
    const scalars = tf.tidy(() => {
      const hr = imageTensor(batch, this.source.shape);
      const lr = this.shrink(hr);
      const zero = (): tf.Scalar => tf.scalar(0);
      if (!adversarialStage) {
        const content = minimize(this.optimizers.generator, trainableVariables(this.generator), () =>
          this.content(this.generator.apply(lr, { training: true }) as tf.Tensor, hr),
        );
        return {
          g_loss: content,
          content: content.clone(),
          adversarial: zero(),
          feature: zero(),
          d_loss: zero(),
          d_real: zero(),
          d_fake: zero(),
          stage: zero(),
        };
      }
      const kept: { sr?: tf.Tensor; content?: tf.Scalar; adversarial?: tf.Scalar; feature?: tf.Scalar } = {};
      const gLoss = minimize(this.optimizers.generator, trainableVariables(this.generator), () => {
        const sr = this.generator.apply(lr, { training: true }) as tf.Tensor;
        kept.sr = tf.keep(sr);
        const content = tf.keep(this.content(sr, hr));
        kept.content = content;
        let total: tf.Scalar = content;
        if (this.featureCritic) {
          const [logit, srFeatures] = this.featureCritic.apply(sr, { training: true }) as tf.Tensor[];
          const [, hrFeatures] = this.featureCritic.apply(hr, { training: true }) as tf.Tensor[];
          kept.adversarial = tf.keep(this.adversarial.generator(logit));
          kept.feature = tf.keep(srFeatures.sub(hrFeatures).square().mean() as tf.Scalar);
          total = total.add(kept.feature.mul(this.featureWeight));
        } else {
          const logit = this.discriminator.apply(sr, { training: true }) as tf.Tensor;
          kept.adversarial = tf.keep(this.adversarial.generator(logit));
        }
        return total.add(kept.adversarial.mul(this.adversarialWeight));
      });
      const { sr } = kept;
      if (!sr || !kept.content || !kept.adversarial)
        throw new Error('srgan generator loss was not evaluated');
      const critic: { real?: tf.Scalar; fake?: tf.Scalar } = {};
      const dLoss = minimize(this.optimizers.discriminator, trainableVariables(this.discriminator), () => {
        const real = this.discriminator.apply(hr, { training: true }) as tf.Tensor;
        const fake = this.discriminator.apply(sr, { training: true }) as tf.Tensor;
        critic.real = tf.keep(this.adversarial.readout(real));
        critic.fake = tf.keep(this.adversarial.readout(fake));
        return this.adversarial.discriminator(real, fake);
      });
      if (!critic.real || !critic.fake) throw new Error('srgan discriminator loss was not evaluated');
      return {
        g_loss: gLoss,
        content: kept.content,
        adversarial: kept.adversarial,
        feature: kept.feature ?? zero(),
        d_loss: dLoss,
        d_real: critic.real,
        d_fake: critic.fake,
        stage: tf.scalar(1),
      };
    });
    this.ema?.update();
    return readScalars(scalars);
  }

  /** The generator samples, evaluations and upscaling use: the weight average when ema is on. */
  get sampler(): tf.LayersModel {
    return this.ema?.average ?? this.generator;
  }

  /** Blocks of four rows of held-out images: shrunk (shown enlarged), bicubic, super-resolved, original. */
  async render(request: SampleRequest): Promise<ImageGrid> {
    const [gridRows, cols] = gridOf(request, this.model);
    const blocks = Math.max(1, Math.floor(gridRows / 4));
    const rows = blocks * 4;
    const data = this.model.data[0];
    const [h, w, c] = data.shape;
    const size = h * w * c;
    const held = await this.source.heldOut(blocks * cols);
    const views = await superResolveViews(this.sampler, held.images, held.count, data, this.upscale);
    const out = new Float32Array(rows * cols * size);
    for (let block = 0; block < blocks; block++) {
      const from = block * cols * size;
      const order = [views.small, views.bicubic, views.super, held.images];
      order.forEach((images, r) => {
        const part = images.subarray(from, Math.min(images.length, from + cols * size));
        out.set(part, (block * 4 + r) * cols * size);
      });
    }
    return { rows, cols, pixels: out, shape: data.shape, scale: data.scale };
  }

  dispose(): void {
    for (const o of Object.values(this.optimizers)) o.dispose();
    for (const m of Object.values(this.networks)) m.dispose();
  }
}

/** For images at the data size: the shrunk input (enlarged by repetition), its bicubic upscaling
 *  and the generator's output, each at the data size. */
export async function superResolveViews(
  generator: tf.LayersModel,
  images: Float32Array,
  count: number,
  data: { readonly shape: readonly [number, number, number]; readonly scale: readonly [number, number] },
  upscale: UpscaleSpec,
): Promise<{ small: Float32Array; bicubic: Float32Array; super: Float32Array }> {
  const [h, w, c] = data.shape;
  const size = h * w * c;
  const batch = (start: number, n: number): tf.Tensor4D =>
    shrink(tf.tensor4d(images.subarray(start * size, (start + n) * size), [n, h, w, c]), upscale, data.scale);
  const f = upscale.factor;
  return {
    small: await predictValues((s, n) => enlarge(batch(s, n), f), count),
    bicubic: await predictValues((s, n) => bicubicUpscale(batch(s, n), f, data.scale), count),
    super: await predictValues(
      (s, n) => (generator.apply(batch(s, n), { training: false }) as tf.Tensor).clipByValue(...data.scale),
      count,
    ),
  };
}

export const srganTraining: TrainingFamily = {
  create: (deps) => new SrganFamily(deps),
  metrics: ['g_loss', 'd_loss', 'content', 'adversarial', 'feature', 'd_real', 'd_fake', 'stage'],
  sampleModes: ['superres'],
  divergenceAdvice: 'a smaller adversarial weight (loss … adversarial=1e-4) or a longer pretrain',
};
