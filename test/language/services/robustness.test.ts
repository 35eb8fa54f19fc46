import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze } from '../../../src/language/analyze';
import * as services from '../../../src/language/services';
import { EXAMPLES } from './cursor';

const PIECES = [
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
  'x',
  'model ',
  'extends ',
  '\r\n',
];

test('services: never throw on any cursor position of randomly broken examples', () => {
  const sources = EXAMPLES.map((e) => e.text);
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: sources.length - 1 }),
      fc.array(fc.tuple(fc.nat(), fc.nat(4), fc.constantFrom(...PIECES)), { maxLength: 4 }),
      fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
      (which, edits, cursors) => {
        let text = sources[which];
        for (const [at, del, piece] of edits) {
          const i = at % (text.length + 1);
          text = text.slice(0, i) + piece + text.slice(i + del);
        }
        const analysis = analyze(text);
        const whole = { start: { line: 0, character: 0 }, end: analysis.lines.position(text.length) };
        services.inlayHints(analysis, whole);
        services.documentSymbols(analysis);
        services.foldingRanges(analysis);
        services.encodeSemanticTokens(services.semanticTokens(analysis));
        services.codeActions(analysis, whole);
        for (const c of cursors) {
          const position = analysis.lines.position(c % (text.length + 1));
          for (const item of services.complete(analysis, position)) assert.ok(item.label.length > 0);
          services.hover(analysis, position);
          services.definition(analysis, position);
          services.references(analysis, position);
          services.prepareRename(analysis, position);
          services.rename(analysis, position, 'renamed_model');
        }
      },
    ),
    { numRuns: 150, seed: 7 },
  );
});
