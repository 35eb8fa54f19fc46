// Sample grids: tiles land where they should, the data scale maps back onto 0..255, RGB stays RGB.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { PNG } from 'pngjs';
import { GUTTER, encodeGrid, gridSize } from '../../../src/training/engine/png';

it('writes rows x cols tiles with gutters, mapping [-1, 1] onto 0..255', () => {
  const [h, w, c] = [3, 2, 3];
  const count = 2 * 3;
  const pixels = new Float32Array(count * h * w * c);
  // Tile n: red = -1 + n·0.4, green = +1, blue = -1.
  for (let n = 0; n < count; n++)
    for (let p = 0; p < h * w; p++) pixels.set([-1 + n * 0.4, 1, -1], (n * h * w + p) * c);
  const png = PNG.sync.read(
    Buffer.from(encodeGrid({ rows: 2, cols: 3, pixels, shape: [h, w, c], scale: [-1, 1] })),
  );
  assert.deepEqual([png.width, png.height], gridSize(2, 3, [h, w, c]));
  assert.deepEqual([png.width, png.height], [3 * w + 4 * GUTTER, 2 * h + 3 * GUTTER]);
  const at = (x: number, y: number): number[] => [
    ...png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 4),
  ];
  for (let n = 0; n < count; n++) {
    const left = GUTTER + (n % 3) * (w + GUTTER);
    const top = GUTTER + Math.floor(n / 3) * (h + GUTTER);
    assert.deepEqual(at(left + w - 1, top + h - 1), [Math.round(((n * 0.4) / 2) * 255), 255, 0, 255]);
  }
  assert.notDeepEqual(at(0, 0).slice(0, 3), [255, 255, 0]);
});

it('writes grayscale tiles as equal channels, clamping values outside the scale', () => {
  const pixels = new Float32Array([0, 0.5, 1, 2]);
  const png = PNG.sync.read(
    Buffer.from(encodeGrid({ rows: 1, cols: 1, pixels, shape: [2, 2, 1], scale: [0, 1] })),
  );
  const row = (y: number): number[] =>
    [0, 1].flatMap((x) => [
      ...png.data.subarray(
        ((GUTTER + y) * png.width + GUTTER + x) * 4,
        ((GUTTER + y) * png.width + GUTTER + x) * 4 + 3,
      ),
    ]);
  assert.deepEqual(row(0), [0, 0, 0, 128, 128, 128]);
  assert.deepEqual(row(1), [255, 255, 255, 255, 255, 255]);
});
