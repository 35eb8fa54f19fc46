// Turns .gan text into tokens. Never throws: malformed input becomes `error` tokens with a code.

export type TokenKind =
  | 'ident'
  | 'number'
  | 'size'
  | 'string'
  | 'newline'
  | 'semicolon'
  | 'lbrace'
  | 'rbrace'
  | 'lbracket'
  | 'rbracket'
  | 'lparen'
  | 'rparen'
  | 'comma'
  | 'equals'
  | 'colon'
  | 'op'
  | 'comment'
  | 'error'
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** number: its value; size: its dimensions; string: the unescaped value. */
  readonly number?: number;
  readonly dims?: readonly number[];
  readonly value?: string;
  /** error tokens: the diagnostic code and message. */
  readonly code?: 'E100' | 'E103' | 'E104';
  readonly message?: string;
  /** error tokens: a word with non-ASCII letters (`modèle`), usable where a name is expected. */
  readonly word?: boolean;
}

const PUNCTUATION: Record<string, TokenKind> = {
  ';': 'semicolon',
  '{': 'lbrace',
  '}': 'rbrace',
  '[': 'lbracket',
  ']': 'rbracket',
  '(': 'lparen',
  ')': 'rparen',
  ',': 'comma',
  '=': 'equals',
  ':': 'colon',
  '+': 'op',
  '-': 'op',
  '*': 'op',
  '/': 'op',
};

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isIdentStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isIdentPart = (c: number): boolean => isIdentStart(c) || isDigit(c);

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 0xfeff) {
      i++;
      continue;
    }
    if (c === 10 || c === 13) {
      const start = i;
      i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
      tokens.push({ kind: 'newline', start, end: i, text: text.slice(start, i) });
      continue;
    }
    if (c === 35 /* # */) {
      const start = i;
      while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
      tokens.push({ kind: 'comment', start, end: i, text: text.slice(start, i) });
      continue;
    }
    if (c === 34 /* " */) {
      tokens.push(readString(text, i));
      i = tokens[tokens.length - 1].end;
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
      tokens.push(readNumberOrSize(text, i));
      i = tokens[tokens.length - 1].end;
      continue;
    }
    if (isIdentStart(c) || startsUnicodeWord(text, i)) {
      const start = i;
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
      if (startsUnicodeWord(text, i)) {
        tokens.push(readUnicodeWord(text, start));
        i = tokens[tokens.length - 1].end;
        continue;
      }
      tokens.push({ kind: 'ident', start, end: i, text: text.slice(start, i) });
      continue;
    }
    const ch = text[i];
    const kind = PUNCTUATION[ch];
    if (kind) {
      tokens.push({ kind, start: i, end: i + 1, text: ch });
      i++;
      continue;
    }
    // Anything else: one error token per run of unknown characters.
    const start = i;
    const width = c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1;
    i += width;
    tokens.push({
      kind: 'error',
      start,
      end: i,
      text: text.slice(start, i),
      code: 'E100',
      message: `Unexpected character ${JSON.stringify(text.slice(start, i))}.`,
    });
  }
  tokens.push({ kind: 'eof', start: n, end: n, text: '' });
  return tokens;
}

const UNICODE_WORD_PART = /[\p{L}\p{N}\p{M}_]/uy;

function startsUnicodeWord(text: string, i: number): boolean {
  if (text.charCodeAt(i) < 128) return false;
  UNICODE_WORD_PART.lastIndex = i;
  return UNICODE_WORD_PART.test(text);
}

/** A name with non-ASCII letters: one error token for the whole word, so the parser can go on. */
function readUnicodeWord(text: string, start: number): Token {
  let i = start;
  for (;;) {
    UNICODE_WORD_PART.lastIndex = i;
    if (i >= text.length || !UNICODE_WORD_PART.test(text)) break;
    i = UNICODE_WORD_PART.lastIndex;
  }
  const raw = text.slice(start, i);
  const odd = [...raw].find((ch) => ch.charCodeAt(0) >= 128) ?? '';
  return {
    kind: 'error',
    start,
    end: i,
    text: raw,
    code: 'E100',
    message: `\`${raw}\`: names use ASCII letters, digits and \`_\` only (\`${odd}\` is not one). Non-ASCII text belongs in "strings" and # comments.`,
    word: true,
  };
}

function readString(text: string, start: number): Token {
  let i = start + 1;
  let value = '';
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      return { kind: 'string', start, end: i + 1, text: text.slice(start, i + 1), value };
    }
    if (ch === '\n' || ch === '\r') break;
    if (ch === '\\' && i + 1 < text.length && text[i + 1] !== '\n') {
      const next = text[i + 1];
      value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
      i += 2;
      continue;
    }
    value += ch;
    i++;
  }
  return {
    kind: 'error',
    start,
    end: i,
    text: text.slice(start, i),
    code: 'E103',
    message: 'Unterminated string: add the closing `"` on the same line.',
    value,
  };
}

/** Reads `64`, `0.5`, `2e-4`, `.5`, or a size such as `28x28` / `64x64x3`. */
function readNumberOrSize(text: string, start: number): Token {
  let i = start;
  const n = text.length;
  const readUnsigned = (): boolean => {
    const s = i;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    if (text[i] === '.' && isDigit(text.charCodeAt(i + 1))) {
      i++;
      while (i < n && isDigit(text.charCodeAt(i))) i++;
    } else if (text[i] === '.' && i > s) {
      i++; // `1.` is allowed
    }
    if ((text[i] === 'e' || text[i] === 'E') && i > s) {
      const save = i;
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (!isDigit(text.charCodeAt(i))) {
        i = save;
        return false;
      }
      while (i < n && isDigit(text.charCodeAt(i))) i++;
    }
    return i > s;
  };
  let ok = readUnsigned();
  const firstIsWhole = /^[0-9]+$/.test(text.slice(start, i));
  const dims: number[] = [Number(text.slice(start, i))];
  let isSize = false;
  while (ok && text[i] === 'x') {
    isSize = true;
    i++;
    const s = i;
    if (!isDigit(text.charCodeAt(i))) {
      ok = false;
      break;
    }
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    dims.push(Number(text.slice(s, i)));
  }
  // Glued letters, digits or dots make the whole word malformed: `2e`, `1.2.3`, `28x`, `3px`.
  let malformed = !ok;
  while (i < n && (isIdentPart(text.charCodeAt(i)) || text[i] === '.')) {
    malformed = true;
    i++;
  }
  const raw = text.slice(start, i);
  if (malformed) {
    const what = isSize && firstIsWhole ? 'size' : 'number';
    const unseparated = raw.replace(/_/g, '');
    const hint =
      /_/.test(raw) && /^[0-9]+(\.[0-9]+)?$/.test(unseparated)
        ? ` (write ${unseparated}: no digit separators)`
        : '';
    return {
      kind: 'error',
      start,
      end: i,
      text: raw,
      code: 'E104',
      message: `Malformed ${what} \`${raw}\`${hint}: write numbers like 64, 0.5 or 2e-4 and sizes like 28x28 or 64x64x3.`,
    };
  }
  if (isSize) {
    if (dims.some((d) => !Number.isInteger(d)) || dims.length > 3) {
      return {
        kind: 'error',
        start,
        end: i,
        text: raw,
        code: 'E104',
        message: `Malformed size \`${raw}\`: a size is two or three whole numbers joined by x, like 28x28 or 64x64x3.`,
      };
    }
    return { kind: 'size', start, end: i, text: raw, dims };
  }
  return { kind: 'number', start, end: i, text: raw, number: Number(raw) };
}
