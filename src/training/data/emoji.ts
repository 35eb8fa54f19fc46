// Emoji from the npm packages emoji-datasource-google / emoji-datasource-twitter: each emoji
// is cut from the style's 64-px sprite sheet (flattened onto a background by sharp), resized
// to the model's shape in JS (one sharp call per emoji is ~10x slower) and labelled with its
// Unicode category.
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { EMOJI_CATEGORIES } from '../../language/schema';
import { emojiCaption } from './captions';
import { convertChannels } from './conform';
import { memoize } from './memo';
import { loadSharp, resolveDataPackage } from './optional-package';
import { createResampler } from './resample';
import { cachedTable } from './tableCache';
import { type ImageShape, type ImageTable, pixelsPerImage } from './table';

export const EMOJI_STYLES = ['google', 'twitter'] as const;
export type EmojiStyle = (typeof EMOJI_STYLES)[number];

/** The class ids of the emoji source: the schema's category list (Component, the bare
 *  skin-tone and hair swatches, is left out, so there are 9 classes). */
export { EMOJI_CATEGORIES };

export const EMOJI_CLASS_COUNT = EMOJI_CATEGORIES.length;

const CELL = 64;

interface EmojiEntry {
  readonly name?: string | null;
  readonly short_names?: readonly string[];
  readonly subcategory?: string;
  readonly category: string;
  readonly sheet_x: number;
  readonly sheet_y: number;
  readonly sort_order: number;
  readonly obsoleted_by?: string;
  readonly [hasImage: `has_img_${string}`]: boolean | undefined;
}

function packageDir(style: EmojiStyle): string {
  const name = `emoji-datasource-${style}`;
  return dirname(
    resolveDataPackage(name, `${name}/package.json`, `the emoji data source with style=${style}`),
  );
}

/** The emoji a style draws, in a fixed order (Unicode sort order), with their class ids. */
export function usableEmoji(
  entries: readonly EmojiEntry[],
  style: EmojiStyle,
): { entry: EmojiEntry; label: number }[] {
  const categories: readonly string[] = EMOJI_CATEGORIES;
  return entries
    .filter((e) => e[`has_img_${style}`] === true && !e.obsoleted_by && categories.includes(e.category))
    .sort((a, b) => a.sort_order - b.sort_order)
    .map((entry) => ({ entry, label: categories.indexOf(entry.category) }));
}

/** Each usable emoji's caption, in the order of the decoded table (captions.ts). */
export function emojiCaptions(style: EmojiStyle): Promise<readonly string[]> {
  return memoize(`emoji-captions:${style}`, async () => {
    const entries = JSON.parse(await readFile(join(packageDir(style), 'emoji.json'), 'utf8')) as EmojiEntry[];
    return usableEmoji(entries, style).map(({ entry }) => emojiCaption(entry));
  });
}

interface Sheet {
  /** RGB, already flattened onto the background. */
  readonly rgb: Buffer;
  readonly width: number;
  /** Distance between cell origins: the 64-px image plus its padding on both sides. */
  readonly stride: number;
}

/** Not memoized: the decoded sheet is 50 MB, the emoji cut from it are what is kept. */
async function readSheet(
  dir: string,
  style: EmojiStyle,
  gridSize: number,
  background: string,
): Promise<Sheet> {
  const file = join(dir, 'img', style, 'sheets', `${CELL}.png`);
  const sharp = loadSharp('the emoji data source');
  const { data, info } = await sharp(file)
    .flatten({ background })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const stride = info.width / gridSize;
  if (!Number.isInteger(stride) || stride < CELL || info.channels !== 3)
    throw new Error(`${file}: unexpected sprite sheet layout (${info.width} px, ${info.channels} channels)`);
  return { rgb: data, width: info.width, stride };
}

function cutCell(sheet: Sheet, x: number, y: number): Uint8Array {
  const pad = (sheet.stride - CELL) / 2;
  const cell = new Uint8Array(CELL * CELL * 3);
  for (let row = 0; row < CELL; row++) {
    const start = ((y * sheet.stride + pad + row) * sheet.width + x * sheet.stride + pad) * 3;
    cell.set(sheet.rgb.subarray(start, start + CELL * 3), row * CELL * 3);
  }
  return cell;
}

/** Bumped when decoding changes (cropping, resampling, categories): cached tables are redone. */
const DECODER_VERSION = 1;

/** Every usable emoji of a style at a shape, in the fixed order of usableEmoji (decoded once per
 *  machine: the table is cached in the user's cache folder, see tableCache.ts). */
export function loadEmoji(style: EmojiStyle, shape: ImageShape, background: string): Promise<ImageTable> {
  return memoize(`emoji:${style}:${shape.join('x')}:${background}`, async () => {
    const decode = (): Promise<ImageTable> => decodeEmoji(packageDir(style), style, shape, background);
    const key = await emojiTableKey(style, shape, background);
    // Without a sheet there is nothing to cache: the decoder says what to install.
    return key ? cachedTable(key, decode) : decode();
  });
}

/** What a decoded emoji table depends on; null when the style's sprite sheet is missing. */
export async function emojiTableKey(
  style: EmojiStyle,
  shape: ImageShape,
  background: string,
): Promise<string | null> {
  const dir = packageDir(style);
  const sheetFile = join(dir, 'img', style, 'sheets', `${CELL}.png`);
  if (!existsSync(sheetFile)) return null;
  const sheet = statSync(sheetFile);
  const { version } = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { version: string };
  const parts = [DECODER_VERSION, style, version, sheet.size, sheet.mtimeMs, shape.join('x'), background];
  return `emoji ${parts.join(' ')}`;
}

async function decodeEmoji(
  dir: string,
  style: EmojiStyle,
  shape: ImageShape,
  background: string,
): Promise<ImageTable> {
  const entries = JSON.parse(await readFile(join(dir, 'emoji.json'), 'utf8')) as EmojiEntry[];
  const gridSize = 1 + Math.max(...entries.map((e) => Math.max(e.sheet_x, e.sheet_y)));
  const sheet = await readSheet(dir, style, gridSize, background);
  const chosen = usableEmoji(entries, style);
  const size = pixelsPerImage(shape);
  const pixels = new Uint8Array(chosen.length * size);
  const resize = createResampler([CELL, CELL, 3], [shape[0], shape[1], 3]);
  chosen.forEach(({ entry }, i) => {
    pixels.set(convertChannels(resize(cutCell(sheet, entry.sheet_x, entry.sheet_y)), 3, shape[2]), i * size);
  });
  return { count: chosen.length, shape, pixels, labels: Int32Array.from(chosen, (c) => c.label) };
}
