// The metrics as pure functions of feature rows, against analytic values and known behaviours.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mulberry32 } from '../../../src/training/data/prng';
import {
  classHistogram,
  entropy,
  inceptionScore,
  chanceAccuracy,
  labelAccuracy,
} from '../../../src/training/eval/classStats';
import { frechetDistance } from '../../../src/training/eval/fid';
import { kernelDistance } from '../../../src/training/eval/kid';
import {
  gaussianStats,
  multiply,
  sqrtPsd,
  symmetricEigen,
  traceSqrtProduct,
  type FeatureRows,
  type SquareMatrix,
} from '../../../src/training/eval/linalg';
import { manifoldMetrics } from '../../../src/training/eval/manifold';

function normal(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** n rows of `dim` values: N(mean, diag(scale²)) plus the optional per-row offset. */
function gaussianRows(
  n: number,
  dim: number,
  seed: number,
  opts: { mean?: number; scale?: number; offset?: (i: number, k: number) => number } = {},
): FeatureRows {
  const random = mulberry32(seed);
  const values = new Float32Array(n * dim);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < dim; k++)
      values[i * dim + k] =
        (opts.mean ?? 0) + (opts.scale ?? 1) * normal(random) + (opts.offset?.(i, k) ?? 0);
  return { count: n, dim, values };
}

function matrix(rows: number[][]): SquareMatrix {
  return { size: rows.length, values: Float64Array.from(rows.flat()) };
}

function randomSpd(n: number, seed: number): SquareMatrix {
  const random = mulberry32(seed);
  const a = matrix(Array.from({ length: n }, () => Array.from({ length: n }, () => normal(random))));
  const at = matrix(
    Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => a.values[j * n + i])),
  );
  const m = multiply(a, at);
  for (let i = 0; i < n; i++) m.values[i * n + i] += 0.1;
  return m;
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++)
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= tolerance,
      `index ${i}: ${actual[i]} vs ${expected[i]} (tolerance ${tolerance})`,
    );
}

describe('symmetric eigendecomposition and square roots', () => {
  it('finds the eigenvalues of [[2, 1], [1, 2]] and its analytic square root', () => {
    const m = matrix([
      [2, 1],
      [1, 2],
    ]);
    const eigen = symmetricEigen(m);
    assertClose([...eigen.values].sort(), [1, 3], 1e-14);
    const r3 = Math.sqrt(3);
    assertClose(sqrtPsd(m).values, [(r3 + 1) / 2, (r3 - 1) / 2, (r3 - 1) / 2, (r3 + 1) / 2], 1e-14);
  });

  it('the root of diag(4, 9, 0) is diag(2, 3, 0), and a slightly negative eigenvalue counts as 0', () => {
    assertClose(
      sqrtPsd(
        matrix([
          [4, 0, 0],
          [0, 9, 0],
          [0, 0, -1e-17],
        ]),
      ).values,
      [2, 0, 0, 0, 3, 0, 0, 0, 0],
      1e-15,
    );
  });

  it('squares back to a random 40x40 SPD matrix to 1e-10 relative', () => {
    const m = randomSpd(40, 3);
    const root = sqrtPsd(m);
    const back = multiply(root, root);
    const scale = Math.max(...m.values.map(Math.abs));
    assertClose(back.values, m.values, 1e-10 * scale);
  });

  it('tr √(AB) of commuting diagonal matrices is Σ √(aᵢbᵢ), and of A with itself tr A', () => {
    const a = matrix([
      [1, 0, 0],
      [0, 4, 0],
      [0, 0, 9],
    ]);
    const b = matrix([
      [16, 0, 0],
      [0, 1, 0],
      [0, 0, 4],
    ]);
    assert.ok(Math.abs(traceSqrtProduct(a, b) - (4 + 2 + 6)) < 1e-12);
    const m = randomSpd(30, 8);
    let tr = 0;
    for (let i = 0; i < 30; i++) tr += m.values[i * 30 + i];
    assert.ok(Math.abs(traceSqrtProduct(m, m) - tr) < 1e-9 * tr);
  });
});

describe('Fréchet distance', () => {
  it('matches ‖μ₁ − μ₂‖² + Σ (σ₁ − σ₂)² for diagonal Gaussians', () => {
    const d = 4;
    const stats = (mean: number[], variances: number[]) => ({
      count: 100,
      mean: Float64Array.from(mean),
      cov: matrix(variances.map((v, i) => variances.map((_, j) => (i === j ? v : 0)))),
    });
    const a = stats([0, 0, 0, 0], [1, 1, 4, 9]);
    const b = stats([1, 2, 0, 0], [4, 1, 1, 9]);
    const expected = 1 + 4 + (1 - 2) ** 2 + 0 + (2 - 1) ** 2 + 0;
    assert.ok(Math.abs(frechetDistance(a, b) - expected) < 1e-12);
    assert.equal(d, a.mean.length);
  });

  it('is ~0 for two large samples of one Gaussian and grows with the mean shift', () => {
    const a = gaussianStats(gaussianRows(20000, 8, 1));
    const b = gaussianStats(gaussianRows(20000, 8, 2));
    const c = gaussianStats(gaussianRows(20000, 8, 3, { mean: 1 }));
    assert.ok(frechetDistance(a, b) < 0.02, `same distribution: ${frechetDistance(a, b)}`);
    assert.ok(Math.abs(frechetDistance(a, c) - 8) < 0.3, `shift 1 in 8 dims: ${frechetDistance(a, c)}`);
  });
});

describe('KID', () => {
  it('is ≈ 0 for two samples of one distribution and clearly positive for different ones', () => {
    const a = gaussianRows(2000, 16, 11);
    const b = gaussianRows(2000, 16, 12);
    const c = gaussianRows(2000, 16, 13, { scale: 1.5 });
    const same = kernelDistance(a, b, { subsets: 10, subsetSize: 500 });
    const different = kernelDistance(a, c, { subsets: 10, subsetSize: 500 });
    assert.ok(Math.abs(same.mean) < 3 * same.std + 1e-3, `same: ${same.mean} ± ${same.std}`);
    assert.ok(different.mean > 10 * Math.max(same.std, Math.abs(same.mean)), `different: ${different.mean}`);
    assert.ok(different.mean - 3 * different.std > 0);
  });
});

describe('precision, recall, density, coverage', () => {
  // Ten well-separated clusters, one per "class".
  const clusters = (n: number, seed: number, keep: (cls: number) => boolean): FeatureRows => {
    const random = mulberry32(seed);
    const dim = 8;
    const values: number[] = [];
    let count = 0;
    while (count < n) {
      const cls = Math.floor(random() * 10);
      if (!keep(cls)) continue;
      for (let k = 0; k < dim; k++)
        values.push(
          (k === cls % dim ? 20 * (1 + Math.floor(cls / dim)) : 0) +
            (cls >= dim && k === 0 ? 20 : 0) +
            normal(random),
        );
      count++;
    }
    return { count, dim, values: Float32Array.from(values) };
  };

  // k = 3 balls around 150 points per 8-dimensional cluster miss some of a second sample
  // (precision ≈ 0.85 here), so the assertions compare against that same-data baseline.
  const real = clusters(1500, 1, () => true);
  const same = manifoldMetrics(
    real,
    clusters(1500, 2, () => true),
  );

  it('are high for a second sample of the same data', () => {
    for (const [name, value] of Object.entries(same))
      if (name !== 'samples') assert.ok(value > 0.8, `${name} ${value}`);
    assert.ok(same.density < 1.2, `density ${same.density}`);
  });

  it('halve recall and coverage and keep precision high when half the classes are dropped', () => {
    const half = manifoldMetrics(
      real,
      clusters(1500, 3, (cls) => cls < 5),
    );
    assert.ok(half.precision > 0.95 * same.precision, `precision ${half.precision} vs ${same.precision}`);
    assert.ok(Math.abs(half.recall / same.recall - 0.5) < 0.08, `recall ${half.recall} vs ${same.recall}`);
    assert.ok(
      Math.abs(half.coverage / same.coverage - 0.5) < 0.08,
      `coverage ${half.coverage} vs ${same.coverage}`,
    );
  });

  it('give precision ≈ 0 for samples far off the data', () => {
    const real = clusters(500, 1, () => true);
    const fake = gaussianRows(500, 8, 4, { mean: -50 });
    const m = manifoldMetrics(real, fake);
    assert.equal(m.precision, 0);
    assert.equal(m.coverage, 0);
  });
});

describe('class statistics', () => {
  const probs = (rows: number[][]) => ({
    count: rows.length,
    classes: rows[0].length,
    values: Float64Array.from(rows.flat()),
  });

  it('histogram, entropy, IS analogue and label accuracy', () => {
    const confident = probs([
      [1, 0],
      [0, 1],
      [1, 0],
      [0, 1],
    ]);
    assert.deepEqual(classHistogram(confident), [0.5, 0.5]);
    assert.ok(Math.abs(entropy(classHistogram(confident)) - Math.log(2)) < 1e-12);
    assert.ok(Math.abs(inceptionScore(confident) - 2) < 1e-9);
    const collapsed = probs([
      [1, 0],
      [1, 0],
    ]);
    assert.equal(entropy(classHistogram(collapsed)), 0);
    assert.ok(Math.abs(inceptionScore(collapsed) - 1) < 1e-9);
    const unsure = probs([
      [0.5, 0.5],
      [0.5, 0.5],
    ]);
    assert.ok(Math.abs(inceptionScore(unsure) - 1) < 1e-9);
    assert.equal(labelAccuracy(confident, [0, 1, 1, 1]), 0.75);
  });

  it('chance accuracy: the same images handed to the requests at random', () => {
    // Three images drawn as class 0, one as class 2; requests 0, 0, 1, 2.
    const drawn = probs([
      [0.9, 0.05, 0.05],
      [0.8, 0.1, 0.1],
      [0.7, 0.2, 0.1],
      [0.1, 0.1, 0.8],
    ]);
    // P(requested) = [1/2, 1/4, 1/4], P(drawn) = [3/4, 0, 1/4]: 3/8 + 0 + 1/16.
    assert.ok(Math.abs(chanceAccuracy(drawn, [0, 0, 1, 2]) - (3 / 8 + 1 / 16)) < 1e-12);
    assert.equal(labelAccuracy(drawn, [0, 0, 1, 2]), 0.75);
    // A generator that ignores its condition and draws one class scores that class's request share.
    const one = probs([
      [1, 0, 0],
      [1, 0, 0],
      [1, 0, 0],
      [1, 0, 0],
    ]);
    assert.equal(chanceAccuracy(one, [0, 1, 2, 2]), 0.25);
    assert.equal(labelAccuracy(one, [0, 1, 2, 2]), 0.25);
  });
});
