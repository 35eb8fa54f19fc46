// progan in the editor: each stage line shows its RGB layer (inlay hint) and, on hover, when
// training reaches it; the network totals count the RGB layers the model adds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../src/language';
import { hover } from '../../src/language/services/hover';
import { inlayHints } from '../../src/language/services/inlay';
import { example } from './helpers';

const PG = example('mnist-progan.gan');

function positionOf(text: string, needle: string): { line: number; character: number } {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, needle);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

test('stage lines show their to-RGB / from-RGB layer and shapes', () => {
  const analysis = analyze(PG);
  const all = { start: { line: 0, character: 0 }, end: { line: 1000, character: 0 } };
  const labels = inlayHints(analysis, all).map((h) => h.label);
  for (const label of ['→ RGB [4, 4, 1]', '→ RGB [8, 8, 1]', '→ RGB [16, 16, 1]', '→ RGB [32, 32, 1]'])
    assert.ok(labels.includes(label), `${label} in ${JSON.stringify(labels)}`);
  assert.equal(labels.filter((l) => l === 'RGB →').length, 4);
});

test('hover on a stage says when it fades in (the grow schedule in steps)', () => {
  const at = positionOf(PG, 'stage 16x16 { upsample');
  const h = hover(analyze(PG), { line: at.line, character: at.character + 2 });
  assert.ok(h);
  // stable 4800 / fade 4800 images at batch 32: 150 steps each; stage 3 starts after 150 + 300.
  assert.match(h.contents, /Stage 3 of 4 \(16x16\) fades in from step 450 to 600/);
  assert.match(h.contents, /to-RGB: 1×1 conv 32 → 1 \(33 parameters/);
});
