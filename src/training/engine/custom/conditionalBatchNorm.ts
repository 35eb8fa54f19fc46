// Conditional batch normalisation (de Vries et al. 2017; Dumoulin et al. 2017): batch statistics
// as in BatchNorm, but the scale γ(y) and shift β(y) are rows of learned per-class tables picked
// by the label, so the label conditions every normalised layer (Miyato & Koyama 2018's and
// BigGAN's generators). The statistics, moving averages included, are shared by all classes.
// Registered for serialisation.
import * as tf from '@tensorflow/tfjs';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';
import type { BatchNormArgs } from './batchNorm';
import { singleShape, type ConfigDict, type LayerVariable, type Shape } from './common';
import {
  addMovingStatistics,
  normalizeBatch,
  normalizeWithMoving,
  updateMovingStatistics,
  type BatchMoments,
  type MovingStatistics,
} from './batchStatistics';

export interface ConditionalBatchNormArgs extends BatchNormArgs {
  classes: number;
}

/** [x, label] -> γ[label]·x̂ + β[label]; x̂ normalised over every axis but the last. */
export class ConditionalBatchNorm extends tf.layers.Layer {
  static readonly className = 'GanStudioConditionalBatchNorm';
  private readonly classes: number;
  private readonly momentum: number;
  private readonly epsilon: number;
  private gamma: LayerVariable | null = null;
  private beta: LayerVariable | null = null;
  private moving: MovingStatistics | null = null;

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
    this.moving = addMovingStatistics((name, init) =>
      this.addWeight(name, [channels], 'float32', init, undefined, false),
    );
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const { gamma, beta, moving } = this;
    if (!gamma || !beta || !moving) throw new Error('ConditionalBatchNorm used before build');
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
      return tf.tidy(() =>
        normalizeWithMoving(x, moving, this.epsilon).mul(perSample(gamma)).add(perSample(beta)),
      );
    const batch: { moments?: BatchMoments } = {};
    const y = this.normalize(batch)(x, perSample(gamma), perSample(beta));
    if (!batch.moments) throw new Error('ConditionalBatchNorm statistics were not computed');
    updateMovingStatistics(moving, batch.moments, this.momentum);
    return y;
  }

  /**
   * y = γ·x̂ + β with per-sample γ, β and x̂ = (x − μ)/√(σ² + ε) over the batch; with g = dy·γ,
   * dx = 1/(N√(σ² + ε))·(N·g − Σg − x̂·Σ(g·x̂)), dγ = Σ_positions dy·x̂, dβ = Σ_positions dy.
   */
  private normalize(batch: {
    moments?: BatchMoments;
  }): (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor {
    return tf.customGrad((...args) => {
      const [x, gamma, beta] = args as tf.Tensor[];
      const save = args[3] as (tensors: tf.Tensor[]) => void;
      const { axes, normed, inverse, count, moments } = normalizeBatch(x, this.epsilon);
      batch.moments = moments;
      save([normed, inverse, gamma]);
      const positions = axes.slice(1);
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
