// An image folder with good and unreadable images, shared by the folder tests (issue 10, case 3).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';

/** A PNG whose header claims width x height (no pixel data): decoders must refuse it cheaply. */
export function hugePngHeader(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IEND', Buffer.alloc(0))]);
}

/** Twelve good images plus a corrupt, an empty and a 30000x30000 one. */
export async function folderWithBadImages(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'gan-skips-'));
  const images = join(dir, 'images');
  mkdirSync(images);
  for (let i = 0; i < 12; i++)
    await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: i * 20, g: 0, b: 0 } } })
      .png()
      .toFile(join(images, `img-${String(i).padStart(2, '0')}.png`));
  writeFileSync(join(images, 'a-corrupt.png'), 'not a png');
  writeFileSync(join(images, 'b-empty.png'), '');
  writeFileSync(join(images, 'c-huge.png'), hugePngHeader(30000, 30000));
  return dir;
}
