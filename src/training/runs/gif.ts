// Animated GIF89a (looping) from RGBA frames: grey frames get 256 greys, colour ones a 6×6×6
// colour cube plus 40 greys. Written here because no GIF encoder is among the project's
// installed packages; the format is small (LZW with variable-width codes, 255-byte sub-blocks).

export interface RgbaFrames {
  readonly width: number;
  readonly height: number;
  /** One width·height·4 buffer per frame. */
  readonly frames: readonly Uint8Array[];
  /** Time each frame shows, in hundredths of a second. */
  readonly delay: number;
}

interface Palette {
  readonly colours: Uint8Array; // 256 × RGB
  index(r: number, g: number, b: number): number;
}

function greyPalette(): Palette {
  const colours = new Uint8Array(768);
  for (let i = 0; i < 256; i++) colours.fill(i, i * 3, i * 3 + 3);
  return { colours, index: (r, g, b) => Math.round((r + g + b) / 3) };
}

function colourPalette(): Palette {
  const colours = new Uint8Array(768);
  const level = (v: number): number => Math.round(v / 51);
  for (let i = 0; i < 216; i++) {
    colours[i * 3] = Math.floor(i / 36) * 51;
    colours[i * 3 + 1] = (Math.floor(i / 6) % 6) * 51;
    colours[i * 3 + 2] = (i % 6) * 51;
  }
  for (let i = 0; i < 40; i++)
    colours.fill(Math.round(((i + 1) * 255) / 41), (216 + i) * 3, (216 + i) * 3 + 3);
  return {
    colours,
    index(r, g, b) {
      if (Math.abs(r - g) < 8 && Math.abs(g - b) < 8) {
        const grey = Math.round((((r + g + b) / 3) * 41) / 255) - 1;
        if (grey >= 0 && grey < 40) return 216 + grey;
      }
      return level(r) * 36 + level(g) * 6 + level(b);
    },
  };
}

class ByteSink {
  private bytes: number[] = [];
  push(...values: number[]): void {
    for (const v of values) this.bytes.push(v & 0xff);
  }
  word(v: number): void {
    this.push(v & 0xff, v >> 8);
  }
  all(values: Uint8Array): void {
    for (const v of values) this.bytes.push(v);
  }
  text(s: string): void {
    for (const ch of s) this.push(ch.charCodeAt(0));
  }
  toArray(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** LZW-compresses 8-bit indices as GIF image data (minimum code size 8), in sub-blocks. */
export function lzwBlocks(indices: Uint8Array): Uint8Array {
  const CLEAR = 256;
  const END = 257;
  const out: number[] = [];
  let bits = 0;
  let bitCount = 0;
  let size = 9;
  let next = 258;
  const table = new Map<number, number>();
  const write = (code: number): void => {
    bits |= code << bitCount;
    bitCount += size;
    while (bitCount >= 8) {
      out.push(bits & 0xff);
      bits >>>= 8;
      bitCount -= 8;
    }
  };
  // A decoder widens its codes once its table reaches the current width's limit.
  const emit = (code: number): void => {
    write(code);
    if (next > (1 << size) - 1 && size < 12) size++;
  };
  write(CLEAR);
  let prefix = indices[0] ?? 0;
  for (let i = 1; i < indices.length; i++) {
    const k = indices[i];
    const key = prefix * 256 + k;
    const known = table.get(key);
    if (known !== undefined) {
      prefix = known;
      continue;
    }
    emit(prefix);
    if (next < 4096) table.set(key, next++);
    else {
      write(CLEAR);
      table.clear();
      next = 258;
      size = 9;
    }
    prefix = k;
  }
  emit(prefix);
  write(END);
  if (bitCount > 0) out.push(bits & 0xff);
  const blocks: number[] = [];
  for (let i = 0; i < out.length; i += 255) {
    const end = Math.min(out.length, i + 255);
    blocks.push(end - i);
    for (let j = i; j < end; j++) blocks.push(out[j]);
  }
  blocks.push(0);
  return Uint8Array.from(blocks);
}

function isGrey(frames: readonly Uint8Array[]): boolean {
  return frames.every((f) => {
    for (let i = 0; i < f.length; i += 4) if (f[i] !== f[i + 1] || f[i + 1] !== f[i + 2]) return false;
    return true;
  });
}

export function encodeGif({ width, height, frames, delay }: RgbaFrames): Uint8Array {
  if (width < 1 || height < 1 || width > 65535 || height > 65535 || !frames.length)
    throw new Error(`cannot encode a ${width}x${height} animation of ${frames.length} frames`);
  const palette = isGrey(frames) ? greyPalette() : colourPalette();
  const gif = new ByteSink();
  gif.text('GIF89a');
  gif.word(width);
  gif.word(height);
  gif.push(0xf7, 0, 0); // a global table of 256 colours
  gif.all(palette.colours);
  gif.push(0x21, 0xff, 0x0b);
  gif.text('NETSCAPE2.0');
  gif.push(0x03, 0x01, 0, 0, 0); // loop forever
  const indices = new Uint8Array(width * height);
  for (const frame of frames) {
    for (let p = 0; p < indices.length; p++)
      indices[p] = palette.index(frame[p * 4], frame[p * 4 + 1], frame[p * 4 + 2]);
    gif.push(0x21, 0xf9, 0x04, 0);
    gif.word(delay);
    gif.push(0, 0);
    gif.push(0x2c);
    gif.word(0);
    gif.word(0);
    gif.word(width);
    gif.word(height);
    gif.push(0, 8);
    gif.all(lzwBlocks(indices));
  }
  gif.push(0x3b);
  return gif.toArray();
}
