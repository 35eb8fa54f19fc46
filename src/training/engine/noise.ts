// Latent noise from the seeded stream, and the latent paths sample grids walk along.
import * as tf from '@tensorflow/tfjs';
import type { ResolvedLatent } from '../../language/model';
import { CounterRng } from './rng';

export function latentValues(rng: CounterRng, count: number, latent: ResolvedLatent): Float32Array {
  const out = new Float32Array(count * latent.size);
  return latent.dist === 'uniform' ? rng.fillUniform(out, -1, 1) : rng.fillNormal(out);
}

export function latentTensor(rng: CounterRng, count: number, latent: ResolvedLatent): tf.Tensor2D {
  return tf.tensor2d(latentValues(rng, count, latent), [count, latent.size]);
}

/** Spherical interpolation between two latent vectors (White 2016); falls back to linear when parallel. */
export function slerp(a: Float32Array, b: Float32Array, t: number): Float32Array {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  const cos = Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb || 1)));
  const omega = Math.acos(cos);
  const out = new Float32Array(a.length);
  const sin = Math.sin(omega);
  for (let i = 0; i < a.length; i++) {
    out[i] =
      sin < 1e-6
        ? (1 - t) * a[i] + t * b[i]
        : (Math.sin((1 - t) * omega) / sin) * a[i] + (Math.sin(t * omega) / sin) * b[i];
  }
  return out;
}

/** rows x cols latent vectors: each row goes from the seed's vector to seed2's. */
export function interpolationGrid(
  latent: ResolvedLatent,
  rows: number,
  cols: number,
  seed: number,
  seed2: number,
): Float32Array {
  const from = latentValues(new CounterRng(seed), rows, latent);
  const to = latentValues(new CounterRng(seed2), rows, latent);
  const out = new Float32Array(rows * cols * latent.size);
  for (let r = 0; r < rows; r++) {
    const a = from.subarray(r * latent.size, (r + 1) * latent.size);
    const b = to.subarray(r * latent.size, (r + 1) * latent.size);
    for (let c = 0; c < cols; c++)
      out.set(slerp(a, b, cols === 1 ? 0 : c / (cols - 1)), (r * cols + c) * latent.size);
  }
  return out;
}

/** rows x cols latent vectors around zero: row r sweeps dimension r (mod size) from -3 to 3. */
export function walkGrid(size: number, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols * size);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++)
      out[(r * cols + c) * size + (r % size)] = cols === 1 ? 0 : -3 + (6 * c) / (cols - 1);
  }
  return out;
}
