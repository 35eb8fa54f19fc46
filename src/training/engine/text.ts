// The text side of a text-conditioned model: a tokenizer, a vocabulary built from the training
// captions (saved with every checkpoint), and captions as bags of words. The encoder is a dense
// layer without bias on the normalised bag of words: exactly the average of the caption's
// learned word embeddings (unknown words share index 0).
import * as tf from '@tensorflow/tfjs';

export const VOCABULARY_FILE = 'vocabulary.json';

/** Lower-cased words of a caption: runs of letters and digits (any script). */
export function tokenize(caption: string): string[] {
  return caption.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The `max` most frequent words of the captions (ties in code-point order). */
export function buildVocabulary(captions: readonly string[], max: number): string[] {
  const counts = new Map<string, number>();
  for (const caption of captions) for (const w of tokenize(caption)) counts.set(w, (counts.get(w) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, max)
    .map(([w]) => w);
}

export class Vocabulary {
  private readonly index: ReadonlyMap<string, number>;

  /** `width`: the encoder's input size (the declared vocabulary + 1 for unknown words). */
  constructor(
    readonly words: readonly string[],
    readonly width: number,
  ) {
    if (words.length >= width)
      throw new Error(`a vocabulary of ${words.length} words needs width > ${words.length}`);
    this.index = new Map(words.map((w, i) => [w, i + 1]));
  }

  /** Captions as normalised bags of words, [n, width]; an empty caption is all zeros. */
  bags(captions: readonly string[]): tf.Tensor2D {
    const out = new Float32Array(captions.length * this.width);
    captions.forEach((caption, i) => {
      const tokens = tokenize(caption);
      for (const t of tokens) out[i * this.width + (this.index.get(t) ?? 0)] += 1 / tokens.length;
    });
    return tf.tensor2d(out, [captions.length, this.width]);
  }

  /** The words of a prompt the vocabulary does not know. */
  unknown(caption: string): string[] {
    return tokenize(caption).filter((t) => !this.index.has(t));
  }
}
