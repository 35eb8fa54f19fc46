// Every layer kind of the schema, with every option, trains on the test backend (all forward and
// gradient kernels exist) and changes its weights.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import type { ResolvedLayer } from '../../../src/language/model';
import { LAYERS } from '../../../src/language/schema';
import { compileNetwork, trainableCount } from '../../../src/training/engine/compile';
import { resolveModel, train, trainerFor, useBackend } from './helpers';

const EVERY_LAYER = `
model every_layer: gan {
  data shapes size=8x8 channels=3 { scale [-1, 1]; batch 4 }
  latent 6
  generator {
    dense 32 sn=true activation=elu
    dense 2*2*8 bias=false
    reshape [2, 2, 8]
    stage 2x2 { pixelnorm epsilon=1e-6 }
    batchnorm momentum=0.9
    upsample 2
    deconv 8 kernel=3 stride=2 norm=batch activation=relu sn=true
    residual { conv 8 kernel=3 norm=instance activation=leakyrelu; instancenorm; layernorm }
    conv 8 kernel=3 norm=layer activation=sigmoid bias=false
    relu
    elu
    conv 3 kernel=1 padding=valid activation=tanh
  }
  discriminator {
    conv 12 kernel=1
    pixelshuffle 2
    prelu
    conv 8 kernel=3 stride=1 sn=true norm=layer
    minibatchstd group=2
    maskedconv 8 kernel=3 mask=A activation=relu
    gated 4 kernel=3 mask=A
    gated 4 kernel=3 mask=B
    leakyrelu 0.1
    maxpool
    conv 8 kernel=2 padding=valid activation=tanh
    avgpool size=3
    sigmoid
    tanh
    flatten
    dropout 0.25
    dense 4 activation=leakyrelu
    reshape [2, 2]
    gru 3
    lstm 2
    flatten
    prelu 0.1
    dense 1 sn=true
  }
  loss hinge
  optimizer adam lr=1e-2
  train { steps 2; seed 12; ema 0.5 }
  sample { every 1; grid 2x2 }
}`;

function kinds(layers: readonly ResolvedLayer[]): string[] {
  return layers.flatMap((l) => [l.kind, ...kinds(l.body ?? [])]);
}

it('trains a gan that uses every layer kind, updating every network', async () => {
  await useBackend();
  const model = resolveModel(EVERY_LAYER);
  const used = new Set([
    ...kinds(model.networks.generator?.layers ?? []),
    ...kinds(model.networks.discriminator?.layers ?? []),
  ]);
  assert.deepEqual(
    LAYERS.map((l) => l.name).filter((n) => n !== 'repeat' && !used.has(n)),
    [],
  );
  for (const role of ['generator', 'discriminator'] as const) {
    const network = model.networks[role];
    assert.ok(network);
    const compiled = compileNetwork(network, role, 1);
    assert.equal(trainableCount(compiled.model), network.paramCount, `${role} parameters`);
    for (const { layer, shape } of compiled.shapes)
      assert.deepEqual(shape, [...layer.outputShape], layer.kind);
    compiled.model.dispose();
  }
  const trainer = await trainerFor(model);
  const dir = mkdtempSync(join(tmpdir(), 'gan-layers-'));
  try {
    await trainer.saveCheckpoint(join(dir, 'before'));
    const history = await train(trainer, 2);
    for (const m of history) for (const v of Object.values(m)) assert.ok(Number.isFinite(v));
    await trainer.saveCheckpoint(join(dir, 'after'));
    for (const network of ['generator', 'discriminator', 'generator_ema']) {
      const weights = (step: string): Buffer =>
        readFileSync(join(dir, step, 'networks', network, 'weights.bin'));
      assert.notDeepEqual(weights('after'), weights('before'), `${network} weights changed`);
    }
    const png = await trainer.renderSamples();
    assert.ok(png.length > 100);
  } finally {
    trainer.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});
