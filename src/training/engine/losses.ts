// Adversarial losses on raw discriminator outputs (logits, or critic scores).
import * as tf from '@tensorflow/tfjs';

export type AdversarialLossKind = 'minimax' | 'nonsaturating' | 'wasserstein' | 'hinge' | 'lsgan';

export interface AdversarialLoss {
  readonly kind: AdversarialLossKind;
  /** The discriminator's loss on its outputs for real and fake images (real labels smoothed). */
  discriminator(real: tf.Tensor, fake: tf.Tensor): tf.Scalar;
  generator(fake: tf.Tensor): tf.Scalar;
  /** d_real / d_fake: mean D as a probability for sigmoid losses, the raw score otherwise. */
  readout(output: tf.Tensor): tf.Scalar;
}

/** Binary cross-entropy of logits against a constant target: softplus(l) − t·l. */
export function bceWithLogits(logits: tf.Tensor, target: number): tf.Scalar {
  const soft = tf.softplus(logits);
  return (target === 0 ? soft : soft.sub(logits.mul(target))).mean() as tf.Scalar;
}

function squaredError(x: tf.Tensor, target: number): tf.Scalar {
  return x.sub(target).square().mean() as tf.Scalar;
}

const probability = (output: tf.Tensor): tf.Scalar => tf.sigmoid(output).mean() as tf.Scalar;
const raw = (output: tf.Tensor): tf.Scalar => output.mean() as tf.Scalar;

export function adversarialLoss(kind: string, smoothing: number): AdversarialLoss {
  switch (kind) {
    case 'minimax':
      return {
        kind,
        discriminator: (real, fake) => bceWithLogits(real, smoothing).add(bceWithLogits(fake, 0)),
        // G minimises log(1 − σ(l)) = −softplus(l).
        generator: (fake) => tf.softplus(fake).mean().neg() as tf.Scalar,
        readout: probability,
      };
    case 'nonsaturating':
      return {
        kind,
        discriminator: (real, fake) => bceWithLogits(real, smoothing).add(bceWithLogits(fake, 0)),
        generator: (fake) => bceWithLogits(fake, 1),
        readout: probability,
      };
    case 'wasserstein':
      return {
        kind,
        discriminator: (real, fake) => fake.mean().sub(real.mean()) as tf.Scalar,
        generator: (fake) => fake.mean().neg() as tf.Scalar,
        readout: raw,
      };
    case 'hinge':
      return {
        kind,
        discriminator: (real, fake) =>
          tf
            .relu(tf.sub(1, real))
            .mean()
            .add(tf.relu(tf.add(1, fake)).mean()) as tf.Scalar,
        generator: (fake) => fake.mean().neg() as tf.Scalar,
        readout: raw,
      };
    case 'lsgan':
      return {
        kind,
        discriminator: (real, fake) => squaredError(real, smoothing).add(squaredError(fake, 0)).mul(0.5),
        generator: (fake) => squaredError(fake, 1).mul(0.5),
        readout: raw,
      };
    default:
      throw new Error(`unknown adversarial loss ${kind}`);
  }
}
