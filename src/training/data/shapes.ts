// Procedural shapes: one antialiased circle, square or triangle per image on black, with a
// random position, size, rotation and intensity (colour when 3 channels). Image i of a
// stream is a pure function of (seed, stream, i), so the stream is endless and replayable.
import { SHAPE_CLASSES } from '../../language/schema';
import { mixSeeds } from '../seeds';
import { mulberry32 } from './prng';
import { type ImageShape, type ImageTable, pixelsPerImage } from './table';

/** Class ids: the index in this list. */
export const SHAPE_KINDS = SHAPE_CLASSES;
export type ShapeKind = (typeof SHAPE_KINDS)[number] | 'all';

/** Seed of the held-out stream: the same for every run, and a stream id no training split uses. */
export const HELD_OUT_SEED = 0x5eed;
export const STREAM = { train: 1, test: 2, heldOut: 3 } as const;

export interface ShapeDraw {
  readonly label: number;
  readonly cx: number;
  readonly cy: number;
  /** Circumradius in pixels: circles, squares and triangles of the same radius share a centre and bound. */
  readonly radius: number;
  readonly rotation: number;
  readonly colour: readonly number[];
}

export function drawShape(random: () => number, kind: ShapeKind, shape: ImageShape): ShapeDraw {
  const [h, w, channels] = shape;
  const label = kind === 'all' ? Math.min(2, Math.floor(random() * 3)) : SHAPE_KINDS.indexOf(kind);
  const radius = Math.min(h, w) * (0.18 + 0.22 * random());
  const cx = radius + 0.5 + random() * Math.max(0, w - 2 * radius - 1);
  const cy = radius + 0.5 + random() * Math.max(0, h - 2 * radius - 1);
  const rotation = random() * 2 * Math.PI;
  const colour =
    channels === 1 ? [0.5 + 0.5 * random()] : Array.from({ length: channels }, () => 0.25 + 0.75 * random());
  return { label, cx, cy, radius, rotation, colour };
}

/** Signed distance in pixels from (x, y) to the shape's outline (negative inside). */
function signedDistance(d: ShapeDraw, x: number, y: number): number {
  const dx = x - d.cx;
  const dy = y - d.cy;
  if (d.label === 0) return Math.hypot(dx, dy) - d.radius;
  // A regular polygon: the largest distance beyond any edge (exact inside and along edges).
  const sides = d.label === 1 ? 4 : 3;
  const apothem = d.radius * Math.cos(Math.PI / sides);
  let distance = -Infinity;
  for (let k = 0; k < sides; k++) {
    const normal = d.rotation + ((2 * k + 1) * Math.PI) / sides;
    distance = Math.max(distance, dx * Math.cos(normal) + dy * Math.sin(normal) - apothem);
  }
  return distance;
}

export function paint(d: ShapeDraw, shape: ImageShape, out: Float32Array, offset: number): void {
  const [h, w, channels] = shape;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const coverage = Math.min(1, Math.max(0, 0.5 - signedDistance(d, x + 0.5, y + 0.5)));
      const p = offset + (y * w + x) * channels;
      for (let c = 0; c < channels; c++) out[p + c] = coverage * d.colour[c];
    }
  }
}

/** Images first..first+count-1 of a stream, pixels in [0, 1]. */
export function renderShapes(
  seed: number,
  stream: number,
  first: number,
  count: number,
  shape: ImageShape,
  kind: ShapeKind,
): ImageTable {
  const size = pixelsPerImage(shape);
  const pixels = new Float32Array(count * size);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const index = first + i;
    const draw = drawShape(mulberry32(mixSeeds(seed, stream, index)), kind, shape);
    paint(draw, shape, pixels, i * size);
    labels[i] = draw.label;
  }
  return { count, shape, pixels, labels };
}
