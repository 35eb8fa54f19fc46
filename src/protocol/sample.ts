// What a sample grid is rendered as: asked by the preview webview, passed by the extension host and
// the CLI to a worker, and served by a family's trainer. Plain JSON data only.

/** 'grid' (fresh samples), 'interpolate' (slerp between seed and seed2 across each row; video: the
 *  content code down the rows under one motion), 'motion' (video: one content code, the motion
 *  from seed's to seed2's down the rows),
 *  'reconstruct' (vae: held-out images and their reconstructions), 'walk' (vae: one latent dim per row),
 *  'translate' (cyclegan: a->b and b->a of held-out images), 'complete' (pixelcnn: held-out images
 *  with the bottom half hidden, one per row, completed once per column; conditional: for the image's
 *  own label), 'superres' (srgan: held-out images shrunk, upscaled bicubically and by the
 *  generator, and the originals). */
export type SampleMode =
  'grid' | 'interpolate' | 'motion' | 'reconstruct' | 'walk' | 'translate' | 'complete' | 'superres';

export interface SampleRequest {
  /** Grid rows x cols; defaults to the model's sample.grid. */
  readonly grid?: readonly [number, number];
  readonly seed?: number;
  /** cgan, a conditional pixelcnn: the class of each row (length = rows); a single number means every row. */
  readonly classes?: number | readonly number[];
  readonly mode?: SampleMode;
  readonly seed2?: number;
  /** stackgan: the captions to draw, one per row (cycled over the rows). */
  readonly text?: readonly string[];
}

/** cgan, a conditional pixelcnn: the class of each grid row — the request's, else row r shows class r mod classes. */
export function rowClasses(request: SampleRequest, rows: number, classes: number): number[] {
  const asked = request.classes;
  return Array.from({ length: rows }, (_, r) => {
    const k = typeof asked === 'number' ? asked : asked ? asked[r % asked.length] : r;
    return ((k % classes) + classes) % classes;
  });
}

/** Pixels between the tiles of a sample grid (and around them). */
export const GRID_GUTTER = 2;

/** A clip grid (one clip per row, `frames` frames across) shown one frame at a time: the columns of
 *  frame t, gutters included (GIFs and the panels' players crop the same rectangle). */
export function clipColumn(
  gridWidth: number,
  frames: number,
  t: number,
): { left: number; width: number } | null {
  const cell = (gridWidth - (frames + 1) * GRID_GUTTER) / frames;
  if (!Number.isInteger(cell) || cell < 1 || !Number.isInteger(t) || t < 0 || t >= frames) return null;
  return { left: t * (cell + GRID_GUTTER), width: cell + 2 * GRID_GUTTER };
}
