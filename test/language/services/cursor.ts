// Test helper: text with one `<|>` cursor marker -> the clean text, the cursor position and its analysis.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../../src/language/analyze';
import type { Analysis } from '../../../src/language/analyze';
import type { Position } from '../../../src/language/syntax';

export const MARKER = '<|>';

export interface AtCursor {
  readonly text: string;
  readonly offset: number;
  readonly position: Position;
  readonly analysis: Analysis;
}

export function atCursor(source: string): AtCursor {
  const offset = source.indexOf(MARKER);
  if (offset < 0 || source.indexOf(MARKER, offset + 1) >= 0)
    throw new Error('expected exactly one <|> marker');
  const text = source.slice(0, offset) + source.slice(offset + MARKER.length);
  const analysis = analyze(text);
  return { text, offset, position: analysis.lines.position(offset), analysis };
}

/** The position of the `nth` occurrence of `needle` in `text`, plus `delta` characters. */
export function positionOf(analysis: Analysis, needle: string, delta = 0, nth = 0): Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = analysis.file.text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`${needle} not found`);
  }
  return analysis.lines.position(at + delta);
}

export const ROOT = join(__dirname, '..', '..', '..');
/** Every example model file. */
export const EXAMPLES = readdirSync(join(ROOT, 'examples'))
  .filter((f) => f.endsWith('.gan'))
  .sort()
  .map((name) => ({ name, text: readFileSync(join(ROOT, 'examples', name), 'utf8') }));

export function example(name: string): string {
  const found = EXAMPLES.find((e) => e.name === name);
  if (!found) throw new Error(`no example ${name}`);
  return found.text;
}

export function fixture(name: string): string {
  return readFileSync(join(ROOT, 'test', 'fixtures', 'services', name), 'utf8');
}
