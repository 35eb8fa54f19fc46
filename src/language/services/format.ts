// The formatter. It re-spaces tokens and never changes them, so the meaning cannot change:
//  - indentation: 2 spaces per open `{`; a line starting with `}` dedents;
//  - one space between words and values, none around `=` (`kernel=5`), none around binary
//    operators (`7*7*256`), `[7, 7, 256]` inside lists, `model x: gan {`;
//  - numbers, strings and comments are printed exactly as written (`2e-4` stays `2e-4`);
//  - one-line blocks (`train { epochs 20; seed 42 }`) stay on one line; nothing is split or joined;
//  - blank lines collapse to at most one; none at the start or end; one final line break;
//  - own-line comments are re-indented; a trailing comment keeps its column when the code still
//    fits before it, otherwise it sits two spaces after the code;
//  - the file's line break style (CRLF or LF) is kept.
// A model that contains a syntax error is left exactly as written, and so is any other line
// with an error: formatting never destroys text the parser could not read.
import type { Token } from '../lexer';
import { tokenize } from '../lexer';
import { parse } from '../parser';
import type { GanFile, Range, Statement } from '../syntax';
import { LineMap } from '../syntax';
import type { RangeEdit } from './types';

const INDENT = '  ';

/** The formatted text. format(format(x)) === format(x). */
export function format(text: string): string {
  const plan = planLines(text);
  const out = collapseBlanks(plan.lines, 0, plan.lines.length, true);
  if (out.length === 0) return plan.bom;
  const result = plan.bom + out.join(plan.eol) + plan.eol;
  return sameTokens(text, result) ? result : text;
}

/** Whole-document formatting as edits: none when the text is already formatted. */
export function formatEdits(text: string): RangeEdit[] {
  const formatted = format(text);
  if (formatted === text) return [];
  const lines = new LineMap(text);
  return [
    { range: { start: { line: 0, character: 0 }, end: lines.position(text.length) }, newText: formatted },
  ];
}

/**
 * Formats the lines of the statements that overlap `range` (a statement that starts in the
 * range is formatted with its whole block). Returns at most one edit.
 */
export function formatRangeEdits(text: string, range: Range): RangeEdit[] {
  const plan = planLines(text);
  const file = parse(text);
  const map = new LineMap(text);
  const first = Math.max(0, range.start.line);
  let last = Math.min(plan.lines.length - 1, range.end.line);
  if (range.end.character === 0 && last > first) last--;
  if (first > last) return [];
  // A statement (or model) that starts in the range is formatted with its whole block.
  const startsInRange = (offset: number): boolean => {
    const line = map.position(offset).line;
    return line >= first && line <= last;
  };
  let end = last;
  for (const model of file.models) {
    const spans = [model, ...allStatements(model.block?.statements ?? [])];
    for (const s of spans) if (startsInRange(s.start)) end = Math.max(end, map.position(s.end).line);
  }
  last = Math.min(plan.lines.length - 1, end);
  const replaced = collapseBlanks(plan.lines, first, last + 1, false);
  const startOffset = map.lineStart(first) + (first === 0 ? plan.bom.length : 0);
  const endOffset = lineEnd(text, map.lineStart(last));
  const original = text.slice(startOffset, endOffset);
  const newText = replaced.join(plan.eol);
  if (newText === original) return [];
  const candidate = text.slice(0, startOffset) + newText + text.slice(endOffset);
  if (!sameTokens(text, candidate)) return [];
  return [{ range: { start: map.position(startOffset), end: map.position(endOffset) }, newText }];
}

function allStatements(stmts: readonly Statement[]): Statement[] {
  return stmts.flatMap((s) => [s, ...allStatements(s.block?.statements ?? [])]);
}

function lineEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

// ------------------------------------------------------------------ line plan

interface PlannedLine {
  /** The printed line, or the original when kept as written. */
  readonly text: string;
  /** Blank lines collapse; a blank line inside text kept as written is not `blank`. */
  readonly blank: boolean;
}

interface Plan {
  readonly lines: PlannedLine[];
  readonly eol: string;
  readonly bom: string;
}

function planLines(source: string): Plan {
  const bom = source.startsWith('\uFEFF') ? '\uFEFF' : '';
  const text = bom ? source.slice(1) : source;
  const eol = /\r\n|\n|\r/.exec(text)?.[0] ?? '\n';
  const rawLines = text.split(/\r\n|\n|\r/);
  const tokensByLine: Token[][] = rawLines.map(() => []);
  let line = 0;
  for (const t of tokenize(text)) {
    if (t.kind === 'eof') break;
    if (t.kind === 'newline') line++;
    else tokensByLine[line].push(t);
  }
  const file = parse(text);
  const map = new LineMap(text);
  const verbatim = verbatimLines(file, map, text.length, rawLines.length);
  const modelStarts = new Set(file.models.map((m) => map.position(m.start).line));
  const lines: PlannedLine[] = [];
  let depth = 0;
  rawLines.forEach((raw, i) => {
    const tokens = tokensByLine[i];
    if (modelStarts.has(i)) depth = 0;
    const leadingCloses = countLeading(tokens, 'rbrace');
    if (verbatim.has(i)) lines.push({ text: raw, blank: false });
    else if (tokens.length === 0) lines.push({ text: '', blank: true });
    else {
      const lineStart = map.lineStart(i);
      lines.push({
        text: printLine(tokens, Math.max(0, depth - leadingCloses), lineStart),
        blank: false,
      });
    }
    for (const t of tokens) {
      if (t.kind === 'lbrace') depth++;
      else if (t.kind === 'rbrace') depth = Math.max(0, depth - 1);
    }
  });
  return { lines, eol, bom };
}

function countLeading(tokens: readonly Token[], kind: Token['kind']): number {
  let n = 0;
  while (n < tokens.length && tokens[n].kind === kind) n++;
  return n;
}

/** Lines kept as written: every line of a model with a syntax error, and other lines with one. */
function verbatimLines(file: GanFile, map: LineMap, textLength: number, lineCount: number): Set<number> {
  const out = new Set<number>();
  const markLines = (start: number, end: number): void => {
    const a = map.position(start).line;
    const b = Math.min(lineCount - 1, map.position(Math.max(start, end - 1)).line);
    for (let l = a; l <= b; l++) out.add(l);
  };
  for (const e of file.errors) {
    const model = file.models.find((m) => e.start >= m.start && e.start <= m.end);
    if (model) markLines(model.start, model.end);
    else markLines(e.start, e.end);
  }
  for (const m of file.models) if (m.block && !m.block.closed) markLines(m.start, textLength);
  return out;
}

// ------------------------------------------------------------------ one line

const NO_SPACE_BEFORE = new Set<Token['kind']>([
  'comma',
  'semicolon',
  'rparen',
  'rbracket',
  'colon',
  'equals',
]);
const NO_SPACE_AFTER = new Set<Token['kind']>(['lparen', 'lbracket', 'equals', 'op']);
const STATEMENT_BREAK = new Set<Token['kind']>(['semicolon', 'lbrace', 'rbrace']);

function printLine(tokens: readonly Token[], depth: number, lineStart: number): string {
  const pad = INDENT.repeat(depth);
  let code = '';
  let prev: Token | null = null;
  let prevWasStatementWord = false;
  let atStatementStart = true;
  let comment: Token | null = null;
  for (const t of tokens) {
    if (t.kind === 'comment') {
      comment = t;
      continue;
    }
    if (prev) code += gap(prev, t, prevWasStatementWord);
    code += t.text;
    prevWasStatementWord = atStatementStart && t.kind === 'ident';
    atStatementStart = STATEMENT_BREAK.has(t.kind);
    prev = t;
  }
  if (!comment) return pad + code;
  const commentText = comment.text.trimEnd();
  if (!code) return pad + commentText;
  const width = pad.length + code.length;
  const column = comment.start - lineStart;
  return pad + code + ' '.repeat(width + 1 <= column ? column - width : 2) + commentText;
}

function gap(a: Token, b: Token, aIsStatementWord: boolean): string {
  if (NO_SPACE_BEFORE.has(b.kind) || (a.kind === 'lbrace' && b.kind === 'rbrace')) return '';
  if (NO_SPACE_AFTER.has(a.kind)) return '';
  // A sign right after the statement's word starts a value (`leakyrelu -0.2`); anywhere else an
  // operator joins two operands and stays tight (`7*7*256`, `64-1`).
  if (b.kind === 'op') return aIsStatementWord ? ' ' : '';
  return ' ';
}

// ------------------------------------------------------------------ whole-file rules

function collapseBlanks(
  lines: readonly PlannedLine[],
  from: number,
  to: number,
  trimEnds: boolean,
): string[] {
  const out: string[] = [];
  let pendingBlank = false;
  for (let i = from; i < to; i++) {
    const l = lines[i];
    if (l.blank) {
      pendingBlank = true;
      continue;
    }
    if (pendingBlank && (out.length > 0 || !trimEnds)) out.push('');
    pendingBlank = false;
    out.push(l.text);
  }
  if (pendingBlank && !trimEnds) out.push('');
  return out;
}

/** The token sequences (line breaks aside) of two texts are identical. */
function sameTokens(a: string, b: string): boolean {
  const sig = (s: string): string[] =>
    tokenize(s)
      .filter((t) => t.kind !== 'newline')
      .map((t) => `${t.kind}:${t.kind === 'comment' ? t.text.trimEnd() : t.text}`);
  const x = sig(a);
  const y = sig(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}
