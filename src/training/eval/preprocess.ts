// Brings generated or real images to a feature network's input: pixels mapped from the data's
// scale onto [0, 1], resized (bilinear) and converted between grayscale and RGB.
import * as tf from '@tensorflow/tfjs';

export type ImageShape = readonly [number, number, number];

const LUMA = [0.299, 0.587, 0.114];

/** A tensor op: call inside tf.tidy. */
export function toClassifierInput(
  images: tf.Tensor4D,
  scale: readonly [number, number],
  target: ImageShape,
): tf.Tensor4D {
  const [lo, hi] = scale;
  let x = lo === 0 && hi === 1 ? images : images.sub(lo).div(hi - lo);
  x = x.clipByValue(0, 1);
  const [, h, w, c] = images.shape;
  if (h !== target[0] || w !== target[1])
    x = tf.image.resizeBilinear(x as tf.Tensor4D, [target[0], target[1]], true);
  if (c !== target[2]) {
    if (target[2] === 3) x = tf.tile(x, [1, 1, 1, 3]);
    else x = x.mul(tf.tensor1d(LUMA)).sum(-1, true);
  }
  return x as tf.Tensor4D;
}
