// A cyclegan's translation measures on held-out images: translations judged by the shipped
// classifier that tells the domains apart (shapes by kind, emoji by artwork style) and the
// round trip's PSNR. Identity "translators" make the expected answers known: an identity map
// leaves circles circles (never judged square) and comes back exactly; fed Twitter's drawings
// as domain a, it is judged Twitter's as often as the style classifier is right.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { openDataSource } from '../../../src/training/data';
import { translationMetrics } from '../../../src/training/eval/translationMetrics';
import { readClassifierInfo, shippedClassifierRoot } from '../../../src/training/eval/classifierStore';
import { join } from 'node:path';
import { resolveModel, useBackend } from '../engine/helpers';

function identity(shape: readonly number[]): tf.LayersModel {
  return tf.sequential({ layers: [tf.layers.activation({ activation: 'linear', inputShape: [...shape] })] });
}

describe('translation measures (cyclegan)', () => {
  before(() => useBackend());

  it('an identity map between circles and squares is never judged square and returns exactly', async () => {
    const model = resolveModel(`model c: cyclegan {
      data shapes domain=a kind=circle size=32x32 channels=1 { scale [-1, 1]; batch 4 }
      data shapes domain=b kind=square size=32x32 channels=1 { scale [-1, 1]; batch 4 }
      generator { conv 1 kernel=3 activation=tanh }
      discriminator { conv 1 kernel=4 stride=2 }
      train { steps 1; seed 1 } }`);
    const sources = await Promise.all(model.data.map((d) => openDataSource(d, { seed: 1, baseDir: '.' })));
    const g = identity(model.data[0].shape);
    const values = await translationMetrics({ gAB: g, gBA: g }, [model.data[0], model.data[1]], (source, n) =>
      sources[source].heldOut(n),
    );
    assert.ok(values['eval/domain_acc'] < 0.05, JSON.stringify(values));
    assert.ok(values['eval/domain_acc_ba'] < 0.05, JSON.stringify(values));
    assert.equal(values['eval/cycle_psnr'], 100);
    assert.equal(values['eval/cycle_psnr_ba'], 100);
    sources.forEach((s) => s.dispose());
  });

  it("emoji domains are judged by artwork style: Twitter's drawings as Twitter's", async () => {
    const model = resolveModel(`model e: cyclegan {
      data emoji style=google domain=a size=32x32 { scale [-1, 1]; batch 4 }
      data emoji style=twitter domain=b size=32x32 { scale [-1, 1]; batch 4 }
      generator { conv 3 kernel=3 activation=tanh }
      discriminator { conv 1 kernel=4 stride=2 }
      train { steps 1; seed 1 } }`);
    const [google, twitter] = await Promise.all(
      model.data.map((d) => openDataSource(d, { seed: 1, baseDir: '.' })),
    );
    const g = identity(model.data[0].shape);
    const accuracy = readClassifierInfo(join(shippedClassifierRoot(), 'emoji_style')).testAccuracy;
    // Identity on Google's drawings: judged Twitter's only as often as the classifier errs.
    const kept = await translationMetrics({ gAB: g, gBA: g }, [model.data[0], model.data[1]], (s, n) =>
      [google, twitter][s].heldOut(n),
    );
    assert.ok(kept['eval/domain_acc'] < 1 - accuracy + 0.1, JSON.stringify(kept));
    // Twitter's own drawings given as the "translations" into Twitter's style.
    const swapped = await translationMetrics({ gAB: g, gBA: g }, [model.data[0], model.data[1]], (s, n) =>
      [twitter, google][s].heldOut(n),
    );
    assert.ok(swapped['eval/domain_acc'] > accuracy - 0.1, JSON.stringify(swapped));
    assert.ok(swapped['eval/domain_acc_ba'] > accuracy - 0.1, JSON.stringify(swapped));
    google.dispose();
    twitter.dispose();
  });
});
