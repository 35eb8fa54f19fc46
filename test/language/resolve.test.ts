// Resolution: every example checks clean and resolves completely; the flattened source of a
// variant is a standalone model that resolves to the same thing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../src/language';
import type { ResolvedModel } from '../../src/language';
import { withGenerated } from '../../scripts/gen-docs';
import { EXAMPLES_DIR, exampleFiles, GAN, replaceOnce } from './helpers';

const strip = (m: ResolvedModel) => {
  const { source: _source, data, ...rest } = m;
  return {
    ...rest,
    data: data.map(({ line: _line, ...d }) => d),
    networks: JSON.parse(JSON.stringify(m.networks, (k, v) => (k === 'line' ? undefined : v))),
  };
};

for (const { name, text } of exampleFiles()) {
  test(`${name}: checks clean and every model resolves`, () => {
    const a = analyze(text);
    assert.deepEqual(
      a.diagnostics.map((d) => `${d.code} ${d.message}`),
      [],
    );
    assert.ok(a.models.length > 0);
    for (const m of a.models) {
      assert.ok(m.resolved, `${m.name} resolves`);
      const again = analyze(m.resolved.source);
      assert.deepEqual(
        again.diagnostics,
        [],
        `${m.name}: flattened source checks clean:\n${m.resolved.source}`,
      );
      assert.deepEqual(
        strip(again.models[0].resolved as ResolvedModel),
        strip(m.resolved),
        `${m.name}: flattened source resolves the same`,
      );
    }
  });
}

test('the shapes of the DCGAN tutorial networks, and their parameter counts', () => {
  const a = analyze(exampleFiles().find((e) => e.name === 'mnist-dcgan.gan')?.text ?? '');
  const dcgan = a.models.find((m) => m.name === 'dcgan')?.resolved;
  assert.ok(dcgan);
  const g = dcgan.networks.generator;
  assert.ok(g);
  assert.deepEqual(g.inputShape, [100]);
  assert.deepEqual(
    g.layers.map((l) => l.outputShape),
    [
      [12544],
      [12544],
      [12544],
      [7, 7, 256],
      [7, 7, 128],
      [7, 7, 128],
      [7, 7, 128],
      [14, 14, 64],
      [14, 14, 64],
      [14, 14, 64],
      [28, 28, 1],
    ],
  );
  // Keras reports 2,330,944 trainable parameters for this generator (+ 2 x BN moving stats, not trainable).
  assert.equal(g.layers[0].paramCount, 100 * 12544);
  assert.equal(
    g.paramCount,
    1254400 + 2 * 12544 + 5 * 5 * 256 * 128 + 2 * 128 + 5 * 5 * 128 * 64 + 2 * 64 + 5 * 5 * 64 * 1 + 1,
  );
  assert.deepEqual(dcgan.networks.discriminator?.outputShape, [1]);
});

test('extends: settings merge key by key, networks are replaced, steps replaces epochs', () => {
  const a = analyze(exampleFiles().find((e) => e.name === 'mnist-dcgan.gan')?.text ?? '');
  const small = a.models.find((m) => m.name === 'dcgan_small')?.resolved;
  const hinge = a.models.find((m) => m.name === 'dcgan_hinge')?.resolved;
  assert.ok(small && hinge);
  assert.equal(small.train.steps, 2000);
  assert.equal(small.train.epochs, null);
  assert.equal(small.train.seed, 42, 'seed is inherited');
  assert.equal(small.latent?.size, 64);
  assert.equal(small.networks.generator?.layers.length, 8);
  assert.equal(hinge.loss.kind, 'hinge');
  assert.equal(hinge.optimizers.generator?.lr, 1e-4);
  assert.equal(hinge.optimizers.discriminator?.lr, 4e-4);
  assert.equal(hinge.optimizers.discriminator?.beta2, 0.9);
  assert.equal(hinge.doc, 'The same networks under the hinge loss with two-timescale learning rates.');
});

test('repeat expands and residual keeps its body; cgan and vae inputs', () => {
  const files = Object.fromEntries(exampleFiles().map((e) => [e.name, analyze(e.text)]));
  const cyc = files['shapes-cyclegan.gan'].models[0].resolved;
  assert.ok(cyc);
  const gen = cyc.networks.generator;
  assert.ok(gen);
  assert.equal(gen.layers.filter((l) => l.kind === 'residual').length, 3);
  assert.equal(gen.layers.find((l) => l.kind === 'residual')?.body?.length, 2);
  assert.deepEqual(
    cyc.networks.discriminator?.outputShape,
    [8, 8, 1],
    '32 -> 16 -> 8, then a same-padded stride-1 conv',
  );
  const cgan = files['fashion-cgan.gan'].models[0].resolved;
  assert.deepEqual(cgan?.networks.generator?.inputShape, [74]);
  assert.deepEqual(cgan?.networks.discriminator?.inputShape, [28, 28, 11]);
  assert.deepEqual(cgan?.condition, {
    classes: 10,
    embed: 50,
    generator: 'onehot',
    discriminator: 'planes',
    reads: ['classes', 'embed', 'generator', 'discriminator'],
  });
  const vae = files['mnist-vae.gan'].models[0].resolved;
  assert.deepEqual(vae?.networks.encoder?.outputShape, [256]);
  assert.deepEqual(vae?.networks.decoder?.inputShape, [16]);
  assert.equal(
    vae?.networks.encoder?.paramCount,
    (vae?.networks.encoder?.layers ?? []).reduce((a, l) => a + l.paramCount, 0) + 2 * (256 * 16 + 16),
  );
});

test('defaults are filled in from the schema', () => {
  const m = analyze(GAN).models[0].resolved;
  assert.ok(m);
  const conv = m.networks.discriminator?.layers[0];
  assert.deepEqual(conv?.params, {
    filters: 32,
    kernel: 4,
    stride: 2,
    padding: 'same',
    activation: 'linear',
    bias: true,
    norm: 'none',
    sn: false,
  });
  assert.equal(m.train.dSteps, 1);
  assert.equal(m.train.backend, 'auto');
  assert.equal(m.train.threads, null, 'no threads: the engine chooses');
  assert.equal(m.data[0].shuffle, true);
  assert.equal(m.latent?.dist, 'normal');
});

test('train { threads N } reaches the resolved model', () => {
  const m = analyze(replaceOnce(GAN, 'seed 1', 'seed 1; threads 3')).models[0].resolved;
  assert.equal(m?.train.threads, 3);
});

test('docs/language.md reference tables are generated from the current schema', () => {
  const path = join(__dirname, '..', '..', 'docs', 'language.md');
  const doc = readFileSync(path, 'utf8');
  assert.equal(withGenerated(doc), doc, 'run `node --import tsx scripts/gen-docs.ts`');
});

test('a repeat line counts the parameters of its own repetitions only', () => {
  const text = exampleFiles().find((e) => e.name === 'shapes-cyclegan.gan')?.text ?? '';
  const a = analyze(text);
  const model = a.models[0];
  const repeatStart = text.indexOf('repeat 3 {');
  const info = model.layers.get(repeatStart);
  assert.ok(info, 'the repeat line has layer info');
  const residuals = (model.resolved?.networks.generator?.layers ?? []).filter((l) => l.kind === 'residual');
  assert.equal(residuals.length, 3);
  assert.equal(
    info.paramCount,
    residuals.reduce((sum, l) => sum + l.paramCount, 0),
  );
});

test("cgan conditioning modes set the networks' input shapes and the projection embedding's parameters", () => {
  const cgan = readFileSync(join(EXAMPLES_DIR, 'fashion-cgan.gan'), 'utf8');
  const shapes = (condition: string) => {
    const model = analyze(cgan.replace('condition classes=10', condition)).models[0].resolved;
    assert.ok(model, condition);
    return {
      g: model.networks.generator?.inputShape,
      d: model.networks.discriminator?.inputShape,
      dParams: model.networks.discriminator?.paramCount ?? 0,
      modes: [model.condition?.generator, model.condition?.discriminator],
    };
  };
  const byDefault = shapes('condition classes=10');
  assert.deepEqual(byDefault.modes, ['onehot', 'planes']);
  assert.deepEqual([byDefault.g, byDefault.d], [[74], [28, 28, 11]]);
  const embedded = shapes('condition classes=10 embed=32 generator=embed discriminator=embed');
  assert.deepEqual([embedded.g, embedded.d], [[96], [28, 28, 2]]);
  const projected = shapes('condition classes=10 discriminator=projection');
  assert.deepEqual(projected.d, [28, 28, 1]);
  // The same layers on one input channel instead of eleven, plus one 6272-wide vector per class.
  const convWeightsPerChannel = 4 * 4 * 64;
  assert.equal(projected.dParams, byDefault.dParams - 10 * convWeightsPerChannel + 10 * 7 * 7 * 128);
});
