// Batch normalisation with its gradient written out (Ioffe & Szegedy 2015). tfjs's batchNorm
// gradient tiles the per-channel scale to the full tensor, which took ~18% of a DCGAN step on
// wasm; this one needs only per-channel sums. Registered for serialisation.
import * as tf from '@tensorflow/tfjs';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';
import { single, singleShape, type ConfigDict, type LayerVariable, type Shape } from './common';
import {
  addMovingStatistics,
  normalizeBatch,
  normalizeWithMoving,
  updateMovingStatistics,
  type BatchMoments,
  type MovingStatistics,
} from './batchStatistics';

export interface BatchNormArgs extends LayerArgs {
  /** Moving averages: moving = momentum·moving + (1 − momentum)·batch (the Keras convention). */
  momentum: number;
  epsilon: number;
}

/** Normalises over every axis but the last with batch statistics in training, moving ones otherwise. */
export class BatchNorm extends tf.layers.Layer {
  static readonly className = 'GanStudioBatchNorm';
  private readonly momentum: number;
  private readonly epsilon: number;
  private gamma: LayerVariable | null = null;
  private beta: LayerVariable | null = null;
  private moving: MovingStatistics | null = null;

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
    this.moving = addMovingStatistics((name, init) =>
      this.addWeight(name, [channels], 'float32', init, undefined, false),
    );
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const { gamma, beta, moving } = this;
    if (!gamma || !beta || !moving) throw new Error('BatchNorm used before build');
    const x = single(inputs);
    if (kwargs['training'] !== true)
      return tf.tidy(() => normalizeWithMoving(x, moving, this.epsilon).mul(gamma.read()).add(beta.read()));
    const batch: { moments?: BatchMoments } = {};
    const y = this.normalize(batch)(x, gamma.read(), beta.read());
    if (!batch.moments) throw new Error('BatchNorm statistics were not computed');
    updateMovingStatistics(moving, batch.moments, this.momentum);
    return y;
  }

  /** y = γ·x̂ + β with x̂ = (x − μ)/√(σ² + ε); dx = γ/(N√(σ² + ε))·(N·dy − Σdy − x̂·Σ(dy·x̂)). */
  private normalize(batch: {
    moments?: BatchMoments;
  }): (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor {
    return tf.customGrad((...args) => {
      const [x, gamma, beta] = args as tf.Tensor[];
      const save = args[3] as (tensors: tf.Tensor[]) => void;
      const { axes, normed, inverse, count, moments } = normalizeBatch(x, this.epsilon);
      batch.moments = moments;
      save([normed, inverse, gamma]);
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
