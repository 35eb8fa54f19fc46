import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../src/language/analyze';
import { codeActions } from '../../../src/language/services';
import type { RangeEdit } from '../../../src/language/services';
import { LineMap } from '../../../src/language/syntax';
import { atCursor } from './cursor';

function applyEdits(text: string, edits: readonly RangeEdit[]): string {
  const lines = new LineMap(text);
  const sorted = [...edits].sort((a, b) => lines.offset(b.range.start) - lines.offset(a.range.start));
  let out = text;
  for (const e of sorted)
    out = out.slice(0, lines.offset(e.range.start)) + e.newText + out.slice(lines.offset(e.range.end));
  return out;
}

const model = (generator: string, discriminator: string): string =>
  `model m: gan {\n  data mnist\n  latent 10\n  generator {\n${generator}\n  }\n  discriminator {\n${discriminator}\n  }\n}\n`;
const GOOD_G = '    dense 7*7*1\n    reshape [7, 7, 1]\n    upsample 4\n    tanh';

test('code actions: the fix of a misspelt parameter, applied, clears the diagnostic', () => {
  const { analysis, position, text } = atCursor(
    model(GOOD_G, '    conv 8 act<|>ivaton=leakyrelu\n    flatten\n    dense 1'),
  );
  const actions = codeActions(analysis, { start: position, end: position });
  assert.equal(actions.length, 1);
  const [action] = actions;
  assert.equal(action.title, 'Change to `activation`');
  assert.equal(action.diagnostic.code, 'E203');
  assert.equal(action.isPreferred, true);
  assert.equal(action.kind, 'quickfix');
  const fixed = analyze(applyEdits(text, action.edits));
  assert.deepEqual(
    fixed.diagnostics.map((d) => d.code),
    [],
  );
  assert.ok(fixed.models[0].resolved);
});

test('code actions: structural fixes (insert flatten and dense 1) and ranges that miss', () => {
  const { analysis, text } = atCursor(model(GOOD_G, '    conv 8 stride=2\n    leakyrelu<|>'));
  const lastLine = analysis.lines.position(text.indexOf('leakyrelu'));
  const actions = codeActions(analysis, {
    start: lastLine,
    end: { line: lastLine.line, character: lastLine.character + 3 },
  });
  const e304 = actions.find((a) => a.diagnostic.code === 'E304');
  assert.ok(e304, actions.map((a) => a.title).join(', '));
  const fixed = applyEdits(text, e304.edits);
  assert.match(fixed, /leakyrelu\n {4}flatten\n {4}dense 1\n/);
  assert.ok(analyze(fixed).models[0].resolved);
  // A range on the data line touches no fixable diagnostic.
  assert.deepEqual(
    codeActions(analysis, { start: { line: 1, character: 0 }, end: { line: 1, character: 4 } }),
    [],
  );
});

test('code actions: W408 offers inserting flatten before dense', () => {
  const { analysis, position, text } = atCursor(model(GOOD_G, '    conv 8 stride=2\n    de<|>nse 1'));
  const actions = codeActions(analysis, { start: position, end: position });
  const w408 = actions.find((a) => a.diagnostic.code === 'W408');
  assert.ok(w408);
  assert.equal(w408.title, 'Insert `flatten` before `dense`');
  const fixed = analyze(applyEdits(text, w408.edits));
  assert.ok(!fixed.diagnostics.some((d) => d.code === 'W408'));
});
