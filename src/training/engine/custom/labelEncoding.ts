// Fixed (untrained) encodings of an int32 class label for conditional networks: a one-hot vector
// joined to z, and one constant H×W plane per class joined to the image. Registered for
// serialisation so checkpoints load them back.
import * as tf from '@tensorflow/tfjs';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import { single, singleShape, type ConfigDict, type Shape } from './common';

function oneHot(inputs: tf.Tensor | tf.Tensor[], classes: number): tf.Tensor2D {
  return tf.oneHot(single(inputs).reshape([-1]).toInt(), classes).toFloat() as tf.Tensor2D;
}

export interface OneHotLabelArgs extends LayerArgs {
  classes: number;
}

/** label [batch, 1] -> one-hot [batch, classes]. */
export class OneHotLabel extends tf.layers.Layer {
  static readonly className = 'GanStudioOneHotLabel';
  private readonly classes: number;

  constructor(args: OneHotLabelArgs) {
    super(args);
    this.classes = args.classes;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => oneHot(inputs, this.classes));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [singleShape(inputShape)[0], this.classes];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), classes: this.classes };
  }
}

export interface LabelPlanesArgs extends LayerArgs {
  classes: number;
  height: number;
  width: number;
}

/** label [batch, 1] -> [batch, H, W, classes]: the label's plane all ones, the others zero. */
export class LabelPlanes extends tf.layers.Layer {
  static readonly className = 'GanStudioLabelPlanes';
  private readonly classes: number;
  private readonly height: number;
  private readonly width: number;

  constructor(args: LabelPlanesArgs) {
    super(args);
    this.classes = args.classes;
    this.height = args.height;
    this.width = args.width;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() =>
      tf.tile(oneHot(inputs, this.classes).reshape([-1, 1, 1, this.classes]), [
        1,
        this.height,
        this.width,
        1,
      ]),
    );
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [singleShape(inputShape)[0], this.height, this.width, this.classes];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), classes: this.classes, height: this.height, width: this.width };
  }
}

tf.serialization.registerClass(OneHotLabel);
tf.serialization.registerClass(LabelPlanes);
