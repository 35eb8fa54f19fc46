// The discretised logistic mixture of PixelCNN++ (Salimans et al. 2017), for `levels … output=logistic`:
// its log-likelihood (the training loss and test NLL) and drawing one pixel from it (sampling).
// The network's outputs per pixel are laid out as in src/language/families/pixelcnnOutput.ts:
// K mixture logits, then C·K means, C·K log-scales and, for colour, the coupling coefficients.
//
// A level l of L stands for x_l = 2l/(L−1) − 1 in [-1, 1] and takes the logistic's mass over its
// bin [x_l − h, x_l + h], h = 1/(L−1); the first level also takes everything below, the last
// everything above, so the L probabilities sum to 1. Channel c's mean is shifted by the coupling
// coefficients times the values of the channels before it in the same pixel (teacher-forced from
// the data when training, the levels already drawn when sampling): G depends on R, B on R and G.
//
// Numerics: PixelCNN++'s reference computes σ(plus) − σ(min) directly, which cancels in float32
// once both are near 1, and falls back to the mid-point log-density times the bin width where the
// difference is below 1e-5. Here the bin's log-mass is computed in log space instead,
//   log(σ(a) − σ(b)) = −softplus(−a) − softplus(b) + log(1 − e^−(a−b)),
// every term of which is representable for any parameters, so no fallback is needed; the
// mid-point log-density appears only as the limit it is, where the bin is narrow against the
// scale (a − b < 0.01: log(1 − e^−d) by its series log d − d/2 + d²/24, with log d = log 2h −
// log-scale exact even when the scale overflows).
import * as tf from '@tensorflow/tfjs';
import { couplings } from '../../../language/families/pixelcnnOutput';
import type { CounterRng } from '../rng';

/** Log-scales below this are raised to it (as in PixelCNN++): a bin's logistic never gets narrower. */
export const MIN_LOG_SCALE = -7;

/** Below this bin width in logistic units, log(1 − e^−d) is taken from its series. */
const SERIES_BELOW = 0.01;

/** softplus(x) = log(1 + eˣ), stable on every backend: max(x, 0) + log1p(e^−|x|). */
function softplus(x: tf.Tensor): tf.Tensor {
  return tf.relu(x).add(tf.log1p(tf.exp(tf.abs(x).neg())));
}

/** log(1 − e^−d) for d ≥ 0 given d and log d: the series below SERIES_BELOW, else via expm1. */
function log1mExp(d: tf.Tensor, logD: tf.Tensor): tf.Tensor {
  const series = logD.sub(d.div(2)).add(d.square().div(24));
  const direct = tf.log(tf.expm1(d.maximum(SERIES_BELOW).neg()).neg());
  // (greaterEqual: Less has no gradient function in TensorFlow.js, and the condition is on the tape.)
  return tf.where(d.greaterEqual(SERIES_BELOW), direct, series);
}

/**
 * log p(x) of every pixel, [N]: `params` [N, P] (the network's outputs, P = K(1 + 2C + C(C−1)/2))
 * and `targets` [N, C] level indices 0 … L−1.
 */
export function mixtureLogProb(params: tf.Tensor2D, targets: tf.Tensor2D, L: number, K: number): tf.Tensor1D {
  return tf.tidy(() => {
    const [N] = params.shape;
    const C = targets.shape[1];
    const pairs = couplings(C);
    const q = targets.toFloat();
    const x = q.mul(2 / (L - 1)).sub(1);
    const logitPi = params.slice([0, 0], [N, K]);
    let means: tf.Tensor = params.slice([0, K], [N, C * K]).reshape([N, C, K]);
    const logS = params
      .slice([0, K + C * K], [N, C * K])
      .reshape([N, C, K])
      .maximum(MIN_LOG_SCALE);
    if (pairs.length) {
      const coef = params
        .slice([0, K + 2 * C * K], [N, pairs.length * K])
        .reshape([N, pairs.length, K])
        .tanh();
      const shifts: tf.Tensor[] = [];
      for (let c = 0; c < C; c++) {
        let shift: tf.Tensor = tf.zeros([N, 1, K]);
        pairs.forEach(([earlier, later], j) => {
          if (later !== c) return;
          const xj = x.slice([0, earlier], [N, 1]).reshape([N, 1, 1]);
          shift = shift.add(coef.slice([0, j, 0], [N, 1, K]).mul(xj));
        });
        shifts.push(shift);
      }
      means = means.add(tf.concat(shifts, 1));
    }
    const half = 1 / (L - 1);
    const centered = x.reshape([N, C, 1]).sub(means);
    const invS = logS.neg().exp();
    const plusIn = invS.mul(centered.add(half));
    const minIn = invS.mul(centered.sub(half));
    // log σ(plus): the mass below the bin's top; log(1 − σ(min)): the mass above its bottom.
    const below = softplus(plusIn.neg()).neg();
    const above = softplus(minIn).neg();
    const d = invS.mul(2 * half);
    const logD = logS.neg().add(Math.log(2 * half));
    const inside = below.add(above).add(log1mExp(d, logD));
    const level = q.reshape([N, C, 1]);
    const logProbs = tf.where(level.lessEqual(0), below, tf.where(level.greaterEqual(L - 1), above, inside));
    const joint = logProbs.sum(1).add(tf.logSoftmax(logitPi));
    return tf.logSumExp(joint, 1) as tf.Tensor1D;
  });
}

/** Summed −log p(x) per image (nats) from outputs [n, h, w, P] and level indices ([n·h·w·C]). */
export function mixtureNllPerImage(
  out: tf.Tensor,
  targets: tf.Tensor,
  L: number,
  K: number,
  C: number,
): tf.Tensor1D {
  return tf.tidy(() => {
    const n = out.shape[0];
    const P = out.shape[out.shape.length - 1];
    const params = out.reshape([-1, P]) as tf.Tensor2D;
    const t = targets.reshape([-1, C]) as tf.Tensor2D;
    return mixtureLogProb(params, t, L, K).reshape([n, -1]).sum(1).neg() as tf.Tensor1D;
  });
}

/**
 * Draws one pixel's C levels from the mixture whose parameters are values[at … at + P), into
 * out[outAt … outAt + C): a component from the logits, then channel by channel a logistic sample
 * around the mean shifted by the levels drawn before it, clamped to [-1, 1] and rounded to the
 * nearest level (which gives each level exactly its bin's mass, the edges their tails).
 */
export function drawMixturePixel(
  values: ArrayLike<number>,
  at: number,
  L: number,
  K: number,
  C: number,
  rng: CounterRng,
  out: Int32Array,
  outAt: number,
): void {
  let max = -Infinity;
  for (let k = 0; k < K; k++) max = Math.max(max, values[at + k]);
  let sum = 0;
  for (let k = 0; k < K; k++) sum += Math.exp(values[at + k] - max);
  let u = rng.uniform() * sum;
  let k = K - 1;
  for (let j = 0; j < K; j++) {
    u -= Math.exp(values[at + j] - max);
    if (u <= 0) {
      k = j;
      break;
    }
  }
  const pairs = couplings(C);
  const drawn = new Array<number>(C).fill(0);
  for (let c = 0; c < C; c++) {
    let mean = values[at + K + c * K + k];
    pairs.forEach(([earlier, later], j) => {
      if (later === c) mean += Math.tanh(values[at + K + 2 * C * K + j * K + k]) * drawn[earlier];
    });
    const logS = Math.max(MIN_LOG_SCALE, values[at + K + C * K + c * K + k]);
    const v = rng.uniform();
    const sample = mean + Math.exp(logS) * (Math.log(v) - Math.log1p(-v));
    const clamped = Number.isNaN(sample) ? mean : Math.min(1, Math.max(-1, sample));
    const level = Math.min(L - 1, Math.max(0, Math.round(((clamped + 1) / 2) * (L - 1))));
    out[outAt + c] = level;
    drawn[c] = (2 * level) / (L - 1) - 1;
  }
}
