// What the classifier says about a set of images: how often each class is predicted, the
// entropy of that histogram (against the data's, whose classes are balanced or nearly), an
// Inception-Score analogue exp(E KL(p(y|x) ‖ p(y))), and agreement with requested labels.

/** Class probabilities: `count` rows of `classes` values, row-major. */
export interface ClassProbabilities {
  readonly count: number;
  readonly classes: number;
  readonly values: Float32Array | Float64Array;
}

export function argmaxRows(p: ClassProbabilities): Int32Array {
  const out = new Int32Array(p.count);
  for (let i = 0; i < p.count; i++) {
    let best = 0;
    for (let c = 1; c < p.classes; c++)
      if (p.values[i * p.classes + c] > p.values[i * p.classes + best]) best = c;
    out[i] = best;
  }
  return out;
}

/** Fraction of the images whose most likely class is each class. */
export function classHistogram(p: ClassProbabilities): number[] {
  const counts = new Array<number>(p.classes).fill(0);
  for (const c of argmaxRows(p)) counts[c]++;
  return counts.map((n) => n / Math.max(1, p.count));
}

/** Shannon entropy in nats (0 for one class, ln C for a uniform histogram). */
export function entropy(distribution: readonly number[]): number {
  let h = 0;
  for (const q of distribution) if (q > 0) h -= q * Math.log(q);
  return h;
}

/** exp(mean over images of KL(p(y|x) ‖ p(y))): 1 when nothing is recognised or everything is one
 *  class, up to the number of classes when each image is confidently one class and all are equally common. */
export function inceptionScore(p: ClassProbabilities): number {
  const marginal = new Float64Array(p.classes);
  for (let i = 0; i < p.count; i++)
    for (let c = 0; c < p.classes; c++) marginal[c] += p.values[i * p.classes + c];
  for (let c = 0; c < p.classes; c++) marginal[c] /= p.count;
  let kl = 0;
  const eps = 1e-12;
  for (let i = 0; i < p.count; i++)
    for (let c = 0; c < p.classes; c++) {
      const q = p.values[i * p.classes + c];
      if (q > 0) kl += q * (Math.log(q + eps) - Math.log(marginal[c] + eps));
    }
  return Math.exp(kl / p.count);
}

/** Fraction of images the classifier puts in the class they were generated (or labelled) as. */
/** The conditional accuracy the same images would score handed to the requests at random:
 *  Σ_c P(requested c) · P(classified c). What a generator that ignores its condition, yet draws
 *  these classes, scores; `labelAccuracy` above it means the condition is followed. */
export function chanceAccuracy(p: ClassProbabilities, labels: ArrayLike<number>): number {
  const drawn = classHistogram(p);
  const requested = new Array<number>(p.classes).fill(0);
  for (let i = 0; i < p.count; i++) requested[labels[i]] += 1 / Math.max(1, p.count);
  return requested.reduce((sum, share, c) => sum + share * drawn[c], 0);
}

export function labelAccuracy(p: ClassProbabilities, labels: ArrayLike<number>): number {
  const predicted = argmaxRows(p);
  let correct = 0;
  for (let i = 0; i < p.count; i++) if (predicted[i] === labels[i]) correct++;
  return correct / Math.max(1, p.count);
}
