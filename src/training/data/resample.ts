// Separable resizing of many same-sized byte images in plain JS: a triangle filter widened
// by the scale factor when shrinking (antialiased, like Pillow's bilinear). For whole datasets
// it is far faster than one sharp call per 28x28 image.
import type { ImageShape } from './table';

interface Taps {
  readonly start: Int32Array;
  readonly count: Int32Array;
  readonly weights: Float32Array;
  readonly width: number;
}

function taps(inSize: number, outSize: number): Taps {
  const scale = inSize / outSize;
  const support = Math.max(1, scale);
  const width = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float32Array(outSize * width);
  for (let o = 0; o < outSize; o++) {
    const centre = (o + 0.5) * scale;
    const first = Math.max(0, Math.floor(centre - support));
    const last = Math.min(inSize - 1, Math.ceil(centre + support));
    let total = 0;
    let n = 0;
    for (let i = first; i <= last && n < width; i++, n++) {
      const w = Math.max(0, 1 - Math.abs(i + 0.5 - centre) / support);
      weights[o * width + n] = w;
      total += w;
    }
    for (let k = 0; k < n; k++) weights[o * width + k] /= total || 1;
    start[o] = first;
    count[o] = n;
  }
  return { start, count, weights, width };
}

/** Returns a function that resizes one HxWxC byte image of shape `from` to `to` (same channels). */
export function createResampler(from: ImageShape, to: ImageShape): (src: Uint8Array) => Uint8Array {
  const [ih, iw, channels] = from;
  const [oh, ow] = to;
  const across = taps(iw, ow);
  const down = taps(ih, oh);
  const rows = new Float32Array(ih * ow * channels);
  return (src) => {
    for (let y = 0; y < ih; y++)
      for (let x = 0; x < ow; x++)
        for (let c = 0; c < channels; c++) {
          let sum = 0;
          for (let k = 0; k < across.count[x]; k++)
            sum += across.weights[x * across.width + k] * src[(y * iw + across.start[x] + k) * channels + c];
          rows[(y * ow + x) * channels + c] = sum;
        }
    const out = new Uint8Array(oh * ow * channels);
    for (let y = 0; y < oh; y++)
      for (let x = 0; x < ow; x++)
        for (let c = 0; c < channels; c++) {
          let sum = 0;
          for (let k = 0; k < down.count[y]; k++)
            sum += down.weights[y * down.width + k] * rows[((down.start[y] + k) * ow + x) * channels + c];
          out[(y * ow + x) * channels + c] = Math.min(255, Math.max(0, Math.round(sum)));
        }
    return out;
  };
}
