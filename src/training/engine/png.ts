// Sample grids as PNG: tiles of images in the data's scale mapped back to 0..255.
import { PNG } from 'pngjs';
import { GRID_GUTTER } from '../../protocol/sample';

export const GUTTER = GRID_GUTTER;
const GUTTER_VALUE = 32;

export interface ImageGrid {
  readonly rows: number;
  readonly cols: number;
  /** rows·cols images, N·H·W·C channels-last, in the data's scale; missing tiles stay blank. */
  readonly pixels: Float32Array;
  readonly shape: readonly [number, number, number];
  readonly scale: readonly [number, number];
}

export function gridSize(
  rows: number,
  cols: number,
  shape: readonly [number, number, number],
): [number, number] {
  const [h, w] = shape;
  return [cols * w + (cols + 1) * GUTTER, rows * h + (rows + 1) * GUTTER];
}

export function encodeGrid(grid: ImageGrid): Uint8Array {
  const [h, w, c] = grid.shape;
  const [width, height] = gridSize(grid.rows, grid.cols, grid.shape);
  const png = new PNG({ width, height, colorType: 6 });
  png.data.fill(GUTTER_VALUE);
  for (let i = 3; i < png.data.length; i += 4) png.data[i] = 255;
  const [lo, hi] = grid.scale;
  const toByte = (v: number): number => Math.max(0, Math.min(255, Math.round(((v - lo) / (hi - lo)) * 255)));
  const count = Math.min(grid.rows * grid.cols, grid.pixels.length / (h * w * c));
  for (let n = 0; n < count; n++) {
    const top = GUTTER + Math.floor(n / grid.cols) * (h + GUTTER);
    const left = GUTTER + (n % grid.cols) * (w + GUTTER);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const src = ((n * h + y) * w + x) * c;
        const dst = ((top + y) * width + left + x) * 4;
        for (let k = 0; k < 3; k++)
          png.data[dst + k] = toByte(grid.pixels[src + (c === 1 ? 0 : Math.min(k, c - 1))]);
      }
    }
  }
  return new Uint8Array(PNG.sync.write(png));
}
