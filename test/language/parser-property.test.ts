// Thousands of random mutations of the examples never make the checker throw, and every range
// it returns lies inside the document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze, tokenize } from '../../src/language';
import { exampleFiles } from './helpers';

const examples = exampleFiles().map((e) => e.text);

type Mutation =
  | { kind: 'delete'; at: number }
  | { kind: 'duplicate'; at: number }
  | { kind: 'swap'; at: number; with: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'bytes'; at: number; bytes: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('bytes' as const),
    at: fc.nat(),
    bytes: fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.constantFrom(
        '{',
        '}',
        '[',
        ']',
        '(',
        ')',
        '"',
        '=',
        ':',
        ';',
        '#',
        '\r\n',
        '\u0000',
        '\uD800',
        '2e',
        '7x',
        '-',
        '*',
        '/',
      ),
    ),
  }),
);

/** Applies a mutation at token granularity (or raw text for truncation and random bytes). */
function mutate(text: string, m: Mutation): string {
  const tokens = tokenize(text).filter((t) => t.kind !== 'eof');
  if (tokens.length === 0) return text;
  const tok = tokens[m.at % tokens.length];
  switch (m.kind) {
    case 'delete':
      return text.slice(0, tok.start) + text.slice(tok.end);
    case 'duplicate':
      return text.slice(0, tok.end) + ' ' + text.slice(tok.start, tok.end) + text.slice(tok.end);
    case 'swap': {
      const other = tokens[m.with % tokens.length];
      const [a, b] = tok.start < other.start ? [tok, other] : [other, tok];
      if (a === b || a.end > b.start) return text;
      return (
        text.slice(0, a.start) +
        text.slice(b.start, b.end) +
        text.slice(a.end, b.start) +
        text.slice(a.start, a.end) +
        text.slice(b.end)
      );
    }
    case 'truncate':
      return text.slice(0, m.at % (text.length + 1));
    case 'bytes': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.bytes + text.slice(at);
    }
  }
}

function assertWellFormed(text: string): void {
  const a = analyze(text);
  for (const d of a.diagnostics) {
    assert.ok(
      d.start >= 0 && d.start <= d.end && d.end <= text.length,
      `diagnostic ${d.code} range ${d.start}-${d.end} outside 0-${text.length}`,
    );
    for (const f of d.fixes)
      for (const e of f.edits)
        assert.ok(e.start >= 0 && e.start <= e.end && e.end <= text.length, `fix edit outside the document`);
  }
  for (const m of a.models) {
    assert.ok(m.decl.start >= 0 && m.decl.end <= text.length);
    for (const info of m.layers.values()) assert.ok(info.stmt.end <= text.length);
  }
  const last = a.lines.position(text.length);
  assert.ok(last.line < a.lines.lineCount);
}

test('random token mutations of every example never throw and keep ranges inside the document', () => {
  fc.assert(
    fc.property(
      fc.nat(examples.length - 1),
      fc.array(mutation, { minLength: 1, maxLength: 4 }),
      (which, ms) => {
        let text = examples[which];
        for (const m of ms) text = mutate(text, m);
        assertWellFormed(text);
      },
    ),
    { numRuns: 3000, seed: 20261123 },
  );
});

test('arbitrary unicode text never throws', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => assertWellFormed(text)),
    { numRuns: 1000, seed: 7 },
  );
});

test('pathological inputs: a 1 MB line, deep nesting, long expressions', () => {
  assertWellFormed(examples[0] + 'x'.repeat(1_000_000));
  assertWellFormed('model m: gan {\n  latent ' + '7*'.repeat(100_000) + '7\n}\n');
  assertWellFormed('model m: gan {\n' + 'generator {\n'.repeat(5_000) + '}\n'.repeat(10));
  assertWellFormed('model m: gan {\n  latent ' + '('.repeat(50_000) + '1\n}');
  assertWellFormed('model m: gan {\n  data mnist { scale ' + '['.repeat(50_000) + ' }\n}');
  assertWellFormed('\u0000'.repeat(10_000));
  assertWellFormed('model m extends m {}\n'.repeat(1_000));
});

test('thousands of stray `{` inside a model are reported, not a stack overflow', () => {
  for (const braces of ['{'.repeat(10_000), '{\n'.repeat(10_000), '{ '.repeat(6_000) + '}'.repeat(100)]) {
    const text = `model m: gan {\n${braces}\n}\n`;
    assertWellFormed(text);
    const codes = new Set(analyze(text).diagnostics.map((d) => d.code));
    assert.ok(codes.has('E100'), [...codes].join(', '));
  }
});

test('incremental re-analysis equals a fresh analysis after random edits', () => {
  fc.assert(
    fc.property(
      fc.nat(examples.length - 1),
      fc.array(
        fc.record({
          at: fc.nat(),
          del: fc.nat(3),
          ins: fc.constantFrom('', 'x', '1', ' ', '\n', '}', 'model q extends dcgan {}\n'),
        }),
        {
          minLength: 1,
          maxLength: 6,
        },
      ),
      (which, edits) => {
        let text =
          examples[which] +
          examples[which].replace(/model (\w+)/g, 'model $1_b').replace(/extends (\w+)/g, 'extends $1_b');
        let prev = analyze(text);
        for (const e of edits) {
          const at = e.at % (text.length + 1);
          text = text.slice(0, at) + e.ins + text.slice(at + e.del);
          const incremental = analyze(text, prev);
          const fresh = analyze(text);
          const strip = (a: ReturnType<typeof analyze>) =>
            a.diagnostics
              .map(
                (d) =>
                  `${d.code}@${d.start}-${d.end}:${d.message}|${d.fixes.map((f) => f.edits.map((x) => `${x.start},${x.end},${x.newText}`).join(';')).join('/')}`,
              )
              .sort();
          assert.deepEqual(strip(incremental), strip(fresh));
          assert.deepEqual(
            incremental.models.map((m) => [m.name, m.resolved?.source ?? null, [...m.layers.keys()]]),
            fresh.models.map((m) => [m.name, m.resolved?.source ?? null, [...m.layers.keys()]]),
          );
          prev = incremental;
        }
      },
    ),
    { numRuns: 300, seed: 99 },
  );
});
