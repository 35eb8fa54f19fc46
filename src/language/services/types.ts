// Plain-data shapes returned by the editor services. They mirror the LSP's shapes without
// depending on it: positions are 0-based {line, character} (UTF-16) as in syntax.ts, and every
// edit is a line/character range plus replacement text.
import type { Range } from '../syntax';

export type { Position, Range } from '../syntax';

/** Replace `range` with `newText`. */
export interface RangeEdit {
  readonly range: Range;
  readonly newText: string;
}
