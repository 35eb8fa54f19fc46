// WGAN-GP's gradient penalty, λ·E[(‖∇x D(x̂)‖ − 1)²] at x̂ between real and fake images.
//
// Its parameter gradient needs a gradient of a gradient, which tfjs 4.22 computes wrongly: saved
// forward activations reach the backward pass as detached copies, so the outer tape misses every
// path through them (measured: wrong values, and no gradient at all for some biases). Instead the
// penalty's gradient is taken exactly as a Hessian-vector product by central differences:
//   ∂/∂θ (‖g‖ − 1)² = 2(‖g‖ − 1) · ∂(u·∇x D)/∂θ with u = g/‖g‖ held constant, and
//   u·∇x D(x̂) = (D(x̂ + h·u) − D(x̂ − h·u)) / 2h + O(h²)   (exact where D is piecewise linear).
// Both passes must see the same function, so the critic runs in inference mode here (no dropout,
// moving batch-norm statistics, no spectral-norm power step).
import * as tf from '@tensorflow/tfjs';
import type { CounterRng } from './rng';

const STEP = 1e-2;

export interface GradientPenalty {
  /** The penalty's value (for the logged loss); no gradient. */
  readonly value: tf.Scalar;
  /** A term whose parameter gradient equals the penalty's; call inside the critic's tape. */
  surrogate(): tf.Scalar;
}

export function gradientPenalty(
  critic: (x: tf.Tensor) => tf.Tensor,
  real: tf.Tensor,
  fake: tf.Tensor,
  weight: number,
  rng: CounterRng,
): GradientPenalty {
  const n = real.shape[0];
  const perImage = [n, ...real.shape.slice(1).map(() => 1)];
  const mix = tf.tensor(rng.fillUniform(new Float32Array(n), 0, 1), perImage);
  const between = real.mul(mix).add(fake.mul(tf.sub(1, mix)));
  const grad = tf.grad((x: tf.Tensor) => critic(x).sum())(between);
  const axes = grad.shape.slice(1).map((_, i) => i + 1);
  const norms = grad.square().sum(axes).add(1e-12).sqrt();
  const value = norms.sub(1).square().mean().mul(weight) as tf.Scalar;
  const coefficient = norms.sub(1).mul((2 * weight) / n / (2 * STEP));
  const direction = grad.div(norms.reshape(perImage)).mul(STEP);
  const plus = between.add(direction);
  const minus = between.sub(direction);
  return {
    value,
    surrogate: () => critic(plus).sub(critic(minus)).reshape([n]).mul(coefficient).sum() as tf.Scalar,
  };
}
