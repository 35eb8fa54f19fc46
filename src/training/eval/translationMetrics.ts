// How well a cyclegan translates, measured on held-out images of both domains: how often a
// translation is judged to belong to the domain it was translated into (shapes by kind, emoji by
// artwork style, with the shipped classifiers), and how close the round trip a→b→a (b→a→b)
// comes back to its input (PSNR in dB).
import * as tf from '@tensorflow/tfjs';
import type { ResolvedData } from '../../language/model';
import type { DataBatch } from '../contract';
import { predictValues } from '../engine/families/family';
import { domainClassOf } from './classifiers';
import { openShippedClassifier } from './featureNetwork';
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

/** Fraction of `images` (of data `to`'s shape and scale) the domain classifier puts in `to`'s
 *  domain; null when no shipped classifier tells the two domains apart. */
async function judgedAs(
  to: ResolvedData,
  from: ResolvedData,
  images: Float32Array,
  count: number,
): Promise<number | null> {
  const target = domainClassOf(to);
  const source = domainClassOf(from);
  if (!target || !source || target.id !== source.id || target.classIndex === source.classIndex) return null;
  const judge = await openShippedClassifier(target.id, target.id);
  try {
    const { probabilities } = judge.embed(images, count, to);
    if (!probabilities) return null;
    let hits = 0;
    for (let i = 0; i < count; i++) {
      const row = probabilities.values.subarray(i * probabilities.classes, (i + 1) * probabilities.classes);
      let best = 0;
      for (let k = 1; k < row.length; k++) if (row[k] > row[best]) best = k;
      if (best === target.classIndex) hits++;
    }
    return hits / Math.max(1, count);
  } finally {
    judge.dispose();
  }
}

async function direction(
  there: tf.LayersModel,
  back: tf.LayersModel,
  from: ResolvedData,
  to: ResolvedData,
  inputs: DataBatch,
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
    accuracy: await judgedAs(to, from, translated, inputs.count),
    cyclePsnr: psnr(set(cycled), set(inputs.images)),
  };
}

export async function translationMetrics(
  networks: Translators,
  data: readonly [ResolvedData, ResolvedData],
  heldOut: (source: number, n: number) => Promise<DataBatch>,
): Promise<Record<string, number>> {
  const [a, b] = data;
  const ab = await direction(networks.gAB, networks.gBA, a, b, await heldOut(0, TRANSLATED_IMAGES));
  const ba = await direction(networks.gBA, networks.gAB, b, a, await heldOut(1, TRANSLATED_IMAGES));
  const values: Record<string, number> = {
    'eval/cycle_psnr': ab.cyclePsnr,
    'eval/cycle_psnr_ba': ba.cyclePsnr,
  };
  if (ab.accuracy !== null) values['eval/domain_acc'] = ab.accuracy;
  if (ba.accuracy !== null) values['eval/domain_acc_ba'] = ba.accuracy;
  return values;
}
