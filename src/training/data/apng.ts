// Animated PNG (APNG) frames for the clips source. sharp (libvips) reads only an APNG's default
// image, so the frames are decoded with upng-js, which composes each frame over the ones before it
// as the frame's dispose and blend operations say, and are then handed to sharp as raw RGBA.
import { open, readFile } from 'node:fs/promises';
import UPNG from 'upng-js';

const SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
/** acTL precedes the image data, which starts within the first chunks of any real file. */
const HEAD_BYTES = 1 << 16;

export function isPngName(path: string): boolean {
  const lower = path.toLowerCase();
  return lower.endsWith('.png') || lower.endsWith('.apng');
}

/** Frames a PNG declares: its acTL chunk's count for an APNG, 1 for a still PNG, 0 when unreadable. */
export async function pngFrameCount(path: string): Promise<number> {
  let head: Buffer;
  try {
    const file = await open(path, 'r');
    try {
      const { buffer, bytesRead } = await file.read(Buffer.alloc(HEAD_BYTES), 0, HEAD_BYTES, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  } catch {
    return 0;
  }
  if (head.length < 8 || !head.subarray(0, 8).equals(SIGNATURE)) return 0;
  for (let at = 8; at + 8 <= head.length;) {
    const length = head.readUInt32BE(at);
    const type = head.toString('latin1', at + 4, at + 8);
    if (type === 'acTL') return at + 12 <= head.length ? Math.max(1, head.readUInt32BE(at + 8)) : 1;
    if (type === 'IDAT' || type === 'IEND') return 1;
    at += 12 + length;
  }
  return 1;
}

export interface RgbaFrames {
  readonly width: number;
  readonly height: number;
  /** Each frame composed in full, width × height × 4 bytes. */
  readonly frames: readonly Uint8Array[];
}

/** Decoded animations kept for the frames still to be read (clips decode a few files at a time). */
const RECENT = new Map<string, Promise<RgbaFrames>>();
const KEEP = 16;

async function decodeAll(path: string): Promise<RgbaFrames> {
  const bytes = await readFile(path);
  const image = UPNG.decode(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const frames = UPNG.toRGBA8(image).map((frame) => new Uint8Array(frame));
  return { width: image.width, height: image.height, frames };
}

/** Frame `page` of an APNG (0-based), as raw RGBA that sharp reads. */
export async function apngFrame(
  path: string,
  page: number,
): Promise<{ data: Uint8Array; raw: { width: number; height: number; channels: 4 } }> {
  let decoded = RECENT.get(path);
  if (!decoded) {
    decoded = decodeAll(path);
    RECENT.set(path, decoded);
    if (RECENT.size > KEEP) RECENT.delete(RECENT.keys().next().value as string);
    decoded.catch(() => RECENT.delete(path));
  }
  const { width, height, frames } = await decoded;
  const data = frames[page];
  if (!data) throw new Error(`${path}: frame ${page + 1} of an animation of ${frames.length} frames`);
  return { data, raw: { width, height, channels: 4 } };
}
