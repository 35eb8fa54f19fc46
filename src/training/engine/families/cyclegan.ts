// cyclegan (Zhu et al. 2017): G_ab, G_ba, D_a, D_b, each built from the one description.
// Generators: adversarial + cycle·L1(cycle) + identity·L1(identity); discriminators: the
// adversarial loss halved, each on its own domain. One joint update per step.
import * as tf from '@tensorflow/tfjs';
import type { ResolvedModel } from '../../../language/model';
import type { DataSource, StepMetrics } from '../../contract';
import type { SampleRequest } from '../../../protocol/sample';
import { compileNetwork } from '../compile';
import { bceWithLogits } from '../losses';
import { createOptimizer } from '../optimizers';
import type { ImageGrid } from '../png';
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

interface CycleLoss {
  generator(fake: tf.Tensor): tf.Scalar;
  discriminator(real: tf.Tensor, fake: tf.Tensor): tf.Scalar;
}

function cycleAdversarialLoss(kind: string): CycleLoss {
  if (kind === 'nonsaturating')
    return {
      generator: (fake) => bceWithLogits(fake, 1),
      discriminator: (real, fake) => bceWithLogits(real, 1).add(bceWithLogits(fake, 0)).mul(0.5),
    };
  if (kind !== 'lsgan') throw new Error(`cyclegan loss must be lsgan or nonsaturating, not ${kind}`);
  const mse = (x: tf.Tensor, t: number): tf.Scalar => x.sub(t).square().mean() as tf.Scalar;
  return {
    generator: (fake) => mse(fake, 1),
    discriminator: (real, fake) => mse(real, 1).add(mse(fake, 0)).mul(0.5),
  };
}

const l1 = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => a.sub(b).abs().mean();

export class CycleGanFamily implements Family {
  readonly networks: Readonly<Record<string, tf.LayersModel>>;
  readonly optimizers: Readonly<Record<string, tf.Optimizer>>;
  readonly imagesPerStep: number;
  readonly batchesPerStep = 1;
  private readonly model: ResolvedModel;
  private readonly a: DataSource;
  private readonly b: DataSource;
  private readonly gAB: tf.LayersModel;
  private readonly gBA: tf.LayersModel;
  private readonly dA: tf.LayersModel;
  private readonly dB: tf.LayersModel;
  private readonly loss: CycleLoss;
  private readonly cycleWeight: number;
  private readonly identityWeight: number;

  constructor(deps: FamilyDeps) {
    this.model = deps.model;
    if (deps.sources.length !== 2) throw new Error('cyclegan needs two data sources (domain a and b)');
    [this.a, this.b] = deps.sources;
    const seed = this.model.train.seed;
    const g = requireNetwork(deps, 'generator');
    const d = requireNetwork(deps, 'discriminator');
    const built = {
      g_ab: compileNetwork(g, 'g_ab', seed),
      g_ba: compileNetwork(g, 'g_ba', seed),
      d_a: compileNetwork(d, 'd_a', seed),
      d_b: compileNetwork(d, 'd_b', seed),
    };
    feedDropouts(
      Object.values(built).flatMap((n) => n.dropouts),
      deps.rng,
    );
    this.gAB = built.g_ab.model;
    this.gBA = built.g_ba.model;
    this.dA = built.d_a.model;
    this.dB = built.d_b.model;
    this.networks = { g_ab: this.gAB, g_ba: this.gBA, d_a: this.dA, d_b: this.dB };
    const gSpec = this.model.optimizers.generator ?? this.model.optimizers.discriminator;
    const dSpec = this.model.optimizers.discriminator ?? gSpec;
    if (!gSpec || !dSpec) throw new Error('the model has no optimizer');
    this.optimizers = { generator: createOptimizer(gSpec), discriminator: createOptimizer(dSpec) };
    this.loss = cycleAdversarialLoss(this.model.loss.kind);
    this.cycleWeight = numberParam(this.model.loss.params, 'cycle', 10);
    this.identityWeight = numberParam(this.model.loss.params, 'identity', 5);
    this.imagesPerStep = this.model.data[0].batch + this.model.data[1].batch;
  }

  private run(model: tf.LayersModel, x: tf.Tensor, training = true): tf.Tensor {
    return model.apply(x, { training }) as tf.Tensor;
  }

  async trainStep(): Promise<StepMetrics> {
    const [batchA, batchB] = await Promise.all([this.a.next(), this.b.next()]);
    const scalars = tf.tidy(() => {
      const a = imageTensor(batchA, this.a.shape);
      const b = imageTensor(batchB, this.b.shape);
      const kept: { fakeA?: tf.Tensor; fakeB?: tf.Tensor; cycle?: tf.Scalar; identity?: tf.Scalar } = {};
      const gLoss = minimize(this.optimizers.generator, trainableVariables(this.gAB, this.gBA), () => {
        const fakeB = this.run(this.gAB, a);
        const fakeA = this.run(this.gBA, b);
        const adversarial = tf.add(
          this.loss.generator(this.run(this.dB, fakeB)),
          this.loss.generator(this.run(this.dA, fakeA)),
        );
        const cycle: tf.Scalar = tf.add(l1(this.run(this.gBA, fakeB), a), l1(this.run(this.gAB, fakeA), b));
        kept.fakeA = tf.keep(fakeA);
        kept.fakeB = tf.keep(fakeB);
        kept.cycle = tf.keep(cycle);
        let total: tf.Scalar = tf.add(adversarial, cycle.mul(this.cycleWeight));
        if (this.identityWeight > 0) {
          const identity: tf.Scalar = tf.keep(
            tf.add(l1(this.run(this.gBA, a), a), l1(this.run(this.gAB, b), b)),
          );
          kept.identity = identity;
          total = tf.add(total, identity.mul(this.identityWeight));
        }
        return total;
      });
      const { fakeA, fakeB, cycle } = kept;
      if (!fakeA || !fakeB || !cycle) throw new Error('cyclegan generator loss was not evaluated');
      const parts: { da?: tf.Scalar; db?: tf.Scalar } = {};
      const dLoss = minimize(this.optimizers.discriminator, trainableVariables(this.dA, this.dB), () => {
        parts.da = tf.keep(this.loss.discriminator(this.run(this.dA, a), this.run(this.dA, fakeA)));
        parts.db = tf.keep(this.loss.discriminator(this.run(this.dB, b), this.run(this.dB, fakeB)));
        return parts.da.add(parts.db);
      });
      tf.dispose([fakeA, fakeB]);
      if (!parts.da || !parts.db) throw new Error('cyclegan discriminator loss was not evaluated');
      return {
        g_loss: gLoss,
        d_loss: dLoss,
        cycle,
        identity: kept.identity ?? tf.scalar(0),
        d_a: parts.da,
        d_b: parts.db,
      };
    });
    return readScalars(scalars);
  }

  /** Blocks of six rows: a, G_ab(a), G_ba(G_ab(a)), then b, G_ba(b), G_ab(G_ba(b)); held-out images. */
  async render(request: SampleRequest): Promise<ImageGrid> {
    const [gridRows, cols] = gridOf(request, this.model);
    const blocks = Math.max(1, Math.floor(gridRows / 6));
    const rows = blocks * 6;
    const [h, w, c] = this.a.shape;
    const size = h * w * c;
    const [heldA, heldB] = await Promise.all([this.a.heldOut(blocks * cols), this.b.heldOut(blocks * cols)]);
    const chains = async (
      images: Float32Array,
      forward: tf.LayersModel,
      back: tf.LayersModel,
    ): Promise<Float32Array[]> => {
      const count = images.length / size;
      const there = await predictValues(
        (s, n) =>
          this.run(forward, tf.tensor4d(images.subarray(s * size, (s + n) * size), [n, h, w, c]), false),
        count,
      );
      const back2 = await predictValues(
        (s, n) => this.run(back, tf.tensor4d(there.subarray(s * size, (s + n) * size), [n, h, w, c]), false),
        count,
      );
      return [images, there, back2];
    };
    const fromA = await chains(heldA.images, this.gAB, this.gBA);
    const fromB = await chains(heldB.images, this.gBA, this.gAB);
    const out = new Float32Array(rows * cols * size);
    for (let block = 0; block < blocks; block++) {
      const rowsOfBlock = [...fromA, ...fromB];
      rowsOfBlock.forEach((images, r) => {
        const from = block * cols * size;
        out.set(images.subarray(from, from + cols * size), (block * 6 + r) * cols * size);
      });
    }
    const data = this.model.data[0];
    return { rows, cols, pixels: out, shape: data.shape, scale: data.scale };
  }

  dispose(): void {
    for (const o of Object.values(this.optimizers)) o.dispose();
    for (const m of Object.values(this.networks)) m.dispose();
  }
}

export const cycleganTraining: TrainingFamily = {
  create: (deps) => new CycleGanFamily(deps),
  metrics: ['g_loss', 'd_loss', 'd_a', 'd_b', 'cycle', 'identity'],
  sampleModes: ['translate'],
  divergenceAdvice: 'smaller cycle/identity weights',
};
