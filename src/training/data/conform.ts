// Brings a byte table to the shape a model asks for: resizing (JS resampler) and channel
// conversion. Sources that already match pass through untouched.
import { createResampler } from './resample';
import { type ImageShape, type ImageTable, pixelsPerImage } from './table';

const LUMA = [0.299, 0.587, 0.114] as const;

/** Converts interleaved pixels between 1 and 3 (or from 4, dropping alpha) channels. */
export function convertChannels(src: Uint8Array, from: number, to: number): Uint8Array {
  if (from === to) return src;
  const count = src.length / from;
  const out = new Uint8Array(count * to);
  for (let p = 0; p < count; p++) {
    const s = p * from;
    if (to === 1) {
      out[p] =
        from === 1 ? src[s] : Math.round(LUMA[0] * src[s] + LUMA[1] * src[s + 1] + LUMA[2] * src[s + 2]);
    } else {
      for (let c = 0; c < to; c++) out[p * to + c] = from === 1 ? src[s] : src[s + Math.min(c, from - 1)];
    }
  }
  return out;
}

export function conformTable(table: ImageTable, shape: ImageShape): ImageTable {
  const [h, w, c] = shape;
  const [th, tw, tc] = table.shape;
  if (h === th && w === tw && c === tc) return table;
  if (!(table.pixels instanceof Uint8Array)) throw new Error('only byte images can be resized');
  let pixels = table.pixels;
  if (h !== th || w !== tw) {
    const resize = createResampler(table.shape, [h, w, tc]);
    const inSize = pixelsPerImage(table.shape);
    const outSize = h * w * tc;
    const resized = new Uint8Array(table.count * outSize);
    for (let i = 0; i < table.count; i++)
      resized.set(resize(pixels.subarray(i * inSize, (i + 1) * inSize)), i * outSize);
    pixels = resized;
  }
  return { ...table, shape, pixels: convertChannels(pixels, tc, c) };
}
