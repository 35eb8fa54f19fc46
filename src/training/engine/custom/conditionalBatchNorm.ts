// Conditional batch normalisation (de Vries et al. 2017; Dumoulin et al. 2017): batch statistics
// as in BatchNorm, but the scale γ(y) and shift β(y) are rows of learned per-class tables picked
// by the label, so the label conditions every normalised layer (Miyato & Koyama 2018's and
// BigGAN's generators). The statistics, moving averages included, are shared by all classes.
// Registered for serialisation.
import * as tf from '@tensorflow/tfjs';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';
import { singleShape, type ConfigDict, type LayerVariable, type Shape } from './common';

export interface ConditionalBatchNormArgs extends LayerArgs {
  classes: number;
  /** Moving averages: moving = momentum·moving + (1 − momentum)·batch (the Keras convention). */
  momentum: number;
  epsilon: number;
}

interface Moments {
  mean: tf.Tensor;
  variance: tf.Tensor;
}

/** [x, label] -> γ[label]·x̂ + β[label]; x̂ normalised over every axis but the last. */
export class ConditionalBatchNorm extends tf.layers.Layer {
  static readonly className = 'GanStudioConditionalBatchNorm';
  private readonly classes: number;
  private readonly momentum: number;
  private readonly epsilon: number;
  private gamma: LayerVariable | null = null;
  private beta: LayerVariable | null = null;
  private movingMean: LayerVariable | null = null;
  private movingVariance: LayerVariable | null = null;

  constructor(args: ConditionalBatchNormArgs) {
    super(args);
    this.classes = args.classes;
    this.momentum = args.momentum;
    this.epsilon = args.epsilon;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = singleShape(inputShape);
    const channels = shape[shape.length - 1] ?? 1;
    const table = [this.classes, channels];
    this.gamma = this.addWeight('gamma', table, 'float32', tf.initializers.ones());
    this.beta = this.addWeight('beta', table, 'float32', tf.initializers.zeros());
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
    if (!gamma || !beta || !movingMean || !movingVariance)
      throw new Error('ConditionalBatchNorm used before build');
    if (!Array.isArray(inputs) || inputs.length !== 2)
      throw new Error('ConditionalBatchNorm takes [features, label]');
    const [x, label] = inputs;
    // One row of each table per sample, shaped to broadcast over the positions: [batch, 1, …, 1, C].
    const perSample = (table: LayerVariable): tf.Tensor =>
      tf.tidy(() => {
        const rows = tf.matMul(
          tf.oneHot(label.reshape([-1]).toInt(), this.classes).toFloat(),
          table.read() as tf.Tensor2D,
        );
        return rows.reshape([-1, ...x.shape.slice(1, -1).map(() => 1), rows.shape[1] ?? -1]);
      });
    if (kwargs['training'] !== true)
      return tf.tidy(() => {
        const normed = x.sub(movingMean.read()).mul(tf.rsqrt(movingVariance.read().add(this.epsilon)));
        return normed.mul(perSample(gamma)).add(perSample(beta));
      });
    const stats: Partial<Moments> = {};
    const y = this.normalize(stats)(x, perSample(gamma), perSample(beta));
    const { mean, variance } = stats;
    if (!mean || !variance) throw new Error('ConditionalBatchNorm statistics were not computed');
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

  /**
   * y = γ·x̂ + β with per-sample γ, β and x̂ = (x − μ)/√(σ² + ε) over the batch; with g = dy·γ,
   * dx = 1/(N√(σ² + ε))·(N·g − Σg − x̂·Σ(g·x̂)), dγ = Σ_positions dy·x̂, dβ = Σ_positions dy.
   */
  private normalize(stats: Partial<Moments>): (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor {
    return tf.customGrad((...args) => {
      const [x, gamma, beta] = args as tf.Tensor[];
      const save = args[3] as (tensors: tf.Tensor[]) => void;
      const axes = x.shape.slice(0, -1).map((_, i) => i);
      const positions = axes.slice(1);
      const mean = x.mean(axes);
      const centered = x.sub(mean);
      const variance = centered.square().mean(axes);
      const inverse = tf.rsqrt(variance.add(this.epsilon));
      const normed = centered.mul(inverse);
      stats.mean = tf.keep(mean.clone());
      stats.variance = tf.keep(variance.clone());
      save([normed, inverse, gamma]);
      const count = x.size / (x.shape[x.shape.length - 1] ?? 1);
      const perSample = (t: tf.Tensor): tf.Tensor => (positions.length ? t.sum(positions, true) : t);
      return {
        value: normed.mul(gamma).add(beta),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [xhat, inv, g] = saved;
          const dxhat = dy.mul(g);
          const dx = dxhat
            .mul(count)
            .sub(dxhat.sum(axes))
            .sub(xhat.mul(dxhat.mul(xhat).sum(axes)))
            .mul(inv.div(count));
          return [dx, perSample(dy.mul(xhat)), perSample(dy)];
        },
      };
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return singleShape(inputShape);
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      classes: this.classes,
      momentum: this.momentum,
      epsilon: this.epsilon,
    };
  }
}

tf.serialization.registerClass(ConditionalBatchNorm);
