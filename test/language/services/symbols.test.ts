import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../src/language/analyze';
import {
  SEMANTIC_TOKEN_STANDARD_TYPES,
  SEMANTIC_TOKEN_TYPES,
  definition,
  documentSymbols,
  encodeSemanticTokens,
  foldingRanges,
  prepareRename,
  references,
  rename,
  semanticTokens,
} from '../../../src/language/services';
import type { RangeEdit } from '../../../src/language/services';
import { LineMap } from '../../../src/language/syntax';
import { example, positionOf } from './cursor';

function applyEdits(text: string, edits: readonly RangeEdit[]): string {
  const lines = new LineMap(text);
  const sorted = [...edits].sort((a, b) => lines.offset(b.range.start) - lines.offset(a.range.start));
  let out = text;
  for (const e of sorted)
    out = out.slice(0, lines.offset(e.range.start)) + e.newText + out.slice(lines.offset(e.range.end));
  return out;
}

test('symbols: models, their sections and layers, nested through repeat and residual', () => {
  const dcgan = analyze(example('mnist-dcgan.gan'));
  const symbols = documentSymbols(dcgan);
  assert.deepEqual(
    symbols.map((s) => [s.name, s.detail]),
    [
      ['dcgan', 'gan'],
      ['dcgan_small', 'extends dcgan'],
      ['dcgan_hinge', 'extends dcgan_small'],
    ],
  );
  const first = symbols[0];
  assert.deepEqual(
    first.children.map((c) => c.name),
    ['data', 'latent', 'generator', 'discriminator', 'loss', 'optimizer', 'train', 'sample', 'evaluate'],
  );
  assert.equal(first.children[2].children.length, 11);
  assert.equal(first.children[2].children[0].detail, '7*7*256 bias=false');
  assert.deepEqual(first.selectionRange, {
    start: { line: 1, character: 6 },
    end: { line: 1, character: 11 },
  });
  assert.equal(first.range.start.line, 1);
  assert.equal(first.range.end.line, 49);
  const hinge = symbols[2];
  assert.deepEqual(
    hinge.children.map((c) => `${c.name} ${c.detail}`),
    [
      'loss hinge',
      'optimizer generator adam lr=1e-4 beta1=0 beta2=0.9',
      'optimizer discriminator adam lr=4e-4 beta1=0 beta2=0.9',
    ],
  );

  const cycle = documentSymbols(analyze(example('emoji-cyclegan.gan')));
  const generator = cycle[0].children.find((c) => c.name === 'generator');
  const repeat = generator?.children.find((c) => c.name === 'repeat');
  assert.equal(repeat?.detail, '4');
  assert.deepEqual(
    repeat?.children.map((c) => c.name),
    ['residual'],
  );
  assert.deepEqual(
    repeat?.children[0].children.map((c) => c.name),
    ['conv', 'conv'],
  );
});

test('folding: blocks keep their closing brace visible; comment runs fold', () => {
  const text =
    '# one\n# two\n# three\nmodel a: gan {\n  generator {\n    dense 1\n  }\n  train { epochs 1 }\n}\n';
  const folds = foldingRanges(analyze(text));
  assert.deepEqual(folds, [
    { startLine: 0, endLine: 2, kind: 'comment' },
    { startLine: 3, endLine: 7, kind: 'region' },
    { startLine: 4, endLine: 5, kind: 'region' },
  ]);
});

test('semantic tokens: every kind of word, and the LSP encoding', () => {
  const text =
    'model x: gan {  # c\n  data folder "imgs" size=28x28 { batch 8 }\n  generator {\n    conv 3 kernel=3 activation=tanh\n  }\n  optimizer generator adam lr=2e-4\n}\nmodel y extends x {\n  loss hinge\n}\n';
  const analysis = analyze(text);
  const tokens = semanticTokens(analysis);
  const lines = text.split('\n');
  const typed = tokens.map(
    (t) =>
      `${lines[t.line].slice(t.char, t.char + t.length)}:${t.type}${t.modifiers.length ? `+${t.modifiers.join('+')}` : ''}`,
  );
  for (const want of [
    'model:keyword',
    'x:model+declaration',
    ':' + ':operator',
    'gan:family',
    '# c:comment',
    'data:section',
    'folder:enumValue',
    '"imgs":string',
    'size:parameter',
    '28x28:size',
    'batch:parameter',
    '8:number',
    'generator:section',
    'conv:layer',
    'kernel:parameter',
    '=:operator',
    'tanh:enumValue',
    'optimizer:section',
    'generator:enumValue',
    'adam:enumValue',
    '2e-4:number',
    'extends:keyword',
    'x:model',
    'hinge:enumValue',
  ]) {
    assert.ok(typed.includes(want), `${want} in ${typed.join(' ')}`);
  }
  const data = encodeSemanticTokens(tokens);
  assert.equal(data.length, tokens.length * 5);
  // Decode and compare with the tokens.
  let line = 0;
  let char = 0;
  for (let i = 0; i < tokens.length; i++) {
    const [dl, dc, len, type] = data.slice(i * 5, i * 5 + 4);
    line += dl;
    char = dl === 0 ? char + dc : dc;
    assert.deepEqual(
      [line, char, len, SEMANTIC_TOKEN_TYPES[type]],
      [tokens[i].line, tokens[i].char, tokens[i].length, tokens[i].type],
    );
  }
});

test('definition and references of model names across variants', () => {
  const analysis = analyze(example('mnist-dcgan.gan'));
  const fromExtends = positionOf(analysis, 'extends dcgan_small', 'extends '.length + 3);
  const decl = positionOf(analysis, 'model dcgan_small', 'model '.length);
  assert.deepEqual(definition(analysis, fromExtends)?.range.start, decl);
  assert.deepEqual(definition(analysis, decl)?.range.start, decl);
  assert.equal(definition(analysis, positionOf(analysis, 'latent 100', 2)), null);

  const refs = references(analysis, decl).map((r) => r.range.start.line);
  assert.equal(refs.length, 2);
  assert.deepEqual(
    references(analysis, decl, false).map((r) => r.range.start),
    [fromExtendsStart(analysis)],
  );
  const dcganRefs = references(analysis, positionOf(analysis, 'model dcgan:', 7));
  assert.equal(dcganRefs.length, 2);
});

function fromExtendsStart(analysis: ReturnType<typeof analyze>) {
  return positionOf(analysis, 'extends dcgan_small', 'extends '.length);
}

test('rename a model everywhere, with validation', () => {
  const text = example('mnist-dcgan.gan');
  const analysis = analyze(text);
  const at = positionOf(analysis, 'model dcgan:', 'model '.length + 1);
  assert.deepEqual(prepareRename(analysis, at), {
    range: { start: { line: 1, character: 6 }, end: { line: 1, character: 11 } },
    placeholder: 'dcgan',
  });
  assert.equal(prepareRename(analysis, positionOf(analysis, 'generator {', 1)), null);

  const result = rename(analysis, at, 'dcgan_base');
  assert.ok(result.ok);
  assert.equal(result.edits.length, 2);
  const renamed = analyze(applyEdits(text, result.edits));
  assert.deepEqual(
    renamed.models.map((m) => [m.name, m.base?.name ?? null, !!m.resolved]),
    [
      ['dcgan_base', null, true],
      ['dcgan_small', 'dcgan_base', true],
      ['dcgan_hinge', 'dcgan_small', true],
    ],
  );
  assert.equal(renamed.diagnostics.length, 0);
  // The variants' resolved models are unchanged apart from the names.
  const before = analysis.models.map((m) => m.resolved?.source);
  const after = renamed.models.map((m) => m.resolved?.source.replace('dcgan_base', 'dcgan'));
  assert.deepEqual(after, before);

  // Renaming from a reference works too.
  const fromRef = rename(analysis, positionOf(analysis, 'extends dcgan_small', 'extends '.length), 'small');
  assert.ok(fromRef.ok && fromRef.edits.length === 2);

  for (const bad of ['1abc', 'has space', '', 'model', 'extends', 'dcgan_small']) {
    const r = rename(analysis, at, bad);
    assert.equal(r.ok, false, bad);
  }
  assert.deepEqual(rename(analysis, at, 'dcgan'), { ok: true, edits: [] });
  assert.equal(rename(analysis, positionOf(analysis, 'latent 100', 1), 'x').ok, false);
});

test('semantic tokens: a standard LSP type for every type of the legend', () => {
  assert.equal(SEMANTIC_TOKEN_STANDARD_TYPES.length, SEMANTIC_TOKEN_TYPES.length);
  const standard = new Set([
    'keyword',
    'class',
    'type',
    'namespace',
    'function',
    'parameter',
    'enumMember',
    'number',
    'string',
    'comment',
    'operator',
  ]);
  for (const t of SEMANTIC_TOKEN_STANDARD_TYPES) assert.ok(standard.has(t), t);
  assert.equal(SEMANTIC_TOKEN_STANDARD_TYPES[SEMANTIC_TOKEN_TYPES.indexOf('model')], 'class');
});
