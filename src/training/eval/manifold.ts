// k-nearest-neighbour manifold metrics: precision and recall (Kynkäänniemi et al. 2019, k = 3)
// and density and coverage (Naeem et al. 2020, k = 5). Each sample's ball reaches its k-th
// nearest neighbour in its own set; precision: fakes inside some real ball; recall: reals inside
// some fake ball; density: real balls per fake, over k; coverage: real balls holding a fake.
// Precision/density measure fidelity, recall/coverage diversity (they fall under mode collapse).
import { mulberry32, permutation } from '../data/prng';
import type { FeatureRows } from './linalg';

export interface ManifoldOptions {
  /** Each side is subsampled to at most this many rows (the cost is quadratic). */
  readonly maxSamples?: number;
  readonly seed?: number;
  readonly kPrecision?: number;
  readonly kDensity?: number;
}

export interface ManifoldResult {
  readonly precision: number;
  readonly recall: number;
  readonly density: number;
  readonly coverage: number;
  readonly samples: number;
}

function subsample(rows: FeatureRows, max: number, random: () => number): FeatureRows {
  if (rows.count <= max) return rows;
  const order = permutation(rows.count, random).subarray(0, max);
  const values = new Float32Array(max * rows.dim);
  order.forEach((from, i) =>
    values.set(rows.values.subarray(from * rows.dim, (from + 1) * rows.dim), i * rows.dim),
  );
  return { count: max, dim: rows.dim, values };
}

function squaredDistance(a: FeatureRows, i: number, b: FeatureRows, j: number): number {
  const d = a.dim;
  let sum = 0;
  for (let k = 0; k < d; k++) {
    const diff = a.values[i * d + k] - b.values[j * d + k];
    sum += diff * diff;
  }
  return sum;
}

/** Squared distance from each row to its k-th nearest other row of the same set, for each k asked. */
export function kthNeighbourRadii(rows: FeatureRows, ks: readonly number[]): Float64Array[] {
  const n = rows.count;
  const kMax = Math.max(...ks);
  if (n <= kMax) throw new Error(`manifold metrics need more than ${kMax} samples`);
  const out = ks.map(() => new Float64Array(n));
  const nearest = new Float64Array(kMax);
  const distances = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const d = squaredDistance(rows, i, rows, j);
      distances[i * n + j] = d;
      distances[j * n + i] = d;
    }
  for (let i = 0; i < n; i++) {
    nearest.fill(Infinity);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const d = distances[i * n + j];
      if (d >= nearest[kMax - 1]) continue;
      let at = kMax - 1;
      while (at > 0 && nearest[at - 1] > d) {
        nearest[at] = nearest[at - 1];
        at--;
      }
      nearest[at] = d;
    }
    ks.forEach((k, index) => (out[index][i] = nearest[k - 1]));
  }
  return out;
}

export function manifoldMetrics(
  real: FeatureRows,
  fake: FeatureRows,
  options: ManifoldOptions = {},
): ManifoldResult {
  if (real.dim !== fake.dim) throw new Error('features of different sizes');
  const random = mulberry32(options.seed ?? 0x6d616e69);
  const max = options.maxSamples ?? 2000;
  const r = subsample(real, max, random);
  const f = subsample(fake, max, random);
  const kP = options.kPrecision ?? 3;
  const kD = options.kDensity ?? 5;
  const [realP, realD] = kthNeighbourRadii(r, [kP, kD]);
  const [fakeP] = kthNeighbourRadii(f, [kP]);
  const realCovered = new Uint8Array(r.count);
  const realRecalled = new Uint8Array(r.count);
  let precise = 0;
  let density = 0;
  for (let j = 0; j < f.count; j++) {
    let inside = false;
    for (let i = 0; i < r.count; i++) {
      const d = squaredDistance(f, j, r, i);
      if (d <= realP[i]) inside = true;
      if (d <= realD[i]) {
        density++;
        realCovered[i] = 1;
      }
      if (d <= fakeP[j]) realRecalled[i] = 1;
    }
    if (inside) precise++;
  }
  const sum = (a: Uint8Array): number => a.reduce((t, v) => t + v, 0);
  return {
    precision: precise / f.count,
    recall: sum(realRecalled) / r.count,
    density: density / (kD * f.count),
    coverage: sum(realCovered) / r.count,
    samples: Math.min(r.count, f.count),
  };
}
