import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze } from '../../../src/language/analyze';
import type { Analysis } from '../../../src/language/analyze';
import { format, formatEdits, formatRangeEdits } from '../../../src/language/services';
import type { RangeEdit } from '../../../src/language/services';
import { LineMap } from '../../../src/language/syntax';
import { EXAMPLES, fixture } from './cursor';

/** The resolved models without what formatting may legitimately change (line numbers, value spacing). */
function meaning(analysis: Analysis): unknown {
  return analysis.models.map((m) => ({
    name: m.name,
    errors: m.errorCount,
    resolved: m.resolved
      ? JSON.parse(
          JSON.stringify({ ...m.resolved, source: format(m.resolved.source) }, (k, v) =>
            k === 'line' ? undefined : v,
          ),
        )
      : null,
  }));
}

function applyEdits(text: string, edits: readonly RangeEdit[]): string {
  const lines = new LineMap(text);
  const sorted = [...edits].sort((a, b) => lines.offset(b.range.start) - lines.offset(a.range.start));
  let out = text;
  for (const e of sorted)
    out = out.slice(0, lines.offset(e.range.start)) + e.newText + out.slice(lines.offset(e.range.end));
  return out;
}

test('format: every example is already formatted, and formatting keeps its resolved models', () => {
  assert.ok(EXAMPLES.length >= 5);
  for (const { name, text } of EXAMPLES) {
    const once = format(text);
    assert.equal(format(once), once, `${name}: idempotent`);
    assert.equal(once, text, `${name}: examples follow the canonical style`);
    const before = analyze(text);
    const after = analyze(once);
    assert.deepEqual(
      after.models.map((m) => m.resolved?.source),
      before.models.map((m) => m.resolved?.source),
      name,
    );
    assert.ok(
      before.models.every((m) => m.resolved),
      `${name}: all models resolve`,
    );
  }
});

test('format: a messy file gets the checked-in canonical form, with the same meaning', () => {
  const messy = fixture('messy.gan');
  const expected = fixture('messy.formatted.gan');
  const once = format(messy);
  assert.equal(once, expected);
  assert.equal(format(once), once);
  assert.deepEqual(meaning(analyze(once)), meaning(analyze(messy)));
  assert.ok(analyze(once).models[0].resolved);
  // Spot checks of the rules.
  assert.match(once, /^ {4}dense 7\*7\*256 bias=false$/m);
  assert.match(once, /^ {2}data mnist \{ scale \[-1, 1\]; batch 64 \}$/m);
  assert.match(once, /^ {2}latent 100 dist=uniform$/m);
  assert.match(once, /^ {4}# comment inside$/m);
  assert.match(once, /beta1=\.5/);
  assert.match(once, /lr=2e-4/);
  assert.ok(!/\n\n\n/.test(once), 'blank lines collapse to one');
  assert.ok(once.endsWith('}\n') && !once.startsWith('\n'));
});

test('format: models with syntax errors are kept as written, the others are formatted', () => {
  const broken = fixture('broken.gan');
  const once = format(broken);
  assert.equal(once, fixture('broken.formatted.gan'));
  assert.equal(format(once), once);
  assert.ok(analyze(broken).file.errors.length > 0);
  assert.deepEqual(meaning(analyze(once)), meaning(analyze(broken)));
});

test('format: CRLF, BOM, final newline, trailing comments, signs', () => {
  const crlf = 'model a: gan {\r\n      latent   8\r\n\r\n\r\n  train{ epochs 2 }   # short\r\n}';
  assert.equal(format(crlf), 'model a: gan {\r\n  latent 8\r\n\r\n  train { epochs 2 }  # short\r\n}\r\n');
  assert.equal(format('\uFEFFmodel a: gan {\n}'), '\uFEFFmodel a: gan {\n}\n');
  assert.equal(format('model a: gan {  }'), 'model a: gan {}\n');
  assert.equal(format(''), '');
  assert.equal(format('\n\n  \n'), '');
  // A comment whose column the code now overruns moves to two spaces after the code.
  assert.equal(
    format('model a: gan {\nlatent 8 dist=normal #c\n}\n'),
    'model a: gan {\n  latent 8 dist=normal  #c\n}\n',
  );
  // A sign after the statement's word starts a value; elsewhere operators stay tight.
  const signs =
    'model a: gan {\n  generator {\n    leakyrelu   -0.2\n    dense 7 * 7 - 1\n    reshape [ -1 ,7,7 ]\n  }\n}\n';
  assert.equal(
    format(signs),
    'model a: gan {\n  generator {\n    leakyrelu -0.2\n    dense 7*7-1\n    reshape [-1, 7, 7]\n  }\n}\n',
  );
  assert.deepEqual(meaning(analyze(format(signs))), meaning(analyze(signs)));
});

test('format: never destroys broken text and stays idempotent on random edits of the examples', () => {
  const sources = EXAMPLES.map((e) => e.text);
  const pieces = [
    '{',
    '}',
    '"',
    '#',
    '=',
    '[',
    ']',
    '(',
    ')',
    '*',
    '-',
    ';',
    ':',
    '\n',
    ' ',
    '2e',
    'x',
    'model ',
    '\r\n',
    '\t',
  ];
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: sources.length - 1 }),
      fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom(...pieces)), { minLength: 1, maxLength: 4 }),
      (which, edits) => {
        let text = sources[which];
        for (const [at, del, piece] of edits) {
          const i = at % (text.length + 1);
          text = text.slice(0, i) + piece + text.slice(i + del);
        }
        const once = format(text);
        assert.equal(format(once), once);
        const words = (s: string): string => s.replace(/\s+/g, '');
        // Formatting only moves whitespace.
        assert.equal(words(once), words(text));
      },
    ),
    { numRuns: 300, seed: 42 },
  );
});

test('format: edits for the whole document and for a range', () => {
  const messy = fixture('messy.gan');
  assert.equal(applyEdits(messy, formatEdits(messy)), format(messy));
  assert.deepEqual(formatEdits(format(messy)), []);

  const text =
    'model a: gan {\n  data mnist{batch   64}\n  generator {\n  dense   1\n        relu\n  }\n    latent   8\n}\n';
  // A range on one layer line formats that line only.
  const oneLine = formatRangeEdits(text, {
    start: { line: 3, character: 0 },
    end: { line: 3, character: 3 },
  });
  assert.equal(
    applyEdits(text, oneLine),
    'model a: gan {\n  data mnist{batch   64}\n  generator {\n    dense 1\n        relu\n  }\n    latent   8\n}\n',
  );
  // A range touching the `generator {` head formats the whole block.
  const block = formatRangeEdits(text, { start: { line: 2, character: 2 }, end: { line: 2, character: 4 } });
  assert.equal(
    applyEdits(text, block),
    'model a: gan {\n  data mnist{batch   64}\n  generator {\n    dense 1\n    relu\n  }\n    latent   8\n}\n',
  );
  assert.deepEqual(
    formatRangeEdits(format(text), { start: { line: 0, character: 0 }, end: { line: 8, character: 0 } }),
    [],
  );
});
