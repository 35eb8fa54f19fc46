// Batch normalisation with its gradient written out (Ioffe & Szegedy 2015). tfjs's batchNorm
// gradient tiles the per-channel scale to the full tensor, which took ~18% of a DCGAN step on
// wasm; this one needs only per-channel sums. Registered for serialisation.
import * as tf from '@tensorflow/tfjs';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';
import { single, singleShape, type ConfigDict, type LayerVariable, type Shape } from './common';

export interface BatchNormArgs extends LayerArgs {
  /** Moving averages: moving = momentum·moving + (1 − momentum)·batch (the Keras convention). */
  momentum: number;
  epsilon: number;
}

interface Moments {
  mean: tf.Tensor;
  variance: tf.Tensor;
}

/** Normalises over every axis but the last with batch statistics in training, moving ones otherwise. */
export class BatchNorm extends tf.layers.Layer {
  static readonly className = 'GanStudioBatchNorm';
  private readonly momentum: number;
  private readonly epsilon: number;
  private gamma: LayerVariable | null = null;
  private beta: LayerVariable | null = null;
  private movingMean: LayerVariable | null = null;
  private movingVariance: LayerVariable | null = null;

  constructor(args: BatchNormArgs) {
    super(args);
    this.momentum = args.momentum;
    this.epsilon = args.epsilon;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = singleShape(inputShape);
    const channels = shape[shape.length - 1] ?? 1;
    this.gamma = this.addWeight('gamma', [channels], 'float32', tf.initializers.ones());
    this.beta = this.addWeight('beta', [channels], 'float32', tf.initializers.zeros());
    this.movingMean = this.addWeight(
      'moving_mean',
      [channels],
      'float32',
      tf.initializers.zeros(),
      undefined,
      false,
    );
    this.movingVariance = this.addWeight(
      'moving_variance',
      [channels],
      'float32',
      tf.initializers.ones(),
      undefined,
      false,
    );
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const { gamma, beta, movingMean, movingVariance } = this;
    if (!gamma || !beta || !movingMean || !movingVariance) throw new Error('BatchNorm used before build');
    const x = single(inputs);
    if (kwargs['training'] !== true)
      return tf.tidy(() => {
        const scale = gamma.read().mul(tf.rsqrt(movingVariance.read().add(this.epsilon)));
        return x.sub(movingMean.read()).mul(scale).add(beta.read());
      });
    const stats: Partial<Moments> = {};
    const y = this.normalize(stats)(x, gamma.read(), beta.read());
    const { mean, variance } = stats;
    if (!mean || !variance) throw new Error('BatchNorm statistics were not computed');
    tf.tidy(() => {
      const m = this.momentum;
      movingMean.write(
        movingMean
          .read()
          .mul(m)
          .add(mean.mul(1 - m)),
      );
      movingVariance.write(
        movingVariance
          .read()
          .mul(m)
          .add(variance.mul(1 - m)),
      );
    });
    tf.dispose([mean, variance]);
    return y;
  }

  /** y = γ·x̂ + β with x̂ = (x − μ)/√(σ² + ε); dx = γ/(N√(σ² + ε))·(N·dy − Σdy − x̂·Σ(dy·x̂)). */
  private normalize(stats: Partial<Moments>): (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor {
    return tf.customGrad((...args) => {
      const [x, gamma, beta] = args as tf.Tensor[];
      const save = args[3] as (tensors: tf.Tensor[]) => void;
      const axes = x.shape.slice(0, -1).map((_, i) => i);
      const mean = x.mean(axes);
      const centered = x.sub(mean);
      const variance = centered.square().mean(axes);
      const inverse = tf.rsqrt(variance.add(this.epsilon));
      const normed = centered.mul(inverse);
      stats.mean = tf.keep(mean.clone());
      stats.variance = tf.keep(variance.clone());
      save([normed, inverse, gamma]);
      const count = x.size / (x.shape[x.shape.length - 1] ?? 1);
      return {
        value: normed.mul(gamma).add(beta),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [xhat, inv, g] = saved;
          const dBeta = dy.sum(axes);
          const dGamma = dy.mul(xhat).sum(axes);
          const dx = dy.mul(count).sub(dBeta).sub(xhat.mul(dGamma)).mul(inv.mul(g).div(count));
          return [dx, dGamma, dBeta];
        },
      };
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return singleShape(inputShape);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), momentum: this.momentum, epsilon: this.epsilon };
  }
}

tf.serialization.registerClass(BatchNorm);
