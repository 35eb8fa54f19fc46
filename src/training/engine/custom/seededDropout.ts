// Dropout whose masks come from the trainer's seeded stream; registered for serialisation.
import * as tf from '@tensorflow/tfjs';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';
import { single, singleShape, type ConfigDict, type Shape } from './common';

export interface SeededDropoutArgs extends LayerArgs {
  rate: number;
}

let fallbackDropoutSeed = 1;

/** Dropout whose mask seed is drawn from `seedSource` on every training call (the trainer's stream). */
export class SeededDropout extends tf.layers.Layer {
  static readonly className = 'GanStudioSeededDropout';
  private readonly rate: number;
  seedSource: () => number = () => fallbackDropoutSeed++;

  constructor(args: SeededDropoutArgs) {
    super(args);
    this.rate = args.rate;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = single(inputs);
    if (kwargs['training'] !== true || this.rate === 0) return x.clone();
    const seed = this.seedSource();
    return tf.tidy(() => tf.dropout(x, this.rate, undefined, seed));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return singleShape(inputShape);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), rate: this.rate };
  }
}

tf.serialization.registerClass(SeededDropout);
