// Instance normalisation (Ulyanov et al. 2016), which tfjs lacks; registered for serialisation.
import * as tf from '@tensorflow/tfjs';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import { single, singleShape, type ConfigDict, type LayerVariable, type Shape } from './common';

export interface InstanceNormArgs extends LayerArgs {
  epsilon: number;
}

/** Normalises each channel of each image over its spatial positions, then a learned scale and shift. */
export class InstanceNorm extends tf.layers.Layer {
  static readonly className = 'GanStudioInstanceNorm';
  private readonly epsilon: number;
  private gamma: LayerVariable | null = null;
  private beta: LayerVariable | null = null;

  constructor(args: InstanceNormArgs) {
    super(args);
    this.epsilon = args.epsilon;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = singleShape(inputShape);
    const channels = shape[shape.length - 1] ?? 1;
    this.gamma = this.addWeight('gamma', [channels], 'float32', tf.initializers.ones());
    this.beta = this.addWeight('beta', [channels], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      const axes = x.shape.slice(1, -1).map((_, i) => i + 1);
      const { mean, variance } = tf.moments(x, axes.length ? axes : [1], true);
      const normed = x.sub(mean).mul(tf.rsqrt(variance.add(this.epsilon)));
      if (!this.gamma || !this.beta) throw new Error('InstanceNorm used before build');
      return normed.mul(this.gamma.read()).add(this.beta.read());
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return singleShape(inputShape);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }
}

tf.serialization.registerClass(InstanceNorm);
