// Super-resolving an image of any size with a generator built for one input size: the image is
// cut into overlapping tiles of that size (edge pixels repeated where it is smaller), each tile is
// upscaled, and the outputs are blended with weights that fall linearly towards tile borders, so
// no seam shows where tiles meet.
import * as tf from '@tensorflow/tfjs';
import { predictValues } from './families/family';

export interface Image {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  /** height·width·channels values, channels-last. */
  readonly pixels: Float32Array;
}

/** Tile origins along one axis: tiles of `tile` covering `size`, neighbours overlapping by at least `overlap`. */
export function tileStarts(size: number, tile: number, overlap: number): number[] {
  if (size <= tile) return [0];
  const step = Math.max(1, tile - overlap);
  const count = Math.ceil((size - tile) / step) + 1;
  // Spread evenly so every overlap is about the same width.
  return Array.from({ length: count }, (_, i) => Math.round((i * (size - tile)) / (count - 1)));
}

/** Blending weight of output pixel `p` of a tile `length` long: a ramp over `ramp` pixels at each end. */
function rampWeight(p: number, length: number, ramp: number, atStart: boolean, atEnd: boolean): number {
  let w = 1;
  if (!atStart) w = Math.min(w, (p + 0.5) / ramp);
  if (!atEnd) w = Math.min(w, (length - p - 0.5) / ramp);
  return Math.max(w, 1e-3);
}

/** Cuts an input tile at (top, left), repeating edge pixels beyond the image. */
function cut(
  image: Image,
  top: number,
  left: number,
  th: number,
  tw: number,
  out: Float32Array,
  at: number,
): void {
  const c = image.channels;
  for (let y = 0; y < th; y++) {
    const sy = Math.min(image.height - 1, top + y);
    for (let x = 0; x < tw; x++) {
      const sx = Math.min(image.width - 1, left + x);
      const src = (sy * image.width + sx) * c;
      const dst = at + (y * tw + x) * c;
      for (let k = 0; k < c; k++) out[dst + k] = image.pixels[src + k];
    }
  }
}

/**
 * Upscales `image` by `factor` with `generator` (input [th, tw, channels], output [th·factor,
 * tw·factor, channels]); neighbouring tiles overlap by a quarter of a tile.
 */
export async function upscaleTiled(
  generator: tf.LayersModel,
  image: Image,
  tile: readonly [number, number],
  factor: number,
): Promise<Image> {
  const [th, tw] = tile;
  const c = image.channels;
  const ys = tileStarts(image.height, th, Math.max(1, Math.floor(th / 4)));
  const xs = tileStarts(image.width, tw, Math.max(1, Math.floor(tw / 4)));
  const origins = ys.flatMap((y) => xs.map((x) => [y, x] as const));
  const tileSize = th * tw * c;
  const inputs = new Float32Array(origins.length * tileSize);
  origins.forEach(([y, x], i) => cut(image, y, x, th, tw, inputs, i * tileSize));
  const outputs = await predictValues(
    (start, n) =>
      generator.apply(
        tf.tensor4d(inputs.subarray(start * tileSize, (start + n) * tileSize), [n, th, tw, c]),
        {
          training: false,
        },
      ) as tf.Tensor,
    origins.length,
    16,
  );
  const oh = th * factor;
  const ow = tw * factor;
  const height = image.height * factor;
  const width = image.width * factor;
  const sum = new Float64Array(height * width * c);
  const weight = new Float64Array(height * width);
  origins.forEach(([y, x], i) => {
    const top = y * factor;
    const left = x * factor;
    const rampY = Math.max(1, Math.floor(th / 4)) * factor;
    const rampX = Math.max(1, Math.floor(tw / 4)) * factor;
    for (let py = 0; py < oh && top + py < height; py++) {
      const wy = rampWeight(py, oh, rampY, y === ys[0], y === ys[ys.length - 1]);
      for (let px = 0; px < ow && left + px < width; px++) {
        const w = wy * rampWeight(px, ow, rampX, x === xs[0], x === xs[xs.length - 1]);
        const dst = (top + py) * width + left + px;
        const src = i * oh * ow * c + (py * ow + px) * c;
        weight[dst] += w;
        for (let k = 0; k < c; k++) sum[dst * c + k] += w * outputs[src + k];
      }
    }
  });
  const pixels = new Float32Array(height * width * c);
  for (let p = 0; p < height * width; p++)
    for (let k = 0; k < c; k++) pixels[p * c + k] = sum[p * c + k] / weight[p];
  return { height, width, channels: c, pixels };
}
