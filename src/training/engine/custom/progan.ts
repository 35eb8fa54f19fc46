// Progressive GAN layers (Karras et al. 2018): pixelwise feature normalisation, the minibatch
// standard-deviation channel, and the fade-in blend whose α is a non-trainable weight, so a
// checkpoint (and the sampler that loads it) holds the growth state with the networks.
import * as tf from '@tensorflow/tfjs';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import { single, singleShape, type ConfigDict, type LayerVariable, type Shape } from './common';

export class PixelNorm extends tf.layers.Layer {
  static readonly className = 'GanStudioPixelNorm';
  private readonly epsilon: number;

  constructor(args: LayerArgs & { epsilon: number }) {
    super(args);
    this.epsilon = args.epsilon;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      return x.mul(tf.rsqrt(x.square().mean(-1, true).add(this.epsilon)));
    });
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }
}

/** One more channel: the mean over features of the standard deviation over each group of images. */
export class MinibatchStd extends tf.layers.Layer {
  static readonly className = 'GanStudioMinibatchStd';
  private readonly group: number;

  constructor(args: LayerArgs & { group: number }) {
    super(args);
    this.group = args.group;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs) as tf.Tensor4D;
      const [n, h, w, c] = x.shape;
      const g = n % this.group === 0 ? Math.min(this.group, n) : n;
      const grouped = x.reshape([g, n / g, h, w, c]);
      const centred = grouped.sub(grouped.mean(0, true));
      const std = centred.square().mean(0).add(1e-8).sqrt(); // [n/g, h, w, c]
      const perGroup = std.mean([1, 2, 3]).reshape([n / g, 1, 1, 1]); // [n/g, 1, 1, 1]
      // Image i belongs to group i mod (n/g), as in the paper's reshape.
      const channel = tf.tile(perGroup, [g, h, w, 1]);
      return tf.concat([x, channel], 3);
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [n, h, w, c] = singleShape(inputShape);
    return [n, h, w, c === null ? null : c + 1];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), group: this.group };
  }
}

/** [old, new] → old + α·(new − old), α a non-trainable weight the trainer sets every step. */
export class FadeIn extends tf.layers.Layer {
  static readonly className = 'GanStudioFadeIn';
  private alphaWeight: LayerVariable | null = null;

  override build(): void {
    this.alphaWeight = this.addWeight('alpha', [], 'float32', tf.initializers.zeros(), undefined, false);
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      if (!Array.isArray(inputs) || !this.alphaWeight) throw new Error('FadeIn takes [old, new]');
      const [old, fresh] = inputs;
      return old.add(fresh.sub(old).mul(this.alphaWeight.read()));
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return singleShape(inputShape);
  }

  setAlpha(alpha: number): void {
    if (!this.alphaWeight) throw new Error('FadeIn is not built');
    this.alphaWeight.write(tf.scalar(alpha));
  }
}

tf.serialization.registerClass(PixelNorm);
tf.serialization.registerClass(MinibatchStd);
tf.serialization.registerClass(FadeIn);
