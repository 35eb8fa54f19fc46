// Animated GIFs of clip grids: decoded back here (a plain GIF89a reader: header, global palette,
// frames, LZW) and compared pixel by pixel with the PNG strip they come from.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { clipColumn } from '../../../src/protocol/sample';
import { encodeGrid } from '../../../src/training/engine/png';
import { clipFrames, clipGif, FRAME_DELAY } from '../../../src/training/runs/clipAnimation';
import { encodeGif } from '../../../src/training/runs/gif';

interface Decoded {
  width: number;
  height: number;
  loops: boolean;
  delays: number[];
  /** RGB per pixel per frame. */
  frames: Uint8Array[];
}

function lzwDecode(data: Uint8Array, minSize: number, pixels: number): Uint8Array {
  const out = new Uint8Array(pixels);
  const clear = 1 << minSize;
  const end = clear + 1;
  let size = minSize + 1;
  let table: number[][] = [];
  const reset = () => {
    table = Array.from({ length: clear + 2 }, (_, i) => [i]);
    size = minSize + 1;
  };
  reset();
  let bit = 0;
  let n = 0;
  let previous: number[] | null = null;
  for (;;) {
    let code = 0;
    for (let i = 0; i < size; i++, bit++) code |= ((data[bit >> 3] >> (bit & 7)) & 1) << i;
    if (code === clear) {
      reset();
      previous = null;
      continue;
    }
    if (code === end) break;
    let entry: number[];
    if (code < table.length) entry = table[code];
    else if (previous && code === table.length) entry = [...previous, previous[0]];
    else throw new Error(`bad code ${code} at entry ${table.length}`);
    for (const v of entry) out[n++] = v;
    if (previous && table.length < 4096) table.push([...previous, entry[0]]);
    if (table.length === 1 << size && size < 12) size++;
    previous = entry;
  }
  assert.equal(n, pixels, 'every pixel decoded');
  return out;
}

function decodeGif(bytes: Uint8Array): Decoded {
  assert.equal(Buffer.from(bytes.subarray(0, 6)).toString('latin1'), 'GIF89a');
  const word = (at: number) => bytes[at] | (bytes[at + 1] << 8);
  const width = word(6);
  const height = word(8);
  assert.equal(bytes[10] & 0x80, 0x80, 'a global palette');
  const paletteSize = 2 << (bytes[10] & 7);
  const palette = bytes.subarray(13, 13 + 3 * paletteSize);
  let at = 13 + 3 * paletteSize;
  const result: Decoded = { width, height, loops: false, delays: [], frames: [] };
  const blocks = (): Uint8Array => {
    const parts: number[] = [];
    while (bytes[at] !== 0) {
      const length = bytes[at];
      for (let i = 1; i <= length; i++) parts.push(bytes[at + i]);
      at += length + 1;
    }
    at++;
    return Uint8Array.from(parts);
  };
  for (;;) {
    const kind = bytes[at++];
    if (kind === 0x3b) break;
    if (kind === 0x21) {
      const label = bytes[at++];
      if (label === 0xf9) result.delays.push(word(at + 2));
      if (label === 0xff)
        result.loops ||= Buffer.from(bytes.subarray(at + 1, at + 12)).toString('latin1') === 'NETSCAPE2.0';
      blocks();
      continue;
    }
    assert.equal(kind, 0x2c, 'an image descriptor');
    assert.equal(word(at + 4), width);
    assert.equal(word(at + 6), height);
    at += 9;
    const minSize = bytes[at++];
    const indices = lzwDecode(blocks(), minSize, width * height);
    const rgb = new Uint8Array(width * height * 3);
    indices.forEach((k, p) => rgb.set(palette.subarray(k * 3, k * 3 + 3), p * 3));
    result.frames.push(rgb);
  }
  return result;
}

describe('gif', () => {
  it('grey frames round-trip exactly, through table resets of long noisy frames', () => {
    const width = 150;
    const height = 120;
    let state = 7;
    const noise = () => (state = (state * 1103515245 + 12345) >>> 0) >>> 24;
    const frames = [0, 1, 2].map((f) => {
      const rgba = new Uint8Array(width * height * 4);
      for (let p = 0; p < width * height; p++) {
        const v = f === 0 ? (p * 7) % 256 : f === 1 ? 200 : noise();
        rgba.set([v, v, v, 255], p * 4);
      }
      return rgba;
    });
    const decoded = decodeGif(encodeGif({ width, height, frames, delay: 9 }));
    assert.equal(decoded.loops, true);
    assert.deepEqual(decoded.delays, [9, 9, 9]);
    assert.equal(decoded.frames.length, 3);
    decoded.frames.forEach((rgb, f) => {
      const grey = (bytes: Uint8Array, stride: number) => bytes.filter((_, i) => i % stride === 0);
      assert.deepEqual(grey(rgb, 3), grey(frames[f], 4), `frame ${f}`);
    });
  });

  it('colour frames land on the nearest colour of the cube', () => {
    const rgba = Uint8Array.from([255, 0, 0, 255, 10, 250, 100, 255, 128, 128, 128, 255, 0, 0, 255, 255]);
    const [rgb] = decodeGif(encodeGif({ width: 2, height: 2, frames: [rgba], delay: 1 })).frames;
    for (let i = 0; i < 4; i++)
      for (let c = 0; c < 3; c++) assert.ok(Math.abs(rgb[i * 3 + c] - rgba[i * 4 + c]) <= 26, `pixel ${i}`);
  });

  it('a clip grid plays frame t as column t of every row', () => {
    const [rows, frames, h, w] = [3, 4, 5, 6];
    const pixels = new Float32Array(rows * frames * h * w).map((_, i) => ((i * 37) % 200) / 100 - 1);
    const png = encodeGrid({ rows, cols: frames, pixels, shape: [h, w, 1], scale: [-1, 1] });
    const strip = PNG.sync.read(Buffer.from(png));
    const animation = clipFrames(png, frames);
    const decoded = decodeGif(clipGif(png, frames));
    assert.equal(decoded.frames.length, frames);
    assert.deepEqual(decoded.delays, Array(frames).fill(FRAME_DELAY));
    assert.equal(decoded.height, strip.height);
    for (let t = 0; t < frames; t++) {
      const column = clipColumn(strip.width, frames, t);
      assert.ok(column);
      assert.equal(decoded.width, column.width);
      assert.equal(animation.frames[t].length, column.width * strip.height * 4);
      for (let y = 0; y < strip.height; y++)
        for (let x = 0; x < column.width; x++)
          assert.equal(
            decoded.frames[t][(y * column.width + x) * 3],
            strip.data[(y * strip.width + column.left + x) * 4],
            `frame ${t} at ${x},${y}`,
          );
    }
    assert.equal(clipColumn(strip.width, frames, frames), null);
    assert.equal(clipColumn(strip.width + 1, frames, 0), null);
  });
});
