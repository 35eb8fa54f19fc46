// The syntax tree of a .gan file. Every node carries [start, end) character offsets into the text;
// `LineMap` converts them to line/character positions.

export interface Span {
  readonly start: number;
  readonly end: number;
}

export type BinaryOperator = '+' | '-' | '*' | '/';

export type ValueNode =
  | (Span & { readonly kind: 'number'; readonly value: number; readonly text: string })
  | (Span & { readonly kind: 'size'; readonly dims: readonly number[]; readonly text: string })
  | (Span & { readonly kind: 'string'; readonly value: string })
  | (Span & { readonly kind: 'name'; readonly name: string })
  | (Span & { readonly kind: 'list'; readonly items: readonly ValueNode[] })
  | (Span & { readonly kind: 'paren'; readonly inner: ValueNode })
  | (Span & { readonly kind: 'unary'; readonly operand: ValueNode })
  | (Span & {
      readonly kind: 'binary';
      readonly op: BinaryOperator;
      readonly left: ValueNode;
      readonly right: ValueNode;
    })
  /** A value the parser could not read; an error was already reported for it. */
  | (Span & { readonly kind: 'missing' });

export interface Identifier extends Span {
  readonly name: string;
}

export interface NamedArg extends Span {
  readonly name: Identifier;
  /** Offset of the `=`. */
  readonly equals: number;
  readonly value: ValueNode;
}

export interface Block extends Span {
  readonly statements: readonly Statement[];
  /** False when the file ended before the closing brace. */
  readonly closed: boolean;
}

/** `word positional* (name=value)* [ "{" statement* "}" ]` */
export interface Statement extends Span {
  readonly word: Identifier;
  readonly positional: readonly ValueNode[];
  readonly named: readonly NamedArg[];
  readonly block: Block | null;
}

export interface ModelDecl extends Span {
  readonly name: Identifier | null;
  /** `model NAME: FAMILY` */
  readonly family: Identifier | null;
  /** `model NAME extends BASE` */
  readonly base: Identifier | null;
  readonly block: Block | null;
  /** Span of the `model` keyword. */
  readonly keyword: Span;
  /** The comment lines directly above the declaration, without `#`. */
  readonly doc: string;
}

export interface Comment extends Span {
  readonly text: string;
}

export interface ParseError extends Span {
  readonly code: 'E100' | 'E101' | 'E102' | 'E103' | 'E104';
  readonly message: string;
}

export interface GanFile {
  readonly text: string;
  readonly models: readonly ModelDecl[];
  /** Top-level statements that are not model declarations (reported by the checker). */
  readonly strays: readonly Statement[];
  readonly comments: readonly Comment[];
  readonly errors: readonly ParseError[];
}

export interface Position {
  /** 0-based. */
  readonly line: number;
  /** 0-based, in UTF-16 code units. */
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

/** Converts offsets to positions and back. */
export class LineMap {
  private readonly lineStarts: number[];

  constructor(private readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.lineStarts[lo] };
  }

  offset(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[position.line];
    const next =
      position.line + 1 < this.lineStarts.length ? this.lineStarts[position.line + 1] : this.text.length + 1;
    const lineEnd = Math.max(start, next - 1);
    return Math.min(start + Math.max(0, position.character), lineEnd, this.text.length);
  }

  range(span: Span): Range {
    return { start: this.position(span.start), end: this.position(span.end) };
  }

  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))];
  }
}
