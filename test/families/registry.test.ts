// Every family is registered in every layer's table, the layers agree with each other, and each
// family's example checks clean, trains 20 steps logging exactly the metrics it declares, and
// renders every preview mode the panels offer for it. A new family that misses a registry line
// fails here (and at compile time, where the tables are typed by FamilyName).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PNG } from 'pngjs';
import { analyze } from '../../src/language/analyze';
import { LANGUAGE_FAMILIES } from '../../src/language/families';
import type { FamilyName, ResolvedModel } from '../../src/language/model';
import { FAMILY_NAMES } from '../../src/language/model';
import { FAMILIES } from '../../src/language/schema';
import { EVAL_TARGET } from '../../src/protocol/featureLabel';
import { TRAINING_FAMILIES } from '../../src/training/engine/families';
import { FAMILY_EVALUATION } from '../../src/training/eval/familyEval';
import { PRESENTATION_FAMILIES } from '../../src/webview/families';
import { modesFor } from '../../src/webview/preview/sampleOptions';
import { train, trainerFor } from '../training/engine/helpers';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const STEPS = 20;

function size(model: ResolvedModel): number {
  return Object.values(model.networks).reduce((n, net) => n + (net?.paramCount ?? 0), 0);
}

/** The smallest clean model of each family among the examples (the quickest to train here). */
function examplesByFamily(): Map<FamilyName, { file: string; model: ResolvedModel }> {
  const out = new Map<FamilyName, { file: string; model: ResolvedModel }>();
  for (const file of readdirSync(EXAMPLES).filter((f) => f.endsWith('.gan'))) {
    const analysis = analyze(readFileSync(join(EXAMPLES, file), 'utf8'));
    for (const info of analysis.models) {
      const model = info.resolved;
      const seen = model && out.get(model.family);
      if (model && (!seen || size(model) < size(seen.model))) out.set(model.family, { file, model });
    }
  }
  return out;
}

const examples = examplesByFamily();

test('every family is registered in the language, training and presentation tables, under its own name', () => {
  for (const table of [
    LANGUAGE_FAMILIES,
    TRAINING_FAMILIES,
    PRESENTATION_FAMILIES,
    FAMILY_EVALUATION,
    EVAL_TARGET,
  ])
    assert.deepEqual(Object.keys(table).sort(), [...FAMILY_NAMES].sort());
  for (const name of FAMILY_NAMES) assert.equal(LANGUAGE_FAMILIES[name].name, name);
  assert.deepEqual(
    FAMILIES.map((f) => f.name),
    [...FAMILY_NAMES],
  );
});

test('the layers agree: preview modes are sample modes, chart groups chart logged metrics', () => {
  for (const name of FAMILY_NAMES) {
    const training = TRAINING_FAMILIES[name];
    const panels = PRESENTATION_FAMILIES[name];
    for (const mode of panels.previewModes)
      assert.ok(
        training.sampleModes.includes(mode),
        `${name}: preview mode ${mode} is not rendered by its trainer`,
      );
    for (const group of panels.chartGroups)
      for (const metric of group.metrics)
        assert.ok(
          training.metrics.includes(metric),
          `${name}: chart group ${group.id} shows ${metric}, never logged`,
        );
    for (const role of LANGUAGE_FAMILIES[name].roles)
      assert.ok(
        LANGUAGE_FAMILIES[name].sections.some((s) => s.role === role),
        `${name}: role ${role} has no network section`,
      );
  }
});

for (const name of FAMILY_NAMES) {
  test(`${name}: its example checks clean, trains ${STEPS} steps and renders every preview mode`, async (t) => {
    const example = examples.get(name);
    assert.ok(example, `no example in examples/ uses the ${name} family`);
    t.diagnostic(`${example.file}: ${example.model.name}`);
    const trainer = await trainerFor(example.model, { steps: STEPS, dataLimit: 128 });
    try {
      const rows = await train(trainer, STEPS);
      assert.equal(trainer.step, STEPS);
      const declared = TRAINING_FAMILIES[name].metrics;
      for (const row of rows) {
        // The family's own metrics, then every optimizer's learning rate and gradient norm.
        assert.deepEqual(
          declared.filter((m) => !(m in row)),
          [],
          `${name} logs all of ${declared.join(', ')}`,
        );
        const optimization = Object.keys(row).filter((k) => !declared.includes(k));
        for (const key of optimization) assert.match(key, /^(lr|grad_norm)\/\w+$/);
        assert.ok(
          optimization.some((k) => k.startsWith('grad_norm/')) &&
            optimization.some((k) => k.startsWith('lr/')),
          `${name}: gradient norms and learning rates in ${Object.keys(row).join(', ')}`,
        );
        for (const value of Object.values(row)) assert.ok(Number.isFinite(value));
      }
      for (const { mode } of modesFor(name)) {
        const png = PNG.sync.read(Buffer.from(await trainer.renderSamples({ mode, grid: [2, 2], seed: 3 })));
        assert.ok(png.width > 0 && png.height > 0, `${name} ${mode}`);
      }
      await assert.rejects(
        trainer.renderSamples({
          mode: TRAINING_FAMILIES[name].sampleModes.includes('translate') ? 'walk' : 'translate',
        }),
        /renders/,
      );
    } finally {
      trainer.dispose();
    }
  });
}
