// A learned vector per class (the cgan label embedding); registered for serialisation.
import * as tf from '@tensorflow/tfjs';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import { single, singleShape, type ConfigDict, type LayerVariable, type Shape } from './common';

export interface ClassEmbeddingArgs extends LayerArgs {
  classes: number;
  size: number;
  seed: number;
  /** Standard deviation of the initial table (1 when absent, as checkpoints before it was an option). */
  stddev?: number;
}

/**
 * Looked up as one-hot × table: the same values and gradients as tf.layers.embedding, but built on
 * MatMul, which every backend can differentiate (the wasm backend has no UnsortedSegmentSum, the
 * gradient of a gather).
 */
export class ClassEmbedding extends tf.layers.Layer {
  static readonly className = 'GanStudioClassEmbedding';
  private readonly classes: number;
  private readonly size: number;
  private readonly seed: number;
  private readonly stddev: number;
  private table: LayerVariable | null = null;

  constructor(args: ClassEmbeddingArgs) {
    super(args);
    this.classes = args.classes;
    this.size = args.size;
    this.seed = args.seed;
    this.stddev = args.stddev ?? 1;
  }

  override build(): void {
    const init = tf.initializers.randomNormal({ mean: 0, stddev: this.stddev, seed: this.seed });
    this.table = this.addWeight('embeddings', [this.classes, this.size], 'float32', init);
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      if (!this.table) throw new Error('ClassEmbedding used before build');
      const labels = single(inputs).reshape([-1]).toInt();
      return tf.matMul(tf.oneHot(labels, this.classes).toFloat(), this.table.read() as tf.Tensor2D);
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [singleShape(inputShape)[0], this.size];
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      classes: this.classes,
      size: this.size,
      seed: this.seed,
      stddev: this.stddev,
    };
  }
}

tf.serialization.registerClass(ClassEmbedding);
