// How well a cyclegan translates, measured on held-out images of both domains: how often a
// translation is judged to belong to the domain it was translated into (shapes by kind, emoji by
// artwork style, with the shipped classifiers), and how close the round trip a→b→a (b→a→b)
// comes back to its input (PSNR in dB).
import * as tf from '@tensorflow/tfjs';
import type { ResolvedData } from '../../language/model';
import type { DataBatch } from '../contract';
import { predictValues } from '../engine/families/family';
import { domainClassOf } from './classifiers';
import { labelAccuracy } from './classStats';
import { openShippedClassifier, type FeatureNetwork } from './featureNetwork';
import { psnr } from './imageQuality';

/** Held-out images translated per direction (the first of each test split; cycled when fewer). */
export const TRANSLATED_IMAGES = 256;

export interface Translators {
  readonly gAB: tf.LayersModel;
  readonly gBA: tf.LayersModel;
}

function translate(g: tf.LayersModel, from: ResolvedData, images: Float32Array, count: number) {
  const [h, w, c] = from.shape;
  const size = h * w * c;
  return predictValues(
    (start, n) =>
      g.apply(tf.tensor4d(images.subarray(start * size, (start + n) * size), [n, h, w, c]), {
        training: false,
      }) as tf.Tensor,
    count,
    128,
  );
}

/** The classifier that tells the two domains apart and each domain's class, or null when no
 *  shipped classifier does. */
function domainClasses(a: ResolvedData, b: ResolvedData) {
  const [ca, cb] = [domainClassOf(a), domainClassOf(b)];
  if (!ca || !cb || ca.id !== cb.id || ca.classIndex === cb.classIndex) return null;
  return { id: ca.id, a: ca.classIndex, b: cb.classIndex };
}

/** Fraction of `images` (of data `to`'s shape and scale) the judge puts in class `target`. */
function judgedAs(
  judge: FeatureNetwork,
  to: ResolvedData,
  target: number,
  images: Float32Array,
  count: number,
) {
  const { probabilities } = judge.embed(images, count, to);
  return probabilities ? labelAccuracy(probabilities, new Int32Array(count).fill(target)) : null;
}

async function direction(
  there: tf.LayersModel,
  back: tf.LayersModel,
  from: ResolvedData,
  to: ResolvedData,
  inputs: DataBatch,
  judge: { network: FeatureNetwork; target: number } | null,
): Promise<{ accuracy: number | null; cyclePsnr: number }> {
  const translated = await translate(there, from, inputs.images, inputs.count);
  const cycled = await translate(back, to, translated, inputs.count);
  const set = (pixels: Float32Array) => ({
    count: inputs.count,
    pixels,
    shape: from.shape,
    scale: from.scale,
  });
  return {
    accuracy: judge ? judgedAs(judge.network, to, judge.target, translated, inputs.count) : null,
    cyclePsnr: psnr(set(cycled), set(inputs.images)),
  };
}

export async function translationMetrics(
  networks: Translators,
  data: readonly [ResolvedData, ResolvedData],
  heldOut: (source: number, n: number) => Promise<DataBatch>,
): Promise<Record<string, number>> {
  const [a, b] = data;
  const classes = domainClasses(a, b);
  const judge = classes && (await openShippedClassifier(classes.id, classes.id));
  try {
    const inA = await heldOut(0, TRANSLATED_IMAGES);
    const inB = await heldOut(1, TRANSLATED_IMAGES);
    const ab = await direction(
      networks.gAB,
      networks.gBA,
      a,
      b,
      inA,
      judge && { network: judge, target: classes.b },
    );
    const ba = await direction(
      networks.gBA,
      networks.gAB,
      b,
      a,
      inB,
      judge && { network: judge, target: classes.a },
    );
    const values: Record<string, number> = {
      'eval/cycle_psnr': ab.cyclePsnr,
      'eval/cycle_psnr_ba': ba.cyclePsnr,
    };
    if (ab.accuracy !== null) values['eval/domain_acc'] = ab.accuracy;
    if (ba.accuracy !== null) values['eval/domain_acc_ba'] = ba.accuracy;
    return values;
  } finally {
    judge?.dispose();
  }
}
