// The feature network's architecture: a small strided CNN whose penultimate dense layer
// (`features`) gives the embedding FID, KID and precision/recall compare, and whose softmax
// head gives the class statistics. Small on purpose: it ships inside the extension and must
// embed 10,000 images in seconds on a CPU.
import * as tf from '@tensorflow/tfjs';

export const FEATURE_LAYER = 'features';
export const FEATURE_SIZE = 64;

export function buildClassifier(
  shape: readonly [number, number, number],
  classes: number,
  seed: number,
): tf.Sequential {
  let next = seed;
  const init = () => tf.initializers.heNormal({ seed: next++ });
  const conv = (filters: number, inputShape?: number[]): tf.layers.Layer =>
    tf.layers.conv2d({
      filters,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: init(),
      ...(inputShape ? { inputShape } : {}),
    });
  return tf.sequential({
    name: 'classifier',
    layers: [
      conv(32, [...shape]),
      conv(64),
      conv(64),
      tf.layers.flatten(),
      tf.layers.dense({
        units: FEATURE_SIZE,
        activation: 'relu',
        name: FEATURE_LAYER,
        kernelInitializer: init(),
      }),
      tf.layers.dense({
        units: classes,
        activation: 'softmax',
        name: 'classes',
        kernelInitializer: tf.initializers.glorotUniform({ seed: next++ }),
      }),
    ],
  });
}

/** One model with two outputs: [features, class probabilities]. */
export function featureModel(classifier: tf.LayersModel): tf.LayersModel {
  const features = classifier.getLayer(FEATURE_LAYER).output as tf.SymbolicTensor;
  return tf.model({
    inputs: classifier.inputs,
    outputs: [features, classifier.outputs[0]],
  });
}
