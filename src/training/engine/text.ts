// The text side of a text-conditioned model: a tokenizer, a vocabulary built from the training
// captions (saved with every checkpoint), and captions as bags of words. The encoder is a dense
// layer without bias on the normalised bag of words: exactly the average of the caption's
// learned word embeddings (unknown words share index 0).
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from '../contract';

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

/** Each text-conditioned network's vocabulary, for evaluation, which sees the networks only. */
const VOCABULARIES = new WeakMap<tf.LayersModel, Vocabulary>();

/** The vocabulary a network was trained with, or undefined (not a text network, or no checkpoint yet). */
export function vocabularyOf(network: tf.LayersModel): Vocabulary | undefined {
  return VOCABULARIES.get(network);
}

/**
 * A text-conditioned family's vocabulary: built from the training captions when the data is open,
 * else read from a checkpoint (sampling opens no data); saved with every checkpoint, so a resumed
 * run and sampling use the same words. `who` names the model in errors ("a stackgan").
 */
export class CaptionVocabulary {
  private vocabulary: Vocabulary | null = null;
  private networks: readonly tf.LayersModel[] = [];

  constructor(
    private readonly source: Pick<DataSource, 'spec' | 'captions'> | undefined,
    private readonly size: number,
    private readonly who: string,
  ) {
    const captions = source?.captions;
    if (captions) this.vocabulary = this.built(captions);
  }

  private built(captions: readonly string[]): Vocabulary {
    const missing = captions.filter((c) => !c.trim()).length;
    if (missing)
      throw new Error(
        `${this.source?.spec.source ?? 'the'} data: ${missing} of ${captions.length} training images have no caption; ${this.who} needs one for each (folder: image.txt beside image.png, or a captions.txt line \`image.png: caption\`)`,
      );
    return this.use(new Vocabulary(buildVocabulary(captions, this.size), this.size + 1));
  }

  private use(vocabulary: Vocabulary): Vocabulary {
    this.vocabulary = vocabulary;
    for (const network of this.networks) VOCABULARIES.set(network, vocabulary);
    return vocabulary;
  }

  /** The networks that read captions through this vocabulary: vocabularyOf finds it from each,
   *  now and after every checkpoint load. */
  serve(...networks: tf.LayersModel[]): void {
    this.networks = networks;
    if (this.vocabulary) this.use(this.vocabulary);
  }

  get(): Vocabulary {
    if (this.vocabulary) return this.vocabulary;
    const captions = this.source?.captions;
    if (captions === null)
      throw new Error(
        `${this.source?.spec.source ?? 'this'} data has no captions: ${this.who} needs emoji data or a folder with caption files (image.txt or captions.txt)`,
      );
    if (!captions) throw new Error('the text encoder has no vocabulary yet: load a checkpoint first');
    return this.built(captions);
  }

  /** The vocabulary travels with each checkpoint (checkpoint.ts calls these). */
  readonly state = {
    save: (dir: string): void => {
      writeFileSync(join(dir, VOCABULARY_FILE), JSON.stringify({ words: this.get().words }));
    },
    load: (dir: string): void => {
      const file = join(dir, VOCABULARY_FILE);
      if (!existsSync(file)) throw new Error(`checkpoint ${dir} has no ${VOCABULARY_FILE}`);
      const { words } = JSON.parse(readFileSync(file, 'utf8')) as { words?: unknown };
      if (!Array.isArray(words) || !words.every((w) => typeof w === 'string'))
        throw new Error(`${file}: expected {"words": [strings]}`);
      this.use(new Vocabulary(words as string[], this.size + 1));
    },
  };
}
