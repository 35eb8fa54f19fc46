// Within-class diversity: how different a conditional model's samples of one class are from each
// other, against the same measure on real images of that class. A generator that ignores z draws
// one image per class and scores near 0; real data scores 1 by construction.

/** Mean Euclidean distance between all pairs of `n` vectors of length `size` (pixel space). */
export function meanPairwiseDistance(values: Float32Array, n: number, size: number): number {
  if (n < 2) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      let d = 0;
      for (let k = 0; k < size; k++) {
        const diff = values[i * size + k] - values[j * size + k];
        d += diff * diff;
      }
      sum += Math.sqrt(d);
    }
  return sum / ((n * (n - 1)) / 2);
}

/** The first `max` images of each class, packed per class. */
function byClass(
  images: Float32Array,
  labels: ArrayLike<number>,
  size: number,
  max: number,
): Map<number, { values: Float32Array; count: number }> {
  const out = new Map<number, { values: Float32Array; count: number }>();
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    const group = out.get(c) ?? { values: new Float32Array(max * size), count: 0 };
    if (group.count >= max) continue;
    group.values.set(images.subarray(i * size, (i + 1) * size), group.count * size);
    group.count++;
    out.set(c, group);
  }
  return out;
}

export interface LabelledImages {
  readonly images: Float32Array;
  readonly labels: ArrayLike<number>;
}

/**
 * Mean over classes of (pairwise distance among generated images of the class) / (the same among
 * real images of the class), on up to `maxPerClass` images each; classes missing on either side
 * are left out. NaN when no class can be compared.
 */
export function withinClassDiversity(
  generated: LabelledImages,
  real: LabelledImages,
  pixels: number,
  maxPerClass = 100,
): number {
  const fake = byClass(generated.images, generated.labels, pixels, maxPerClass);
  const truth = byClass(real.images, real.labels, pixels, maxPerClass);
  const ratios: number[] = [];
  for (const [c, g] of fake) {
    const r = truth.get(c);
    if (!r || g.count < 2 || r.count < 2) continue;
    const realSpread = meanPairwiseDistance(r.values, r.count, pixels);
    if (realSpread > 0) ratios.push(meanPairwiseDistance(g.values, g.count, pixels) / realSpread);
  }
  return ratios.length ? ratios.reduce((a, b) => a + b, 0) / ratios.length : Number.NaN;
}
