// vae: encoder -> (mean, log-variance) heads of size latent -> reparameterised z -> decoder.
// Loss: the negative ELBO, reconstruction (summed over pixels) + beta·KL, averaged over the batch.
import * as tf from '@tensorflow/tfjs';
import type { ResolvedModel, ResolvedNetwork } from '../../../language/model';
import type { DataSource, StepMetrics } from '../../contract';
import type { SampleRequest } from '../../../protocol/sample';
import { NetworkBuilder, compileNetwork, hashName, type CompiledNetwork } from '../compile';
import { interpolationGrid, latentTensor, latentValues, walkGrid } from '../noise';
import { createOptimizer } from '../optimizers';
import type { ImageGrid } from '../png';
import { mixSeeds } from '../../seeds';
import { CounterRng } from '../rng';
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
import { requireNetwork } from './gan';

type Sym = tf.SymbolicTensor;
const PROBABILITY_EPSILON = 1e-7;

/** The encoder network plus its two dense heads; the model outputs [mean, logVariance]. */
export function compileEncoder(network: ResolvedNetwork, latentSize: number, seed: number): CompiledNetwork {
  const builder = new NetworkBuilder('encoder', mixSeeds(seed, hashName('encoder')));
  const input = builder.input(network.inputShape);
  const features = builder.buildStack(network.layers, input);
  const head = (name: string): Sym =>
    tf.layers
      .dense({
        units: latentSize,
        kernelInitializer: tf.initializers.glorotUniform({ seed: builder.nextSeed() }),
        name: builder.name(name),
      })
      .apply(features) as Sym;
  return builder.compiled(input, [head('mean'), head('log_variance')], 'encoder');
}

export class VaeFamily implements Family {
  readonly networks: Readonly<Record<string, tf.LayersModel>>;
  readonly optimizers: Readonly<Record<string, tf.Optimizer>>;
  readonly imagesPerStep: number;
  readonly batchesPerStep = 1;
  private readonly encoder: tf.LayersModel;
  private readonly decoder: tf.LayersModel;
  private readonly model: ResolvedModel;
  private readonly source: DataSource;
  private readonly latentSize: number;
  private readonly beta: number;
  private readonly bce: boolean;

  constructor(private readonly deps: FamilyDeps) {
    this.model = deps.model;
    this.source = deps.sources[0];
    if (!this.model.latent) throw new Error('vae needs a latent section');
    this.latentSize = this.model.latent.size;
    const seed = this.model.train.seed;
    const encoder = compileEncoder(requireNetwork(deps, 'encoder'), this.latentSize, seed);
    const decoder = compileNetwork(requireNetwork(deps, 'decoder'), 'decoder', seed);
    this.encoder = encoder.model;
    this.decoder = decoder.model;
    feedDropouts([...encoder.dropouts, ...decoder.dropouts], deps.rng);
    const spec = this.model.optimizers.encoder ?? this.model.optimizers.decoder;
    if (!spec) throw new Error('the model has no optimizer');
    this.optimizers = {
      encoder: createOptimizer(spec),
      decoder: createOptimizer(this.model.optimizers.decoder ?? spec),
    };
    this.networks = { encoder: this.encoder, decoder: this.decoder };
    this.beta = numberParam(this.model.loss.params, 'beta', 1);
    this.bce = this.model.loss.params.reconstruction !== 'mse';
    this.imagesPerStep = this.model.data[0].batch;
  }

  /** Maps values in the data's scale onto [0, 1] (bce compares probabilities). */
  private unit(x: tf.Tensor): tf.Tensor {
    const [lo, hi] = this.model.data[0].scale;
    return lo === 0 && hi === 1 ? x : x.sub(lo).div(hi - lo);
  }

  private reconstructionLoss(output: tf.Tensor, target: tf.Tensor): tf.Scalar {
    const axes = target.shape.slice(1).map((_, i) => i + 1);
    if (!this.bce) return output.sub(target).square().sum(axes).mean() as tf.Scalar;
    const p = this.unit(output).clipByValue(PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON);
    const t = this.unit(target);
    const perPixel = t
      .mul(p.log())
      .add(tf.sub(1, t).mul(tf.sub(1, p).log()))
      .neg();
    return perPixel.sum(axes).mean() as tf.Scalar;
  }

  async trainStep(): Promise<StepMetrics> {
    const batch = await this.source.next();
    const rng = this.deps.rng;
    const [loss, recon, kl] = tf.tidy(() => {
      const x = imageTensor(batch, this.source.shape);
      const eps = latentTensor(rng, batch.count, { size: this.latentSize, dist: 'normal' });
      const kept: { recon?: tf.Scalar; kl?: tf.Scalar } = {};
      const parts = [
        { optimizer: this.optimizers.encoder, variables: trainableVariables(this.encoder) },
        { optimizer: this.optimizers.decoder, variables: trainableVariables(this.decoder) },
      ];
      const value = minimizeJoint(parts, () => {
        const [mean, logVar] = this.encoder.apply(x, { training: true }) as tf.Tensor[];
        const z = mean.add(logVar.mul(0.5).exp().mul(eps));
        const y = this.decoder.apply(z, { training: true }) as tf.Tensor;
        const reconstruction = tf.keep(this.reconstructionLoss(y, x));
        const divergence = tf.keep(
          tf.add(1, logVar).sub(mean.square()).sub(logVar.exp()).sum(1).mean().mul(-0.5) as tf.Scalar,
        );
        kept.recon = reconstruction;
        kept.kl = divergence;
        return reconstruction.add(divergence.mul(this.beta));
      });
      if (!kept.recon || !kept.kl) throw new Error('vae loss was not evaluated');
      return [value, kept.recon, kept.kl];
    });
    return readScalars({ loss, recon, kl });
  }

  private decode(z: Float32Array, count: number): Promise<Float32Array> {
    const size = this.latentSize;
    return predictValues(
      (start, n) =>
        this.decoder.apply(tf.tensor2d(z.subarray(start * size, (start + n) * size), [n, size]), {
          training: false,
        }) as tf.Tensor,
      count,
    );
  }

  async render(request: SampleRequest): Promise<ImageGrid> {
    const model = this.model;
    const [rows, cols] = gridOf(request, model);
    const data = model.data[0];
    const grid = (pixels: Float32Array): ImageGrid => ({
      rows,
      cols,
      pixels,
      shape: data.shape,
      scale: data.scale,
    });
    const seed = request.seed ?? model.sample.seed;
    const prior = { size: this.latentSize, dist: 'normal' as const };
    switch (request.mode) {
      case 'reconstruct':
        return grid(await this.reconstructions(rows, cols));
      case 'walk':
        return grid(await this.decode(walkGrid(this.latentSize, rows, cols), rows * cols));
      case 'interpolate':
        return grid(
          await this.decode(
            interpolationGrid(prior, rows, cols, seed, request.seed2 ?? seed + 1),
            rows * cols,
          ),
        );
      default:
        return grid(await this.decode(latentValues(new CounterRng(seed), rows * cols, prior), rows * cols));
    }
  }

  /** Row pairs: held-out images, then their reconstructions (decoded posterior means). */
  private async reconstructions(rows: number, cols: number): Promise<Float32Array> {
    const pairs = Math.ceil(rows / 2);
    const held = await this.source.heldOut(pairs * cols);
    const [h, w, c] = this.source.shape;
    const size = h * w * c;
    const recon = await predictValues((start, n) => {
      const x = tf.tensor4d(held.images.subarray(start * size, (start + n) * size), [n, h, w, c]);
      const [mean] = this.encoder.apply(x, { training: false }) as tf.Tensor[];
      return this.decoder.apply(mean, { training: false }) as tf.Tensor;
    }, held.count);
    const out = new Float32Array(rows * cols * size);
    for (let r = 0; r < rows; r++) {
      const from = Math.floor(r / 2) * cols * size;
      const src = r % 2 === 0 ? held.images : recon;
      out.set(src.subarray(from, from + cols * size), r * cols * size);
    }
    return out;
  }

  dispose(): void {
    for (const o of Object.values(this.optimizers)) o.dispose();
    this.encoder.dispose();
    this.decoder.dispose();
  }
}

export const vaeTraining: TrainingFamily = {
  create: (deps) => new VaeFamily(deps),
  metrics: ['loss', 'recon', 'kl'],
  sampleModes: ['grid', 'interpolate', 'reconstruct', 'walk'],
  divergenceAdvice: 'a smaller KL weight (loss elbo beta=...) or reconstruction=mse',
};
