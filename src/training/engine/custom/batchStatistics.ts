// What batch norm and conditional batch norm share: the moving statistics (their weights and
// their update) and the batch moments inside each layer's hand-written gradient.
import * as tf from '@tensorflow/tfjs';
import type { LayerVariable } from './common';

export interface MovingStatistics {
  readonly mean: LayerVariable;
  readonly variance: LayerVariable;
}

/** A layer's own addWeight (protected in tfjs), for one non-trainable per-channel weight. */
export type AddStatistic = (name: string, init: ReturnType<typeof tf.initializers.zeros>) => LayerVariable;

/** The moving mean (zeros) and variance (ones), one per channel. */
export function addMovingStatistics(add: AddStatistic): MovingStatistics {
  return {
    mean: add('moving_mean', tf.initializers.zeros()),
    variance: add('moving_variance', tf.initializers.ones()),
  };
}

/** x̂ from the moving statistics (inference). */
export function normalizeWithMoving(x: tf.Tensor, moving: MovingStatistics, epsilon: number): tf.Tensor {
  return tf.tidy(() => x.sub(moving.mean.read()).mul(tf.rsqrt(moving.variance.read().add(epsilon))));
}

/** moving = momentum·moving + (1 − momentum)·batch (the Keras convention); disposes the batch moments. */
export function updateMovingStatistics(
  moving: MovingStatistics,
  batch: BatchMoments,
  momentum: number,
): void {
  tf.tidy(() => {
    moving.mean.write(
      moving.mean
        .read()
        .mul(momentum)
        .add(batch.mean.mul(1 - momentum)),
    );
    moving.variance.write(
      moving.variance
        .read()
        .mul(momentum)
        .add(batch.variance.mul(1 - momentum)),
    );
  });
  tf.dispose([batch.mean, batch.variance]);
}

export interface BatchMoments {
  readonly mean: tf.Tensor;
  readonly variance: tf.Tensor;
}

export interface Normalized {
  /** Every axis but the last (channels). */
  readonly axes: number[];
  /** x̂ = (x − μ)/√(σ² + ε). */
  readonly normed: tf.Tensor;
  readonly inverse: tf.Tensor;
  /** Values per channel: N in the gradient's formula. */
  readonly count: number;
  /** Kept copies of μ and σ² for the moving statistics (the caller disposes them). */
  readonly moments: BatchMoments;
}

/** The batch's x̂ over every axis but the last, for use inside a tf.customGrad. */
export function normalizeBatch(x: tf.Tensor, epsilon: number): Normalized {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const mean = x.mean(axes);
  const centered = x.sub(mean);
  const variance = centered.square().mean(axes);
  const inverse = tf.rsqrt(variance.add(epsilon));
  return {
    axes,
    normed: centered.mul(inverse),
    inverse,
    count: x.size / (x.shape[x.shape.length - 1] ?? 1),
    moments: { mean: tf.keep(mean.clone()), variance: tf.keep(variance.clone()) },
  };
}
