// Coded diagnostics and their fixes. Ranges are character offsets into the document.

export type Severity = 'error' | 'warning';

export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
}

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly start: number;
  readonly end: number;
  readonly fixes: readonly Fix[];
}

/** Every diagnostic code with its one-line summary (the table docs/language.md is written from). */
export const DIAGNOSTIC_CODES = {
  E100: 'unexpected token',
  E101: 'unclosed `{`',
  E102: 'unmatched `}`',
  E103: 'unterminated string',
  E104: 'malformed number or size',
  E200: 'unknown family',
  E201: 'unknown section or setting',
  E202: 'unknown layer',
  E203: 'unknown parameter',
  E204: 'duplicate setting, parameter, section or model name',
  E205: 'wrong value type',
  E206: 'value out of range',
  E207: 'missing required argument or block',
  E208: 'family lacks a required section',
  E209: 'section not allowed in this family',
  E211: '`extends` names an unknown model or makes a cycle',
  E212: 'unknown enum value',
  E213: 'settings that exclude each other are both given',
  E214: 'a path without the `folder` source',
  E215: '`condition classes` differs from the data’s classes',
  E216: '`epochs` on endless data',
  E300: 'generator/decoder output does not match the data shape',
  E301: 'reshape size mismatch',
  E302: 'layer needs another rank',
  E303: 'spatial size reaches zero',
  E304: 'discriminator must end in one logit per image',
  E305: '`residual` changes the shape',
  E306: 'encoder output is not flat',
  E307: 'cyclegan domains differ in shape',
  E308: 'the model needs labels but its data has none',
  E309: '`generator=batchnorm` with no batch norm in the generator',
  E310: '`pixelshuffle` channels not divisible by factor²',
  E311: 'data size not divisible by the `upscale` factor',
  E312: 'the model needs captions but its data has none',
  E313: '`stage1 size` does not divide the data size',
  E320: 'a layer sees pixels not generated yet (pixelcnn causality)',
  E321: 'the first masked layer of a pixelcnn must be mask A',
  E322: 'pixelcnn output channels differ from what `levels` needs (softmax: levels × channels; logistic: mixtures × 3 or × 10)',
  E323: 'a gated layer does not continue a gated stack',
  E330: 'a progressive network is not made of `stage` blocks, or its stages do not double the resolution up to the data size',
  E324: 'the trajectory does not output one motion code per frame',
  E325: 'clip data in an image family, or image data in a clip family',
  W400: 'output activation does not match the data scale',
  W401: 'pooling in a GAN network',
  W402: 'batch norm in a Wasserstein-GP critic',
  W403: 'sigmoid before a loss that expects logits',
  W404: 'plain relu in a discriminator',
  W405: 'learning rate far above the usual range',
  W406: 'batch norm with batch 1',
  W407: 'bce reconstruction without a sigmoid output',
  W408: 'dense on a spatial tensor',
  W409: 'a conditioning known to collapse',
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

export function severityOf(code: DiagnosticCode): Severity {
  return code.startsWith('W') ? 'warning' : 'error';
}

/** Collects diagnostics; drops exact duplicates. */
export class DiagnosticSink {
  readonly items: Diagnostic[] = [];
  private readonly seen = new Set<string>();

  add(
    code: DiagnosticCode,
    span: { start: number; end: number },
    message: string,
    fixes: readonly Fix[] = [],
  ): void {
    const key = `${code}:${span.start}:${span.end}:${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.items.push({ code, severity: severityOf(code), message, start: span.start, end: span.end, fixes });
  }

  push(d: Diagnostic): void {
    this.add(d.code, d, d.message, d.fixes);
  }
}

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** The closest candidate within a distance that scales with the word's length, or null. */
export function nearest(word: string, candidates: Iterable<string>): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3) + 1));
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= limit ? best : null;
}

/** Names from other frameworks and papers, and what they are called here (first one a candidate wins). */
const SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  gaussian: ['normal'],
  none: ['linear'],
  identity: ['linear'],
  lrelu: ['leakyrelu'],
  leaky_relu: ['leakyrelu'],
  bn: ['batchnorm'],
  batchnorm2d: ['batchnorm'],
  conv2d: ['conv'],
  convtranspose2d: ['deconv'],
  conv2dtranspose: ['deconv'],
  linear: ['dense'],
  bce: ['nonsaturating', 'elbo'],
  mse: ['lsgan', 'elbo'],
  wgan: ['wasserstein'],
  wgan_gp: ['wasserstein'],
  cuda: ['gpu'],
  webgl: ['gpu'],
};

/** "Unknown X `foo`; did you mean `bar`?" plus the matching replace fix. */
export function unknownName(
  what: string,
  span: { start: number; end: number },
  word: string,
  candidates: readonly string[],
  context = '',
): { message: string; fixes: Fix[] } {
  const synonym = SYNONYMS[word.toLowerCase()]?.find((c) => candidates.includes(c));
  const guess = synonym ?? nearest(word, candidates);
  if (guess) {
    return {
      message: `Unknown ${what} \`${word}\`${context}; did you mean \`${guess}\`?`,
      fixes: [
        { title: `Change to \`${guess}\``, edits: [{ start: span.start, end: span.end, newText: guess }] },
      ],
    };
  }
  const list =
    candidates.length === 0
      ? ` There are none to set here.`
      : candidates.length <= 12
        ? ` Expected one of: ${candidates.join(', ')}.`
        : '';
  return { message: `Unknown ${what} \`${word}\`${context}.${list}`, fixes: [] };
}

const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';

/**
 * Deletes `span` cleanly: a statement alone on its line takes the line (and its comment) with it;
 * one of several `;`-separated statements takes its separator; an argument takes the space before it.
 */
export function removalEdit(text: string, span: { start: number; end: number }): TextEdit {
  let before = span.start;
  while (before > 0 && isBlank(text[before - 1])) before--;
  let after = span.end;
  while (after < text.length && isBlank(text[after])) after++;
  const lineStart = before === 0 || text[before - 1] === '\n' || text[before - 1] === '\r';
  const lineEnd = after >= text.length || text[after] === '\n' || text[after] === '\r' || text[after] === '#';
  if (lineStart && lineEnd) {
    let end = after;
    while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
    if (text[end] === '\r') end++;
    if (text[end] === '\n') end++;
    return { start: before, end, newText: '' };
  }
  if (text[after] === ';') {
    let end = after + 1;
    while (end < text.length && isBlank(text[end])) end++;
    return { start: span.start, end, newText: '' };
  }
  if (text[before - 1] === ';') return { start: before - 1, end: span.end, newText: '' };
  if (lineStart) return { start: span.start, end: after, newText: '' };
  return { start: before, end: span.end, newText: '' };
}

/** A quick fix that deletes `span` (see `removalEdit`). */
export function removeFix(text: string, span: { start: number; end: number }, title: string): Fix {
  return { title, edits: [removalEdit(text, span)] };
}
