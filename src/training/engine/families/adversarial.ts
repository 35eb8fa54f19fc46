// The GAN training loop shared by gan and cgan: d_steps critic updates, then one generator update,
// each network with its own optimizer; optional EMA of the generator for samples.
import * as tf from '@tensorflow/tfjs';
import type { ResolvedLatent, ResolvedModel } from '../../../language/model';
import type { DataBatch, DataSource, StepMetrics } from '../../contract';
import type { SeededDropout } from '../custom/seededDropout';
import { WeightAverage } from '../ema';
import { gradientPenalty } from '../gradientPenalty';
import { adversarialLoss, type AdversarialLoss } from '../losses';
import { latentTensor } from '../noise';
import { createOptimizer } from '../optimizers';
import type { CounterRng } from '../rng';
import {
  feedDropouts,
  imageTensor,
  minimize,
  numberParam,
  readScalars,
  trainableVariables,
  type FamilyDeps,
} from './family';

/** The keys the adversarial step logs: both losses and the critic's mean outputs on real and fake images. */
export const ADVERSARIAL_METRICS: readonly string[] = ['d_loss', 'g_loss', 'd_real', 'd_fake'];

export const ADVERSARIAL_ADVICE = 'a more stable loss (loss hinge, or loss wasserstein gp=10)';

/** The generator/discriminator pair, with the condition as a second input when conditional. */
export interface AdversarialNetworks {
  readonly generator: tf.LayersModel;
  readonly discriminator: tf.LayersModel;
  /** A second generator of the same architecture holding the weight average (ema on). */
  readonly average: tf.LayersModel | null;
  readonly dropouts: readonly SeededDropout[];
  /** The networks' second input for a batch (cgan: its labels [n, 1], or its captions' bags of
   *  words), or null when they take images and z alone. */
  readonly condition: ((batch: DataBatch) => tf.Tensor) | null;
}

export class AdversarialLoop {
  readonly generatorOptimizer: tf.Optimizer;
  readonly discriminatorOptimizer: tf.Optimizer;
  private readonly loss: AdversarialLoss;
  private readonly gpWeight: number;
  private readonly ema: WeightAverage | null;
  private readonly source: DataSource;
  private readonly rng: CounterRng;
  private readonly latent: ResolvedLatent;
  private readonly model: ResolvedModel;

  constructor(
    deps: FamilyDeps,
    readonly nets: AdversarialNetworks,
  ) {
    this.model = deps.model;
    this.source = deps.sources[0];
    this.rng = deps.rng;
    if (!this.model.latent) throw new Error(`${this.model.family} needs a latent section`);
    this.latent = this.model.latent;
    const params = this.model.loss.params;
    this.loss = adversarialLoss(this.model.loss.kind, numberParam(params, 'smoothing', 1));
    this.gpWeight = this.model.loss.kind === 'wasserstein' ? numberParam(params, 'gp', 0) : 0;
    const g = this.model.optimizers.generator ?? this.model.optimizers.discriminator;
    const d = this.model.optimizers.discriminator ?? this.model.optimizers.generator;
    if (!g || !d) throw new Error('the model has no optimizer');
    this.generatorOptimizer = createOptimizer(g);
    this.discriminatorOptimizer = createOptimizer(d);
    this.ema =
      nets.average && this.model.train.ema !== null
        ? new WeightAverage(nets.generator, nets.average, this.model.train.ema)
        : null;
    feedDropouts(nets.dropouts, this.rng);
  }

  /** The generator samples come from: the weight average when ema is on. */
  get sampler(): tf.LayersModel {
    return this.ema ? this.ema.average : this.nets.generator;
  }

  generate(model: tf.LayersModel, z: tf.Tensor, labels: tf.Tensor | null, training: boolean): tf.Tensor {
    return model.apply(labels ? [z, labels] : z, { training }) as tf.Tensor;
  }

  private discriminate(images: tf.Tensor, labels: tf.Tensor | null, training: boolean): tf.Tensor {
    return this.nets.discriminator.apply(labels ? [images, labels] : images, {
      training,
    }) as tf.Tensor;
  }

  /** One critic update on a real batch and fakes (constants here); returns [d_loss, d_real, d_fake], kept. */
  private criticUpdate(real: tf.Tensor, labels: tf.Tensor | null, fake: tf.Tensor): tf.Tensor[] {
    return tf.tidy(() => {
      const penalty =
        this.gpWeight > 0
          ? gradientPenalty((x) => this.discriminate(x, labels, false), real, fake, this.gpWeight, this.rng)
          : null;
      const kept: { real?: tf.Scalar; fake?: tf.Scalar; loss?: tf.Scalar } = {};
      minimize(this.discriminatorOptimizer, trainableVariables(this.nets.discriminator), () => {
        const realOut = this.discriminate(real, labels, true);
        const fakeOut = this.discriminate(fake, labels, true);
        kept.real = tf.keep(this.loss.readout(realOut));
        kept.fake = tf.keep(this.loss.readout(fakeOut));
        const loss = tf.keep(this.loss.discriminator(realOut, fakeOut));
        kept.loss = loss;
        return penalty ? loss.add(penalty.surrogate()) : loss;
      });
      if (!kept.real || !kept.fake || !kept.loss) throw new Error('critic loss was not evaluated');
      if (!penalty) return [kept.loss, kept.real, kept.fake];
      const total = kept.loss.add(penalty.value);
      kept.loss.dispose();
      return [total, kept.real, kept.fake];
    });
  }

  /**
   * d_steps critic updates, then one generator update. As in the usual PyTorch loop, the last
   * critic update and the generator update share one generator forward pass: it runs on the
   * generator's tape, the critic update inside it treats the fakes as constants, and the
   * generator's gradient then flows through the updated critic. The gradient penalty takes a
   * gradient of its own, which must not land on the generator's tape, so with it every update
   * makes its own fakes. (Fakes take the real batch's labels in a cgan, so the critic compares
   * like with like.)
   */
  async trainStep(): Promise<StepMetrics> {
    const batches: DataBatch[] = [];
    for (let k = 0; k < this.model.train.dSteps; k++) batches.push(await this.source.next());
    const condition = this.nets.condition;
    const share = this.gpWeight === 0;
    const scalars = tf.tidy(() => {
      let critic: tf.Tensor[] = [];
      const inputs = (batch: DataBatch) => ({
        real: imageTensor(batch, this.source.shape),
        labels: condition ? condition(batch) : null,
        z: latentTensor(this.rng, batch.count, this.latent),
      });
      for (const batch of share ? batches.slice(0, -1) : batches) {
        const { real, labels, z } = inputs(batch);
        tf.dispose(critic);
        critic = this.criticUpdate(real, labels, this.generate(this.nets.generator, z, labels, true));
      }
      const { real, labels, z } = inputs(batches[batches.length - 1]);
      const gLoss = minimize(this.generatorOptimizer, trainableVariables(this.nets.generator), () => {
        const fake = this.generate(this.nets.generator, z, labels, true);
        if (share) {
          tf.dispose(critic);
          critic = this.criticUpdate(real, labels, fake);
        }
        return this.loss.generator(this.discriminate(fake, labels, true));
      });
      const [dLoss, dReal, dFake] = critic;
      return { d_loss: dLoss, g_loss: gLoss, d_real: dReal, d_fake: dFake };
    });
    this.ema?.update();
    return readScalars(scalars);
  }

  dispose(): void {
    this.generatorOptimizer.dispose();
    this.discriminatorOptimizer.dispose();
  }
}
