// Procedural clips: moving MNIST (Srivastava et al. 2015: digits bouncing inside a field) and
// moving shapes. Clip i of a stream is a pure function of (seed, stream, i) and the digit table,
// so the stream is endless and a resumed run replays it from its position. A clip is `frames`
// consecutive images; every frame is labelled with the clip's (first) class.
import { mixSeeds } from '../seeds';
import { mulberry32 } from './prng';
import { type ShapeKind, drawShape, paint } from './shapes';
import { type ImageShape, type ImageTable, pixelsPerImage } from './table';

export interface ClipSettings {
  readonly frames: number;
  /** Pixels moved per frame. */
  readonly speed: number;
}

/** MNIST fits every digit in a 20x20 box before centring it by mass in 28x28 (LeCun et al. 1998). */
const MNIST_DIGIT_BOX = 20;

/**
 * Digits drawn `size`×`size`: for sizes from 20 up, the `size`×`size` square around the digit's
 * ink (MNIST's pixels, only empty border cut); below 20, the 20x20 square around the ink scaled
 * down by area averaging. 28 is the dataset's image as it is.
 */
export function digitGlyphs(table: ImageTable, size: number): ImageTable {
  const [h, w] = table.shape;
  if (size === h && size === w) return table;
  const box = Math.max(size, MNIST_DIGIT_BOX);
  const glyph = size * size;
  const pixels = new Uint8Array(table.count * glyph);
  const ratio = box / size;
  for (let i = 0; i < table.count; i++) {
    const src = i * h * w;
    const ink = inkBox(table.pixels, src, h, w);
    const top = Math.round((ink.top + ink.bottom - box) / 2);
    const left = Math.round((ink.left + ink.right - box) / 2);
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++)
        pixels[i * glyph + y * size + x] = Math.round(
          areaMean(table.pixels, src, h, w, top + y * ratio, left + x * ratio, ratio),
        );
  }
  return { count: table.count, shape: [size, size, 1], pixels, labels: table.labels };
}

/** Rows [top, bottom) and columns [left, right) holding ink; the whole image when it is blank. */
function inkBox(pixels: ImageTable['pixels'], src: number, h: number, w: number) {
  let [top, bottom, left, right] = [h, 0, w, 0];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      if (pixels[src + y * w + x] > 0) {
        top = Math.min(top, y);
        bottom = Math.max(bottom, y + 1);
        left = Math.min(left, x);
        right = Math.max(right, x + 1);
      }
  return top < bottom ? { top, bottom, left, right } : { top: 0, bottom: h, left: 0, right: w };
}

/** Mean of the square [y0, y0+side) × [x0, x0+side) of one image, partial pixels weighted, 0 outside it. */
function areaMean(
  pixels: ImageTable['pixels'],
  src: number,
  h: number,
  w: number,
  y0: number,
  x0: number,
  side: number,
): number {
  let sum = 0;
  for (let y = Math.max(0, Math.floor(y0)); y < Math.min(h, y0 + side); y++) {
    const wy = Math.min(y + 1, y0 + side) - Math.max(y, y0);
    for (let x = Math.max(0, Math.floor(x0)); x < Math.min(w, x0 + side); x++) {
      const wx = Math.min(x + 1, x0 + side) - Math.max(x, x0);
      sum += wy * wx * pixels[src + y * w + x];
    }
  }
  return sum / (side * side);
}

/** Where a point moving at constant speed from `start` is at time t, bouncing inside [0, span]. */
export function bounce(start: number, velocity: number, t: number, span: number): number {
  if (span <= 0) return 0;
  const period = 2 * span;
  const p = (((start + velocity * t) % period) + period) % period;
  return p <= span ? p : period - p;
}

/** A random direction at `speed` pixels per frame. */
function velocity(random: () => number, speed: number): [number, number] {
  const angle = random() * 2 * Math.PI;
  return [speed * Math.cos(angle), speed * Math.sin(angle)];
}

/** Clips first..first+count-1 of moving MNIST: `digits` digits from `table` (28x28 bytes) per clip. */
export function renderMovingDigits(
  seed: number,
  stream: number,
  first: number,
  count: number,
  field: ImageShape,
  clip: ClipSettings & { readonly digits: number },
  table: ImageTable,
): ImageTable {
  const [h, w] = field;
  const [dh, dw] = table.shape;
  const frameSize = pixelsPerImage(field);
  const digitSize = pixelsPerImage(table.shape);
  const images = count * clip.frames;
  const pixels = new Float32Array(images * frameSize);
  const labels = new Int32Array(images);
  for (let i = 0; i < count; i++) {
    const random = mulberry32(mixSeeds(seed, stream, first + i));
    const digits = Array.from({ length: clip.digits }, () => ({
      index: Math.floor(random() * table.count),
      x: random() * Math.max(0, w - dw),
      y: random() * Math.max(0, h - dh),
      v: velocity(random, clip.speed),
    }));
    for (let t = 0; t < clip.frames; t++) {
      const frame = (i * clip.frames + t) * frameSize;
      labels[i * clip.frames + t] = table.labels?.[digits[0].index] ?? 0;
      for (const d of digits) {
        const x0 = Math.round(bounce(d.x, d.v[0], t, w - dw));
        const y0 = Math.round(bounce(d.y, d.v[1], t, h - dh));
        const src = d.index * digitSize;
        for (let y = 0; y < dh && y0 + y < h; y++)
          for (let x = 0; x < dw && x0 + x < w; x++) {
            const p = frame + (y0 + y) * w + x0 + x;
            // Overlapping digits combine by the brighter pixel, as in the original dataset.
            pixels[p] = Math.max(pixels[p], table.pixels[src + y * dw + x] / 255);
          }
      }
    }
  }
  return { count: images, shape: field, pixels, labels };
}

/** Clips first..first+count-1 of moving shapes: one shape per clip, drifting and turning. */
export function renderMovingShapes(
  seed: number,
  stream: number,
  first: number,
  count: number,
  field: ImageShape,
  clip: ClipSettings,
  kind: ShapeKind,
): ImageTable {
  const [h, w] = field;
  const frameSize = pixelsPerImage(field);
  const images = count * clip.frames;
  const pixels = new Float32Array(images * frameSize);
  const labels = new Int32Array(images);
  for (let i = 0; i < count; i++) {
    const random = mulberry32(mixSeeds(seed, stream, first + i));
    const start = drawShape(random, kind, field);
    const [vx, vy] = velocity(random, clip.speed);
    const spin = (random() - 0.5) * 0.4;
    const r = start.radius;
    for (let t = 0; t < clip.frames; t++) {
      const draw = {
        ...start,
        cx: r + bounce(start.cx - r, vx, t, w - 2 * r),
        cy: r + bounce(start.cy - r, vy, t, h - 2 * r),
        rotation: start.rotation + spin * t,
      };
      paint(draw, field, pixels, (i * clip.frames + t) * frameSize);
      labels[i * clip.frames + t] = start.label;
    }
  }
  return { count: images, shape: field, pixels, labels };
}
