// Error-tolerant parser: text -> GanFile. It never throws; after an error it reports it and
// recovers at the next statement or brace, so the rest of the file is still checked.
// One file past 400 lines on purpose: every rule shares the token cursor, the depth limit and
// the recovery points, and split across modules those would have to be passed around as state.
import { tokenize, type Token } from './lexer';
import type {
  Block,
  Comment,
  GanFile,
  Identifier,
  ModelDecl,
  NamedArg,
  ParseError,
  Statement,
  ValueNode,
} from './syntax';

export function parse(text: string): GanFile {
  return new Parser(text).parseFile();
}

const MAX_DEPTH = 64;
/** Operators in one expression; keeps evaluation of the (left-deep) tree within the stack. */
const MAX_OPERATORS = 1000;

class Parser {
  private readonly all: Token[];
  private readonly toks: Token[];
  /** Index into `all` of each significant token (for doc comments). */
  private readonly allIndex: number[];
  private pos = 0;
  private readonly errors: ParseError[] = [];
  private readonly comments: Comment[] = [];
  private depth = 0;
  private operators = 0;

  constructor(private readonly text: string) {
    this.all = tokenize(text);
    this.toks = [];
    this.allIndex = [];
    this.all.forEach((t, i) => {
      if (t.kind === 'comment') this.comments.push({ start: t.start, end: t.end, text: t.text.slice(1) });
      else {
        this.toks.push(t);
        this.allIndex.push(i);
      }
    });
  }

  parseFile(): GanFile {
    const models: ModelDecl[] = [];
    const strays: Statement[] = [];
    while (!this.at('eof')) {
      const t = this.peek();
      if (t.kind === 'newline' || t.kind === 'semicolon') {
        this.pos++;
      } else if (t.kind === 'ident' && t.text === 'model') {
        models.push(this.parseModel());
      } else if (t.kind === 'rbrace') {
        this.error('E102', t, 'Unmatched `}`: there is no open `{` for it to close. Remove it.');
        this.pos++;
      } else if (t.kind === 'ident') {
        strays.push(this.parseStatement(false));
      } else {
        this.unexpected(t);
        this.skipToLineEnd();
      }
    }
    return { text: this.text, models, strays, comments: this.comments, errors: this.errors };
  }

  // ------------------------------------------------------------------ models

  private parseModel(): ModelDecl {
    const kw = this.next();
    let name: Identifier | null = null;
    let family: Identifier | null = null;
    let base: Identifier | null = null;
    if (this.atWord()) name = this.wordAsName();
    else if (this.at('ident') && this.peek().text !== 'extends') name = this.ident();
    else this.error('E100', this.peek(), 'Expected a model name after `model`, e.g. `model dcgan: gan {`.');
    if (this.at('colon')) {
      this.pos++;
      if (this.atWord()) family = this.wordAsName();
      else if (this.at('ident')) family = this.ident();
      else this.error('E100', this.peek(), 'Expected a family after `:` (gan, cgan, vae or cyclegan).');
    } else if (this.at('ident') && this.peek().text === 'extends') {
      this.pos++;
      if (this.atWord()) base = this.wordAsName();
      else if (this.at('ident')) base = this.ident();
      else this.error('E100', this.peek(), 'Expected the name of the model to extend after `extends`.');
    } else if (name && this.at('ident') && this.peekAt(1).kind === 'ident') {
      // `model b extend a {`: a misspelt `extends`; read the base so the body is still checked.
      const word = this.next();
      this.error(
        'E100',
        word,
        `Expected \`extends\`, not \`${word.text}\`: \`model ${name.name} extends BASE {\`.`,
      );
      base = this.ident();
    } else if (
      name &&
      (this.at('ident') || (this.atAny('equals', 'op') && this.peekAt(1).kind === 'ident'))
    ) {
      // `model x gan {` or `model x = gan {`: the family without its colon.
      const wrong = this.peek();
      if (wrong.kind !== 'ident') this.pos++;
      family = this.ident();
      this.error(
        'E100',
        wrong,
        `Expected \`:\` before the family: \`model ${name.name}: ${family.name} {\`.`,
      );
    } else if (name) {
      this.error(
        'E100',
        this.peek(),
        'Expected `: FAMILY` or `extends BASE` after the model name, e.g. `model dcgan: gan {`.',
      );
    }
    // Anything else before the block is unexpected.
    while (!this.atAny('lbrace', 'newline', 'semicolon', 'eof', 'rbrace')) {
      this.unexpected(this.peek());
      this.pos++;
    }
    let block: Block | null = null;
    const save = this.pos;
    this.skipNewlines();
    if (this.at('lbrace')) block = this.parseBlock(true);
    else if (name && this.pos > save && this.at('ident') && this.peek().text !== 'model') {
      // The body follows without its `{`: report that once and read the lines as the body anyway,
      // so they are checked as sections rather than as stray statements.
      this.error('E100', this.toks[save], 'Expected `{` at the end of this line to open the model body.');
      block = this.parseBlock(true, false);
    } else {
      this.pos = save;
      if (name) this.error('E100', this.peek(), 'Expected `{` to open the model body.');
    }
    const end = block ? block.end : Math.max(kw.end, name?.end ?? 0, family?.end ?? 0, base?.end ?? 0);
    return {
      start: kw.start,
      end,
      keyword: { start: kw.start, end: kw.end },
      name,
      family,
      base,
      block,
      doc: this.docAbove(this.pos0(kw)),
    };
  }

  private pos0(tok: Token): number {
    // index of tok in toks
    let lo = 0;
    let hi = this.toks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.toks[mid].start < tok.start) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The comment lines directly above token index `sigIndex` (no blank line between). */
  private docAbove(sigIndex: number): string {
    let i = this.allIndex[sigIndex] - 1;
    const lines: string[] = [];
    if (i >= 0 && this.all[i].kind !== 'newline') return '';
    while (i >= 1 && this.all[i].kind === 'newline' && this.all[i - 1].kind === 'comment') {
      const before = i - 2;
      if (before >= 0 && this.all[before].kind !== 'newline') break; // a trailing comment, not a doc line
      lines.unshift(this.all[i - 1].text.slice(1).trim());
      i -= 2;
    }
    return lines.join('\n');
  }

  // ------------------------------------------------------------------ statements

  /** `opened`: false for a model body whose `{` is missing (already reported). */
  private parseBlock(inModel: boolean, opened = true): Block {
    const open = opened ? this.next() : this.peek();
    const statements: Statement[] = [];
    this.depth++;
    try {
      for (;;) {
        const t = this.peek();
        if (t.kind === 'rbrace') {
          this.pos++;
          return { start: open.start, end: t.end, statements, closed: true };
        }
        if (t.kind === 'eof' || (inModel && t.kind === 'ident' && t.text === 'model' && this.atLineStart())) {
          if (opened) this.error('E101', open, 'Unclosed `{`: add a matching `}` to close this block.');
          const last = statements[statements.length - 1];
          return { start: open.start, end: last ? last.end : open.end, statements, closed: false };
        }
        if (t.kind === 'newline' || t.kind === 'semicolon') {
          this.pos++;
        } else if (t.kind === 'ident') {
          statements.push(this.parseStatement(inModel));
        } else if (t.kind === 'lbrace') {
          this.unexpected(
            t,
            'A block `{` must follow a statement word on the same line, e.g. `generator {`.',
          );
          this.nestedBlock(inModel);
        } else {
          this.unexpected(t);
          this.skipToLineEnd();
        }
      }
    } finally {
      this.depth--;
    }
  }

  /** The only way into a nested block, so every path honours the depth limit (parseBlock
   *  recurses; thousands of stray `{` would otherwise overflow the stack). */
  private nestedBlock(inModel: boolean): Block | null {
    if (this.depth < MAX_DEPTH) return this.parseBlock(inModel);
    this.error('E100', this.peek(), `Blocks nest more than ${MAX_DEPTH} deep.`);
    this.skipBalanced();
    return null;
  }

  private parseStatement(inModel: boolean): Statement {
    const word = this.ident();
    const positional: ValueNode[] = [];
    const named: NamedArg[] = [];
    let block: Block | null = null;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'newline' || t.kind === 'semicolon' || t.kind === 'eof' || t.kind === 'rbrace') break;
      if (t.kind === 'lbrace') {
        block = this.nestedBlock(inModel);
        break;
      }
      if (t.kind === 'ident' && this.peekAt(1).kind === 'equals') {
        const name = this.ident();
        const eq = this.next();
        this.operators = 0;
        const value = this.startsValue(this.peek())
          ? this.parseExpr()
          : this.missing(this.peek(), `Expected a value after \`${name.name}=\`.`);
        named.push({ start: name.start, end: Math.max(value.end, eq.end), name, equals: eq.start, value });
        continue;
      }
      if (t.kind === 'equals') {
        this.unexpected(t, 'Unexpected `=`: write parameters as `name=value`.');
        this.pos++;
        continue;
      }
      if (this.startsValue(t)) {
        this.operators = 0;
        positional.push(this.parseExpr());
        continue;
      }
      this.unexpected(t);
      this.pos++;
    }
    const last = block ?? named[named.length - 1] ?? positional[positional.length - 1] ?? word;
    const end = Math.max(last.end, named.length ? named[named.length - 1].end : 0);
    return { start: word.start, end, word, positional, named, block };
  }

  // ------------------------------------------------------------------ values

  private startsValue(t: Token): boolean {
    return (
      t.kind === 'number' ||
      t.kind === 'size' ||
      t.kind === 'string' ||
      t.kind === 'ident' ||
      t.kind === 'lbracket' ||
      t.kind === 'lparen' ||
      (t.kind === 'op' && (t.text === '-' || t.text === '+')) ||
      (t.kind === 'error' && (t.code === 'E104' || t.code === 'E103'))
    );
  }

  private parseExpr(depth = 0): ValueNode {
    let left = this.parseTerm(depth);
    while (this.at('op') && (this.peek().text === '+' || this.peek().text === '-')) {
      if (this.tooManyOperators()) break;
      const op = this.next().text as '+' | '-';
      const right = this.parseOperand(() => this.parseTerm(depth), op);
      left = { kind: 'binary', op, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private parseTerm(depth: number): ValueNode {
    let left = this.parseUnary(depth);
    while (this.at('op') && (this.peek().text === '*' || this.peek().text === '/')) {
      if (this.tooManyOperators()) break;
      const op = this.next().text as '*' | '/';
      const right = this.parseOperand(() => this.parseUnary(depth), op);
      left = { kind: 'binary', op, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private tooManyOperators(): boolean {
    if (++this.operators <= MAX_OPERATORS) return false;
    this.error(
      'E100',
      this.peek(),
      `Expression too long: more than ${MAX_OPERATORS} operators in one value.`,
    );
    this.skipToLineEnd();
    return true;
  }

  private parseOperand(read: () => ValueNode, op: string): ValueNode {
    if (this.startsValue(this.peek())) return read();
    return this.missing(this.peek(), `Expected a value after \`${op}\`.`);
  }

  private parseUnary(depth: number): ValueNode {
    const t = this.peek();
    if (t.kind === 'op' && (t.text === '-' || t.text === '+')) {
      this.pos++;
      if (depth > MAX_DEPTH) return this.missing(t, 'Expression nests too deeply.');
      const operand = this.parseOperand(() => this.parseUnary(depth + 1), t.text);
      if (t.text === '+') return operand;
      return { kind: 'unary', operand, start: t.start, end: operand.end };
    }
    return this.parsePrimary(depth);
  }

  private parsePrimary(depth: number): ValueNode {
    const t = this.peek();
    switch (t.kind) {
      case 'number':
        this.pos++;
        return { kind: 'number', value: t.number ?? NaN, text: t.text, start: t.start, end: t.end };
      case 'size':
        this.pos++;
        return { kind: 'size', dims: t.dims ?? [], text: t.text, start: t.start, end: t.end };
      case 'string':
        this.pos++;
        return { kind: 'string', value: t.value ?? '', start: t.start, end: t.end };
      case 'ident':
        this.pos++;
        return { kind: 'name', name: t.text, start: t.start, end: t.end };
      case 'error':
        this.pos++;
        this.error(t.code ?? 'E100', t, t.message ?? 'Unexpected input.');
        return { kind: 'missing', start: t.start, end: t.end };
      case 'lbracket':
        return this.parseList(depth);
      case 'lparen': {
        this.pos++;
        if (depth > MAX_DEPTH) return this.missing(t, 'Expression nests too deeply.');
        const inner = this.parseOperand(() => this.parseExpr(depth + 1), '(');
        if (this.at('rparen')) {
          const close = this.next();
          return { kind: 'paren', inner, start: t.start, end: close.end };
        }
        this.error('E100', this.peek(), 'Expected `)` to close the parenthesis.');
        return { kind: 'paren', inner, start: t.start, end: inner.end };
      }
      default:
        return this.missing(t, 'Expected a value.');
    }
  }

  private parseList(depth: number): ValueNode {
    const open = this.next();
    const items: ValueNode[] = [];
    if (depth > MAX_DEPTH) {
      this.error('E100', open, 'Lists nest too deeply.');
      this.skipToLineEnd();
      return { kind: 'missing', start: open.start, end: open.end };
    }
    for (;;) {
      const t = this.peek();
      if (t.kind === 'rbracket') {
        this.pos++;
        return { kind: 'list', items, start: open.start, end: t.end };
      }
      if (this.startsValue(t)) {
        items.push(this.parseExpr(depth + 1));
        if (this.at('comma')) this.pos++;
        else if (!this.at('rbracket')) {
          if (!this.startsValue(this.peek())) {
            this.error('E100', this.peek(), 'Expected `,` or `]` in the list.');
            return { kind: 'list', items, start: open.start, end: items[items.length - 1].end };
          }
        }
        continue;
      }
      this.error('E100', t, 'Expected `]` to close the list.');
      const end = items.length ? items[items.length - 1].end : open.end;
      return { kind: 'list', items, start: open.start, end };
    }
  }

  // ------------------------------------------------------------------ helpers

  private peek(): Token {
    return this.toks[this.pos];
  }

  private peekAt(k: number): Token {
    return this.toks[Math.min(this.pos + k, this.toks.length - 1)];
  }

  private at(kind: Token['kind']): boolean {
    return this.peek().kind === kind;
  }

  private atAny(...kinds: Token['kind'][]): boolean {
    return kinds.includes(this.peek().kind);
  }

  private atLineStart(): boolean {
    return this.pos === 0 || this.toks[this.pos - 1].kind === 'newline';
  }

  private next(): Token {
    const t = this.toks[this.pos];
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  /** A non-ASCII word where a name belongs: reported once, then read as the name. */
  private atWord(): boolean {
    return this.at('error') && this.peek().word === true;
  }

  private wordAsName(): Identifier {
    const t = this.peek();
    this.error(t.code ?? 'E100', t, t.message ?? 'Unexpected input.');
    return this.ident();
  }

  private ident(): Identifier {
    const t = this.next();
    return { name: t.text, start: t.start, end: t.end };
  }

  private skipNewlines(): void {
    while (this.at('newline') || this.at('semicolon')) this.pos++;
  }

  private skipToLineEnd(): void {
    while (!this.atAny('newline', 'semicolon', 'eof', 'rbrace', 'lbrace')) this.pos++;
    if (this.at('lbrace')) this.skipBalanced();
  }

  private skipBalanced(): void {
    let depth = 0;
    while (!this.at('eof')) {
      const t = this.next();
      if (t.kind === 'lbrace') depth++;
      else if (t.kind === 'rbrace' && --depth <= 0) return;
    }
  }

  private missing(at: Token, message: string): ValueNode {
    this.error('E100', at, message);
    return { kind: 'missing', start: at.start, end: at.start };
  }

  private unexpected(t: Token, message?: string): void {
    if (t.kind === 'error') {
      this.error(t.code ?? 'E100', t, t.message ?? 'Unexpected input.');
      return;
    }
    const shown = t.kind === 'eof' ? 'end of file' : t.kind === 'newline' ? 'end of line' : `\`${t.text}\``;
    this.error('E100', t, message ?? `Unexpected ${shown}.`);
  }

  private error(code: ParseError['code'], at: { start: number; end: number }, message: string): void {
    const prev = this.errors[this.errors.length - 1];
    if (prev && prev.start === at.start && prev.code === code) return;
    this.errors.push({ code, message, start: at.start, end: Math.max(at.end, at.start) });
  }
}
