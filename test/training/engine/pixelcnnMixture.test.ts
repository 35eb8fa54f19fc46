// The discretised logistic mixture (PixelCNN++) of pixelcnn's `output=logistic`: its log-likelihood
// against a direct float64 computation written from the paper (the layout spelled out by hand:
// G's mean from R, B's from R and G), the probabilities of all levels summing to 1, finite values
// and gradients for extreme parameters, and the sampler drawing levels with those probabilities.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { outputChannels } from '../../../src/language/families/pixelcnnOutput';
import {
  drawMixturePixel,
  mixtureLogProb,
  mixtureNllPerImage,
} from '../../../src/training/engine/families/pixelcnnMixture';
import { CounterRng } from '../../../src/training/engine/rng';
import { useBackend } from './helpers';

const sigmoid = (t: number): number => 1 / (1 + Math.exp(-t));

/** The mass of level q of L under a logistic (mean μ, log-scale s), in float64, from CDF differences. */
function levelMass(q: number, L: number, mu: number, logScale: number): number {
  const s = Math.exp(Math.max(-7, logScale));
  const x = (2 * q) / (L - 1) - 1;
  const h = 1 / (L - 1);
  const hi = (x + h - mu) / s;
  const lo = (x - h - mu) / s;
  if (q === 0) return sigmoid(hi);
  if (q === L - 1) return sigmoid(-lo);
  // σ(hi) − σ(lo) = σ(−lo) − σ(−hi): take the side where both are small.
  return x - mu > 0 ? sigmoid(-lo) - sigmoid(-hi) : sigmoid(hi) - sigmoid(lo);
}

/**
 * log p(pixel) in float64 for C = 1 or 3, reading the layout by hand: K logits, K means per
 * channel (R, G, B), K log-scales per channel, then K coefficients each for G←R, B←R, B←G.
 */
function referenceLogProb(p: readonly number[], q: readonly number[], L: number, K: number): number {
  const C = q.length;
  const x = q.map((v) => (2 * v) / (L - 1) - 1);
  const maxLogit = Math.max(...p.slice(0, K));
  const norm = Math.log(p.slice(0, K).reduce((a, v) => a + Math.exp(v - maxLogit), 0)) + maxLogit;
  const terms: number[] = [];
  for (let k = 0; k < K; k++) {
    const mean = (c: number) => p[K + c * K + k];
    const logS = (c: number) => p[K + C * K + c * K + k];
    const coef = (j: number) => Math.tanh(p[K + 2 * C * K + j * K + k]);
    const mus =
      C === 1 ? [mean(0)] : [mean(0), mean(1) + coef(0) * x[0], mean(2) + coef(1) * x[0] + coef(2) * x[1]];
    let lp = p[k] - norm;
    for (let c = 0; c < C; c++) lp += Math.log(levelMass(q[c], L, mus[c], logS(c)));
    terms.push(lp);
  }
  const m = Math.max(...terms);
  return m + Math.log(terms.reduce((a, t) => a + Math.exp(t - m), 0));
}

/** Random parameters: logits ~ N(0, 1), means in [-1.5, 1.5], log-scales in [-4, 1], coefficients ~ N(0, 1). */
function randomParams(rng: CounterRng, K: number, C: number): number[] {
  const P = outputChannels({ output: 'logistic', levels: 256, mixtures: K }, C);
  const p = new Array<number>(P);
  for (let i = 0; i < P; i++) {
    const u = rng.uniform();
    if (i < K) p[i] = 2 * u - 1;
    else if (i < K + C * K) p[i] = 3 * u - 1.5;
    else if (i < K + 2 * C * K) p[i] = -4 + 5 * u;
    else p[i] = 4 * u - 2;
  }
  return p;
}

function logProbs(params: number[][], targets: number[][], L: number, K: number): Float32Array {
  return tf.tidy(
    () =>
      mixtureLogProb(
        tf.tensor2d(params),
        tf.tensor2d(targets, undefined, 'int32'),
        L,
        K,
      ).dataSync() as Float32Array,
  );
}

describe('discretised logistic mixture', () => {
  before(useBackend);

  it('has K·3 outputs per grayscale pixel and K·10 per RGB pixel, as PixelCNN++', () => {
    assert.equal(outputChannels({ output: 'logistic', levels: 256, mixtures: 5 }, 1), 15);
    assert.equal(outputChannels({ output: 'logistic', levels: 256, mixtures: 5 }, 3), 50);
    assert.equal(outputChannels({ output: 'softmax', levels: 256, mixtures: 5 }, 1), 256);
  });

  for (const C of [1, 3])
    for (const L of [2, 16, 256])
      it(`log p matches a float64 computation (channels ${C}, ${L} levels)`, () => {
        const K = 4;
        const rng = new CounterRng(C * 1000 + L);
        const params: number[][] = [];
        const targets: number[][] = [];
        for (let i = 0; i < 300; i++) {
          params.push(randomParams(rng, K, C));
          // Edges often: a third of the targets at the first or last level.
          targets.push(
            Array.from({ length: C }, () => {
              const u = rng.uniform();
              return u < 0.15 ? 0 : u < 0.3 ? L - 1 : Math.floor(rng.uniform() * L);
            }),
          );
        }
        const got = logProbs(params, targets, L, K);
        let worst = 0;
        for (let i = 0; i < params.length; i++) {
          const want = referenceLogProb(params[i], targets[i], L, K);
          assert.ok(Number.isFinite(want));
          worst = Math.max(worst, Math.abs(got[i] - want) / Math.max(1, Math.abs(want)));
        }
        assert.ok(worst < 2e-5, `largest relative difference ${worst}`);
      });

  for (const L of [2, 256])
    it(`the probabilities of all ${L} levels sum to 1 (grayscale, random parameters)`, () => {
      const K = 5;
      const rng = new CounterRng(L);
      for (let trial = 0; trial < 20; trial++) {
        const p = randomParams(rng, K, 1);
        const lp = logProbs(
          Array.from({ length: L }, () => p),
          Array.from({ length: L }, (_, q) => [q]),
          L,
          K,
        );
        const total = lp.reduce((a, v) => a + Math.exp(v), 0);
        assert.ok(Math.abs(total - 1) < 1e-5, `trial ${trial}: Σ p = ${total}`);
      }
    });

  for (const L of [2, 8])
    it(`the probabilities of all ${L}³ colours sum to 1 (RGB, coupled channels)`, () => {
      const K = 3;
      const rng = new CounterRng(100 + L);
      for (let trial = 0; trial < 5; trial++) {
        const p = randomParams(rng, K, 3);
        const targets: number[][] = [];
        for (let r = 0; r < L; r++)
          for (let g = 0; g < L; g++) for (let b = 0; b < L; b++) targets.push([r, g, b]);
        const lp = logProbs(
          targets.map(() => p),
          targets,
          L,
          K,
        );
        const total = lp.reduce((a, v) => a + Math.exp(v), 0);
        assert.ok(Math.abs(total - 1) < 1e-5, `trial ${trial}: Σ p = ${total}`);
      }
    });

  it('stays finite, with finite gradients, for extreme parameters (tiny and huge scales, far means)', () => {
    const K = 2;
    const L = 256;
    // Per row: logit, logit, μ, μ, log s, log s.
    const rows = [
      [0, 0, 50, -50, -7, -7], // far means, the smallest scale: probabilities ~e^-50000
      [0, 0, 0.3, 0.3, -20, -20], // below the clamp
      [0, 0, 0, 0, 80, 120], // scales past float32's exp range
      [30, -30, 1e4, -1e4, 3, 3],
      [0, 0, 0.0039, -0.0039, -7, -7],
    ];
    const targets = [[0], [128], [255], [77], [127]];
    const p = tf.tensor2d(rows);
    const t = tf.tensor2d(targets, undefined, 'int32');
    const lp = mixtureLogProb(p, t, L, K).dataSync();
    for (const v of lp) assert.ok(Number.isFinite(v) && v <= 1e-6, `log p = ${v}`);
    // A huge scale spreads the mass evenly: log p → log(1/2 · bin / (4s)) … at least far below 0.
    const grad = tf.grad((x: tf.Tensor) => mixtureLogProb(x as tf.Tensor2D, t, L, K).sum())(p);
    for (const g of grad.dataSync()) assert.ok(Number.isFinite(g), `gradient ${g}`);
    tf.dispose([p, t, grad]);
  });

  it('where the bin is narrow against the scale, log p is the mid-point density times the bin width', () => {
    // log-scale 2 with 256 levels: bin width 2/255 ≪ e² — the regime of PixelCNN++'s fallback.
    const L = 256;
    const mu = 0.1;
    const logS = 2;
    const q = 200;
    const x = (2 * q) / (L - 1) - 1;
    const z = (x - mu) / Math.exp(logS);
    const midpoint = z - logS - 2 * Math.log1p(Math.exp(z)) + Math.log(2 / (L - 1));
    const [got] = logProbs([[0, mu, logS]], [[q]], L, 1);
    assert.ok(Math.abs(got - midpoint) < 1e-5, `${got} vs ${midpoint}`);
  });

  it('nats per image sum the pixels’ −log p', () => {
    const K = 2;
    const rng = new CounterRng(9);
    const params = Array.from({ length: 2 * 2 * 2 }, () => randomParams(rng, K, 3));
    const targets = Array.from({ length: 8 }, (_, i) => [i * 30, 255 - i * 30, i * 7]);
    const nll = tf.tidy(() =>
      mixtureNllPerImage(
        tf.tensor4d(params.flat(), [2, 2, 2, params[0].length]),
        tf.tensor1d(targets.flat(), 'int32'),
        256,
        K,
        3,
      ).dataSync(),
    );
    for (let img = 0; img < 2; img++) {
      let want = 0;
      for (let i = img * 4; i < img * 4 + 4; i++) want -= referenceLogProb(params[i], targets[i], 256, K);
      assert.ok(Math.abs(nll[img] - want) < 1e-3 * Math.max(1, Math.abs(want)), `${nll[img]} vs ${want}`);
    }
  });

  it('draws colours with the probabilities the likelihood gives them (R, then G and B coupled)', () => {
    const K = 3;
    const L = 4;
    const rng = new CounterRng(5);
    const p = randomParams(rng, K, 3);
    // Larger scales, so every one of the 64 colours has some mass.
    for (let i = K + 3 * K; i < K + 6 * K; i++) p[i] = -1 + 0.5 * rng.uniform();
    const colours: number[][] = [];
    for (let r = 0; r < L; r++)
      for (let g = 0; g < L; g++) for (let b = 0; b < L; b++) colours.push([r, g, b]);
    const probs = logProbs(
      colours.map(() => p),
      colours,
      L,
      K,
    ).map(Math.exp);
    const draws = 40000;
    const counts = new Array<number>(colours.length).fill(0);
    const out = new Int32Array(3);
    const draw = new CounterRng(77);
    for (let i = 0; i < draws; i++) {
      drawMixturePixel(p, 0, L, K, 3, draw, out, 0);
      counts[(out[0] * L + out[1]) * L + out[2]]++;
    }
    let tv = 0;
    for (let i = 0; i < colours.length; i++) tv += Math.abs(counts[i] / draws - probs[i]) / 2;
    assert.ok(tv < 0.02, `total variation ${tv}`);
  });
});
