// Float64 linear algebra for the feature statistics: means and covariances of feature rows,
// and symmetric eigendecompositions (cyclic Jacobi: slow for big matrices, but unconditionally
// stable and accurate to machine precision on the 64x64 covariances the feature networks give).

/** A square d×d matrix, row-major. */
export interface SquareMatrix {
  readonly size: number;
  readonly values: Float64Array;
}

/** Feature vectors: `count` rows of `dim` values, row-major. */
export interface FeatureRows {
  readonly count: number;
  readonly dim: number;
  readonly values: Float32Array | Float64Array;
}

export interface GaussianStats {
  readonly count: number;
  readonly mean: Float64Array;
  /** Unbiased (n − 1) covariance. */
  readonly cov: SquareMatrix;
}

export function gaussianStats(rows: FeatureRows): GaussianStats {
  const { count: n, dim: d, values } = rows;
  if (n < 2) throw new Error('feature statistics need at least 2 samples');
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) mean[k] += values[i * d + k];
  for (let k = 0; k < d; k++) mean[k] /= n;
  const cov = new Float64Array(d * d);
  const centred = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) centred[k] = values[i * d + k] - mean[k];
    for (let a = 0; a < d; a++) {
      const ca = centred[a];
      if (ca === 0) continue;
      const row = a * d;
      for (let b = a; b < d; b++) cov[row + b] += ca * centred[b];
    }
  }
  for (let a = 0; a < d; a++)
    for (let b = a; b < d; b++) {
      const v = cov[a * d + b] / (n - 1);
      cov[a * d + b] = v;
      cov[b * d + a] = v;
    }
  return { count: n, mean, cov: { size: d, values: cov } };
}

export interface SymmetricEigen {
  readonly values: Float64Array;
  /** Column j is the eigenvector of values[j]. */
  readonly vectors: SquareMatrix;
}

/** Eigenvalues and orthonormal eigenvectors of a symmetric matrix (only its symmetry is assumed). */
export function symmetricEigen(m: SquareMatrix, maxSweeps = 64): SymmetricEigen {
  const n = m.size;
  const a = Float64Array.from(m.values);
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const s = (a[i * n + j] + a[j * n + i]) / 2;
      a[i * n + j] = s;
      a[j * n + i] = s;
    }
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale += a[i] * a[i];
  const tolerance = 1e-30 * Math.max(scale, Number.MIN_VALUE);
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] ** 2;
    if (off <= tolerance) break;
    for (let p = 0; p < n - 1; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const app = a[p * n + p];
        const aqq = a[q * n + q];
        // Rotation angle as in Numerical Recipes (jacobi): t = tan θ, the smaller root.
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = a[i * n + i];
  return { values, vectors: { size: n, values: v } };
}

/** V f(Λ) Vᵀ for a symmetric matrix. */
function spectralMap(m: SquareMatrix, f: (eigenvalue: number) => number): SquareMatrix {
  const n = m.size;
  const { values, vectors } = symmetricEigen(m);
  const v = vectors.values;
  const mapped = values.map(f);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += v[i * n + k] * mapped[k] * v[j * n + k];
      out[i * n + j] = sum;
      out[j * n + i] = sum;
    }
  return { size: n, values: out };
}

/** The principal square root of a symmetric positive semi-definite matrix; eigenvalues below
 *  zero (rounding in a rank-deficient covariance) count as zero. */
export function sqrtPsd(m: SquareMatrix): SquareMatrix {
  return spectralMap(m, (x) => Math.sqrt(Math.max(x, 0)));
}

export function multiply(a: SquareMatrix, b: SquareMatrix): SquareMatrix {
  const n = a.size;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++) {
      const aik = a.values[i * n + k];
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] += aik * b.values[k * n + j];
    }
  return { size: n, values: out };
}

export function trace(m: SquareMatrix): number {
  let sum = 0;
  for (let i = 0; i < m.size; i++) sum += m.values[i * m.size + i];
  return sum;
}

/** tr √(√A B √A) = tr √(AB) for symmetric PSD A, B, through symmetric eigendecompositions only
 *  (as TF-GAN computes it): √A B √A is symmetric PSD, so no general (complex) sqrtm is needed. */
export function traceSqrtProduct(a: SquareMatrix, b: SquareMatrix): number {
  const root = sqrtPsd(a);
  const inner = multiply(multiply(root, b), root);
  const { values } = symmetricEigen(inner);
  let sum = 0;
  for (const x of values) sum += Math.sqrt(Math.max(x, 0));
  return sum;
}
