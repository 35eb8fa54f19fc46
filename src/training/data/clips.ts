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
