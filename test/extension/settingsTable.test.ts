// The settings table runs are compared by lists what each family's `condition` reads: a cgan its
// classes and how each network sees the label; a conditional pixelcnn its classes alone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../src/language/analyze';
import { flattenSettings } from '../../src/extension/experiments/summaries';

function resolved(text: string) {
  const model = analyze(text).models[0]?.resolved;
  if (!model) throw new Error('the model did not resolve');
  return model;
}

const conditionKeys = (settings: Record<string, unknown>) =>
  Object.keys(settings).filter((key) => key.startsWith('condition.'));

describe('settings table', () => {
  it('a cgan lists its classes and its conditioning of each network', () => {
    const settings = flattenSettings(
      resolved(`model c: cgan {
        data mnist { scale [-1, 1]; batch 16 }
        latent 8
        condition classes=10 generator=batchnorm
        generator { dense 784; batchnorm; reshape [28, 28, 1]; conv 1 kernel=3 activation=tanh }
        discriminator { flatten; dense 1 }
      }`),
    );
    assert.deepEqual(conditionKeys(settings).sort(), [
      'condition.classes',
      'condition.discriminator',
      'condition.embed',
      'condition.generator',
    ]);
    assert.equal(settings['condition.generator'], 'batchnorm');
    assert.equal(settings['condition.classes'], 10);
  });

  it('a conditional pixelcnn lists its classes alone', () => {
    const settings = flattenSettings(
      resolved(`model p: pixelcnn {
        data mnist { scale [0, 1]; batch 16 }
        levels 2
        condition classes=10
        network { maskedconv 8 kernel=5 mask=A; relu; maskedconv 2 kernel=1 }
        loss nll
        optimizer adam lr=2e-3
        train { steps 10 }
      }`),
    );
    assert.deepEqual(conditionKeys(settings), ['condition.classes']);
  });
});
