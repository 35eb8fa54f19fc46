// Offset <-> position helpers shared by the services.
import type { TextEdit } from '../diagnostics';
import type { LineMap, Span } from '../syntax';
import type { RangeEdit } from './types';

export function toRangeEdit(lines: LineMap, edit: TextEdit): RangeEdit {
  return { range: lines.range(edit), newText: edit.newText };
}

/** True when the spans overlap or touch (an empty span counts at its point). */
export function touches(a: Span, b: Span): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/** Start offset of the line holding `offset`. */
export function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** End offset (before the line break) of the line holding `offset`. */
export function lineEndOf(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/** Thousands separators: 1254400 -> "1,254,400". */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** Compact count: 1254400 -> "1.25M", 12800 -> "12.8k", 640 -> "640". */
export function compactCount(n: number): string {
  const units: [number, string][] = [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) {
    if (n >= size) return `${Number((n / size).toPrecision(3))}${suffix}`;
  }
  return String(n);
}

/** A shape as the editor shows it: [7, 7, 256] -> "7×7×256". */
export function shapeText(shape: readonly number[]): string {
  return shape.join('×');
}
