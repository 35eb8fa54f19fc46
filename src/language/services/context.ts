// Where the cursor is, read from the tokens before it: the chain of open blocks (model, section,
// nested layers) and the words of the statement being typed. Reading tokens rather than the
// syntax tree keeps this working on the half-typed line under the cursor.
import type { Token } from '../lexer';
import { tokenize } from '../lexer';

export interface Frame {
  /** The words of the statement that opened the block. */
  readonly head: readonly Token[];
}

export interface ArgsSoFar {
  /** Values written without a name, each as its tokens. */
  readonly positional: readonly (readonly Token[])[];
  /** Names given as `name=value`. */
  readonly named: readonly string[];
  /** The name when the statement ends in `name=` (a value is expected next). */
  readonly pendingName: string | null;
  /** True when the statement ends inside an expression or list (`7*`, `[7, `). */
  readonly midValue: boolean;
}

export interface CursorContext {
  /** Open blocks from the outside in. */
  readonly frames: readonly Frame[];
  /** Tokens of the statement being typed, before the word under the cursor. */
  readonly segment: readonly Token[];
  /** The cursor is in a comment or string: nothing to complete. */
  readonly inert: boolean;
}

const isIdentChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_]/.test(c);

/** The word around `offset` ([start, end)); empty at a blank. */
export function wordAround(text: string, offset: number): { start: number; end: number } {
  let start = offset;
  while (start > 0 && isIdentChar(text[start - 1])) start--;
  let end = offset;
  while (end < text.length && isIdentChar(text[end])) end++;
  return { start, end };
}

/**
 * Reads the context of a cursor whose partial word starts at `wordStart`, scanning from `from`:
 * the start of a line outside any block (such as a top-level model's first line), or 0.
 */
export function cursorContext(text: string, wordStart: number, from = 0): CursorContext {
  const tokens = tokenize(text.slice(from, wordStart)).map((t) => ({
    ...t,
    start: t.start + from,
    end: t.end + from,
  }));
  const frames: Frame[] = [];
  let segment: Token[] = [];
  /** The last line's words, for a `{` alone on the next line (`model x: gan` ⏎ `{`). */
  let previousLine: Token[] = [];
  let lineStart = true;
  let inert = false;
  for (const t of tokens) {
    if (t.kind === 'eof') break;
    if (t.kind === 'comment') {
      if (t.end === wordStart) inert = true;
      continue;
    }
    if (t.kind === 'error' && t.code === 'E103' && t.end === wordStart) inert = true;
    if (t.kind === 'newline' || t.kind === 'semicolon') {
      if (segment.length || t.kind === 'semicolon') previousLine = segment;
      segment = [];
      lineStart = t.kind === 'newline';
      continue;
    }
    if (t.kind === 'lbrace') {
      frames.push({ head: segment.length ? segment : previousLine });
      previousLine = [];
      segment = [];
      lineStart = false;
      continue;
    }
    if (t.kind === 'rbrace') {
      previousLine = [];
      frames.pop();
      segment = [];
      lineStart = false;
      continue;
    }
    // Like the parser: `model` at the start of a line ends any unclosed model.
    if (t.kind === 'ident' && t.text === 'model' && lineStart && segment.length === 0) frames.length = 0;
    segment.push(t);
    lineStart = false;
  }
  return { frames, segment, inert };
}

const OPENERS = new Set(['lbracket', 'lparen']);
const CLOSERS = new Set(['rbracket', 'rparen']);

/** Splits a statement's tokens after its word into positional values and `name=value` pairs. */
export function argsSoFar(tokens: readonly Token[]): ArgsSoFar {
  const positional: Token[][] = [];
  const named: string[] = [];
  let pendingName: string | null = null;
  let midValue = false;
  let i = 0;
  const readValue = (): Token[] => {
    const start = i;
    let depth = 0;
    let expectOperand = true;
    while (i < tokens.length) {
      const t = tokens[i];
      if (depth > 0) {
        if (OPENERS.has(t.kind)) depth++;
        else if (CLOSERS.has(t.kind)) depth--;
        i++;
        if (depth === 0) expectOperand = false;
        continue;
      }
      if (expectOperand) {
        if (t.kind === 'op') i++;
        else if (OPENERS.has(t.kind)) {
          depth++;
          i++;
        } else if (['number', 'size', 'string', 'ident', 'error'].includes(t.kind)) {
          i++;
          expectOperand = false;
        } else break;
      } else if (t.kind === 'op') {
        i++;
        expectOperand = true;
      } else break;
    }
    midValue = depth > 0 || (expectOperand && i > start);
    return tokens.slice(start, i);
  };
  while (i < tokens.length) {
    const t = tokens[i];
    midValue = false;
    pendingName = null;
    if (t.kind === 'ident' && tokens[i + 1]?.kind === 'equals') {
      named.push(t.text);
      i += 2;
      if (i >= tokens.length) {
        pendingName = t.text;
        break;
      }
      readValue();
      continue;
    }
    const before = i;
    const value = readValue();
    if (value.length) positional.push(value);
    if (i === before) i++;
  }
  return { positional, named, pendingName, midValue };
}
