// VAE on held-out images: the test-set negative ELBO (reconstruction term as trained, plus the
// analytic KL, β = 1, one posterior sample per image, in nats), the mean squared error of the
// posterior-mean reconstructions (pixels mapped to [0, 1]) and the labels returned by the
// classifier for those reconstructions.
import * as tf from '@tensorflow/tfjs';
import type { ResolvedModel } from '../../language/model';
import type { DataBatch } from '../contract';
import { CounterRng } from '../engine/rng';
import type { Networks } from './familyEval';

const EPSILON = 1e-7;
const CHUNK = 256;

export interface VaeHeldOut {
  readonly negElbo: number;
  readonly reconstructionMse: number;
  readonly reconstructions: Float32Array;
}

export function vaeHeldOut(
  model: ResolvedModel,
  networks: Networks,
  held: DataBatch,
  seed: number,
): VaeHeldOut {
  const encoder = networks.encoder;
  const decoder = networks.decoder;
  if (!encoder || !decoder) throw new Error('vae evaluation needs the encoder and decoder');
  const data = model.data[0];
  const [h, w, c] = data.shape;
  const size = h * w * c;
  const [lo, hi] = data.scale;
  const bce = model.loss.params.reconstruction !== 'mse';
  const latent = model.latent?.size ?? 0;
  const eps = new CounterRng(seed).fillNormal(new Float32Array(held.count * latent));
  const reconstructions = new Float32Array(held.count * size);
  let negElbo = 0;
  let squared = 0;
  for (let start = 0; start < held.count; start += CHUNK) {
    const n = Math.min(CHUNK, held.count - start);
    const [sums, recon] = tf.tidy(() => {
      const x = tf.tensor4d(held.images.subarray(start * size, (start + n) * size), [n, h, w, c]);
      const [mean, logVar] = encoder.apply(x, { training: false }) as tf.Tensor[];
      const noise = tf.tensor2d(eps.subarray(start * latent, (start + n) * latent), [n, latent]);
      const sampled = decoder.apply(mean.add(logVar.mul(0.5).exp().mul(noise)), {
        training: false,
      }) as tf.Tensor;
      const unit = (t: tf.Tensor): tf.Tensor => (lo === 0 && hi === 1 ? t : t.sub(lo).div(hi - lo));
      const target = unit(x);
      const reconstruction = bce
        ? target
            .mul(
              unit(sampled)
                .clipByValue(EPSILON, 1 - EPSILON)
                .log(),
            )
            .add(tf.sub(1, target).mul(tf.sub(1, unit(sampled).clipByValue(EPSILON, 1 - EPSILON)).log()))
            .neg()
            .sum()
        : sampled.sub(x).square().sum();
      const kl = tf.add(1, logVar).sub(mean.square()).sub(logVar.exp()).sum().mul(-0.5);
      const meanRecon = decoder.apply(mean, { training: false }) as tf.Tensor;
      const mse = unit(meanRecon).sub(target).square().sum();
      return [tf.stack([reconstruction.add(kl), mse]), meanRecon];
    });
    const [elboSum, mseSum] = sums.dataSync();
    reconstructions.set(recon.dataSync(), start * size);
    tf.dispose([sums, recon]);
    negElbo += elboSum;
    squared += mseSum;
  }
  return {
    negElbo: negElbo / held.count,
    reconstructionMse: squared / (held.count * size),
    reconstructions,
  };
}
