// A clip grid (one clip per row, its frames across: a video model's sample PNG) as an animation:
// frame t shows column t of every row, gutters kept, so the clips play side by side.
import { PNG } from 'pngjs';
import { clipColumn } from '../../protocol/sample';
import { encodeGif, type RgbaFrames } from './gif';

/** Hundredths of a second per frame (8 frames loop in about a second). */
export const FRAME_DELAY = 12;

export function clipFrames(png: Uint8Array, frames: number): RgbaFrames {
  const image = PNG.sync.read(Buffer.from(png));
  const out: Uint8Array[] = [];
  let width = 0;
  for (let t = 0; t < frames; t++) {
    const column = clipColumn(image.width, frames, t);
    if (!column) throw new Error(`a ${image.width} px wide grid is not ${frames} frames across`);
    width = column.width;
    const frame = new Uint8Array(width * image.height * 4);
    for (let y = 0; y < image.height; y++) {
      const from = (y * image.width + column.left) * 4;
      frame.set(image.data.subarray(from, from + width * 4), y * width * 4);
    }
    out.push(frame);
  }
  return { width, height: image.height, frames: out, delay: FRAME_DELAY };
}

/** The clip grid as a looping GIF. */
export function clipGif(png: Uint8Array, frames: number): Uint8Array {
  return encodeGif(clipFrames(png, frames));
}
