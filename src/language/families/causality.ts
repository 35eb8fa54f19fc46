// Static causality of an autoregressive network: which input pixels each layer's output at
// (row, col) depends on, as a set of offsets (dr, dc) from it. A pixelcnn predicts pixel i from
// pixels before i in raster order, so its output may only depend on offsets with dr < 0, or
// dr = 0 and dc < 0. Each layer maps the set of its input to that of its output; gated layers
// carry two (vertical and horizontal stacks), every other tensor one.
import type { ParamValue } from '../model';

export type Offsets = ReadonlySet<number>;

/** The receptive field of one tensor: its vertical stack's and the whole tensor's offsets. */
export interface Field {
  /** gated stacks: the vertical stack's offsets; other tensors: the same set as `all`. */
  readonly v: Offsets;
  readonly all: Offsets;
  readonly stacks: boolean;
}

/** What one layer does to positions: taps (a convolution-like footprint), or it mixes positions. */
export type Footprint =
  | { readonly kind: 'taps'; readonly taps: readonly (readonly [number, number])[] }
  | { readonly kind: 'gated'; readonly kernel: number; readonly maskA: boolean }
  | { readonly kind: 'mixes'; readonly why: string };

const POINTWISE = new Set(['relu', 'leakyrelu', 'tanh', 'sigmoid', 'elu', 'dropout', 'layernorm']);
const SELF: readonly (readonly [number, number])[] = [[0, 0]];

/** The offsets a masked k×k kernel reads: rows above in full, the row itself up to (mask A: before) the centre. */
export function maskedTaps(kernel: number, maskA: boolean): [number, number][] {
  const n = Math.floor(kernel / 2);
  const taps: [number, number][] = [];
  for (let dr = -n; dr <= 0; dr++)
    for (let dc = -n; dc <= n; dc++) {
      if (dr === 0 && (dc > 0 || (dc === 0 && maskA))) continue;
      taps.push([dr, dc]);
    }
  return taps;
}

function squareTaps(kernel: number): [number, number][] {
  const n = Math.floor(kernel / 2);
  const taps: [number, number][] = [];
  for (let dr = -n; dr <= n; dr++) for (let dc = -n; dc <= n; dc++) taps.push([dr, dc]);
  return taps;
}

/** How a layer kind with these parameters acts on positions (input rank 3). */
export function footprint(kind: string, p: Readonly<Record<string, ParamValue>>): Footprint {
  if (POINTWISE.has(kind)) return { kind: 'taps', taps: SELF };
  switch (kind) {
    case 'maskedconv':
      return { kind: 'taps', taps: maskedTaps(p.kernel as number, p.mask === 'A') };
    case 'gated':
      return { kind: 'gated', kernel: p.kernel as number, maskA: p.mask === 'A' };
    case 'dense':
      return { kind: 'taps', taps: SELF };
    case 'conv': {
      if (p.norm === 'batch' || p.norm === 'instance')
        return {
          kind: 'mixes',
          why: `\`norm=${String(p.norm)}\` normalizes with statistics over all positions`,
        };
      if ((p.stride as number) !== 1) return { kind: 'mixes', why: 'a strided convolution moves positions' };
      if ((p.kernel as number) === 1) return { kind: 'taps', taps: SELF };
      return { kind: 'taps', taps: squareTaps(p.kernel as number) };
    }
    case 'maxpool':
    case 'avgpool':
      return {
        kind: 'mixes',
        why: 'pooling merges a window of pixels, the ones below and to the right included',
      };
    case 'batchnorm':
    case 'instancenorm':
      return { kind: 'mixes', why: 'it normalizes with statistics over all positions' };
    case 'deconv':
      return { kind: 'mixes', why: 'a transposed convolution spreads each pixel over its neighbours' };
    default:
      return { kind: 'mixes', why: 'it moves values between positions' };
  }
}

/** Offsets are kept inside the image: a pixel cannot depend on one farther than the image reaches. */
export class OffsetSpace {
  constructor(
    readonly height: number,
    readonly width: number,
  ) {}

  key(dr: number, dc: number): number {
    return (dr + this.height) * (2 * this.width + 1) + (dc + this.width);
  }

  offset(key: number): [number, number] {
    const row = Math.floor(key / (2 * this.width + 1));
    return [row - this.height, key - row * (2 * this.width + 1) - this.width];
  }

  inside(dr: number, dc: number): boolean {
    return Math.abs(dr) < this.height && Math.abs(dc) < this.width;
  }

  /** The raw image: each position sees only itself. */
  image(): Field {
    const self = new Set([this.key(0, 0)]);
    return { v: self, all: self, stacks: false };
  }

  dilate(set: Offsets, taps: readonly (readonly [number, number])[]): Set<number> {
    const out = new Set<number>();
    for (const k of set) {
      const [r, c] = this.offset(k);
      for (const [dr, dc] of taps) if (this.inside(r + dr, c + dc)) out.add(this.key(r + dr, c + dc));
    }
    return out;
  }

  /** The field after a layer, or null when the layer mixes positions. */
  apply(field: Field, fp: Footprint): Field | null {
    if (fp.kind === 'mixes') return null;
    if (fp.kind === 'taps') {
      const all = this.dilate(field.all, fp.taps);
      return { v: all, all, stacks: false };
    }
    const n = Math.floor(fp.kernel / 2);
    // A gated layer reads a plain tensor (or, mask A, anything) as both of its stacks.
    const stacks = field.stacks && !fp.maskA;
    const vIn = stacks ? field.v : field.all;
    const hIn = field.all;
    const vTaps: [number, number][] = [];
    for (let dr = -n; dr <= (fp.maskA ? -1 : 0); dr++) for (let dc = -n; dc <= n; dc++) vTaps.push([dr, dc]);
    const hTaps: [number, number][] = [];
    for (let dc = -n; dc <= (fp.maskA ? -1 : 0); dc++) hTaps.push([0, dc]);
    const v = this.dilate(vIn, vTaps);
    const h = this.dilate(hIn, hTaps);
    for (const k of v) h.add(k);
    if (!fp.maskA) for (const k of hIn) h.add(k);
    return { v, all: h, stacks: true };
  }

  /** Offsets at or after the pixel itself: dr > 0, or dr = 0 and dc ≥ 0 (`self` decides dc = 0). */
  future(set: Offsets): { readonly later: number; readonly self: boolean } {
    let later = 0;
    let self = false;
    for (const k of set) {
      const [dr, dc] = this.offset(k);
      if (dr > 0 || (dr === 0 && dc > 0)) later++;
      else if (dr === 0 && dc === 0) self = true;
    }
    return { later, self };
  }

  /** Markdown: the receptive field's size and reach, and a map of it when it is small enough. */
  describe(field: Field): string {
    let up = 0;
    let left = 0;
    let right = 0;
    let rowLeft = 0;
    let earlier = 0;
    for (const k of field.all) {
      const [dr, dc] = this.offset(k);
      if (dr > 0 || (dr === 0 && dc >= 0)) continue;
      earlier++;
      up = Math.max(up, -dr);
      left = Math.max(left, -dc);
      right = Math.max(right, dc);
      if (dr === 0) rowLeft = Math.max(rowLeft, -dc);
    }
    // Earlier pixels inside the field's window it does not see: PixelCNN's blind spot.
    let blind = 0;
    for (let dr = -up; dr <= 0; dr++)
      for (let dc = -left; dc <= (dr < 0 ? right : -1); dc++) if (!field.all.has(this.key(dr, dc))) blind++;
    const { later, self } = this.future(field.all);
    const lines = [
      `**Receptive field**: ${earlier} earlier pixel${earlier === 1 ? '' : 's'} — up to ${up} row${up === 1 ? '' : 's'} above, ${left} column${left === 1 ? '' : 's'} left and ${right} right; ${rowLeft} to the left on its own row. Blind spot: ${blind === 0 ? 'none' : `${blind} earlier pixel${blind === 1 ? '' : 's'} inside that window`}.`,
    ];
    if (later > 0 || self)
      lines.push(
        `⚠ It also sees ${later > 0 ? `${later} pixel${later === 1 ? '' : 's'} not generated yet` : ''}${later > 0 && self ? ' and ' : ''}${self ? 'the pixel it predicts' : ''}.`,
      );
    const width = left + right + 1;
    if (up <= 16 && width <= 41 && !(later > 0)) {
      const rows: string[] = [];
      for (let dr = -up; dr <= 0; dr++) {
        let row = '';
        for (let dc = -left; dc <= right; dc++) {
          if (dr === 0 && dc === 0) row += self ? '◉' : '○';
          else if (dr === 0 && dc > 0) row += ' ';
          else row += field.all.has(this.key(dr, dc)) ? '■' : '·';
        }
        rows.push(row.trimEnd());
      }
      lines.push(
        ['```text', ...rows, '```', '■ seen · not seen ○ the pixel predicted (◉: seen too)'].join('\n'),
      );
    }
    return lines.join('\n\n');
  }
}
