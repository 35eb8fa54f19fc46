// Shared by the custom layers: tfjs's layer types and single-input helpers.
import * as tf from '@tensorflow/tfjs';

export type LayerVariable = tf.LayerVariable;
export type Shape = (number | null)[];
export type ConfigDict = tf.serialization.ConfigDict;

export function single(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? inputs[0] : inputs;
}

export function singleShape(shape: Shape | Shape[]): Shape {
  return Array.isArray(shape[0]) ? (shape[0] as Shape) : (shape as Shape);
}

/** Passes values forward and no gradient backward (tfjs has no stopGradient op). */
export const stopGradient: (x: tf.Tensor) => tf.Tensor = tf.customGrad((...inputs) => {
  const t = inputs[0] as tf.Tensor;
  return { value: t.clone(), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
});
