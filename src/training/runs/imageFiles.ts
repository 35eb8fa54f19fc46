// A user's image in and out of `gan upscale`: PNG through pngjs (always installed), other formats
// (JPEG, WebP, …) through the optional sharp. Transparency is flattened onto white, as the
// training images are; values are mapped to and from a model's pixel range.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { PNG } from 'pngjs';
import { loadSharp } from '../data/optional-package';
import type { Image } from '../engine/tiles';
import { writeFileAtomic } from './atomic';

async function rgba(path: string): Promise<{ width: number; height: number; data: Uint8Array }> {
  if (extname(path).toLowerCase() === '.png') {
    const png = PNG.sync.read(readFileSync(path));
    return { width: png.width, height: png.height, data: png.data };
  }
  const sharp = loadSharp(`reading ${extname(path) || 'this'} images (PNG needs nothing)`);
  const { data, info } = await sharp(path).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data };
}

/** The image with `channels` channels (1: luminance), values in `scale`. */
export async function readImage(
  path: string,
  channels: number,
  scale: readonly [number, number],
): Promise<Image> {
  const { width, height, data } = await rgba(path);
  const [lo, hi] = scale;
  const pixels = new Float32Array(width * height * channels);
  for (let p = 0; p < width * height; p++) {
    const a = data[p * 4 + 3] / 255;
    const rgb = [0, 1, 2].map((k) => (data[p * 4 + k] * a + 255 * (1 - a)) / 255);
    if (channels === 1) pixels[p] = lo + (hi - lo) * (0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]);
    else for (let k = 0; k < channels; k++) pixels[p * channels + k] = lo + (hi - lo) * rgb[k];
  }
  return { width, height, channels, pixels };
}

/** Writes the image as an RGB PNG (grey images to all three channels), values clipped to `scale`. */
export function writePng(path: string, image: Image, scale: readonly [number, number]): void {
  const { width, height, channels } = image;
  const png = new PNG({ width, height, colorType: 6 });
  const [lo, hi] = scale;
  for (let p = 0; p < width * height; p++) {
    for (let k = 0; k < 3; k++) {
      const v = image.pixels[p * channels + (channels === 1 ? 0 : k)];
      png.data[p * 4 + k] = Math.max(0, Math.min(255, Math.round(((v - lo) / (hi - lo)) * 255)));
    }
    png.data[p * 4 + 3] = 255;
  }
  writeFileAtomic(path, PNG.sync.write(png));
}
