// Sub-pixel upsampling (Shi et al. 2016), which tfjs offers only as tf.depthToSpace: that op has no
// gradient in tfjs-core, so the layer is the same rearrangement as reshapes and one transpose,
// whose gradients every backend has. Channel order is depthToSpace's (DCR): input channel
// (i·factor + j)·C + c lands at row offset i, column offset j, output channel c.
import * as tf from '@tensorflow/tfjs';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import { single, singleShape, type ConfigDict, type Shape } from './common';

export interface PixelShuffleArgs extends LayerArgs {
  factor: number;
}

export function pixelShuffle(x: tf.Tensor4D, factor: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const out = c / (factor * factor);
  return tf.tidy(() =>
    x
      .reshape([n * h, w, factor, factor * out])
      .transpose([0, 2, 1, 3])
      .reshape([n, h * factor, w * factor, out]),
  );
}

export class PixelShuffle extends tf.layers.Layer {
  static readonly className = 'GanStudioPixelShuffle';
  private readonly factor: number;

  constructor(args: PixelShuffleArgs) {
    super(args);
    this.factor = args.factor;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return pixelShuffle(single(inputs) as tf.Tensor4D, this.factor);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [n, h, w, c] = singleShape(inputShape);
    const f = this.factor;
    return [n, h === null ? null : h * f, w === null ? null : w * f, c === null ? null : c / (f * f)];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), factor: this.factor };
  }
}

tf.serialization.registerClass(PixelShuffle);
