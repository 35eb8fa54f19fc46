// Captions for text-conditioned models, fully offline. emoji: the emoji's name, short names,
// category and subcategory from the style package's emoji.json, in the order of usableEmoji.
// folder: `image.txt` beside `image.png`, else the `image.png: caption` line of a captions.txt
// in the image's folder (a tab may stand for the colon).
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';

interface EmojiNames {
  readonly name?: string | null;
  readonly short_names?: readonly string[];
  readonly category: string;
  readonly subcategory?: string;
}

/** One emoji's caption: "grinning face, grinning, smileys & emotion, face-smiling". */
export function emojiCaption(entry: EmojiNames): string {
  const words = [
    entry.name ?? '',
    ...(entry.short_names ?? []).map((s) => s.replace(/[_-]+/g, ' ')),
    entry.category,
    (entry.subcategory ?? '').replace(/-/g, ' '),
  ];
  return words
    .map((w) => w.toLowerCase().trim())
    .filter((w, i, all) => w && all.indexOf(w) === i)
    .join(', ');
}

/** The caption lines of one captions.txt, by file name. */
function captionFile(path: string): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
    const match = /^([^:\t]+?)\s*[:\t]\s*(.*)$/.exec(line.trim());
    if (match) out.set(match[1], match[2].trim());
  }
  return out;
}

/** Each image's caption, '' where it has none; null when no image has one. */
export function folderCaptions(paths: readonly string[]): string[] | null {
  const files = new Map<string, ReadonlyMap<string, string>>();
  const listFor = (dir: string): ReadonlyMap<string, string> | undefined => {
    if (!files.has(dir)) {
      const list = join(dir, 'captions.txt');
      files.set(dir, existsSync(list) ? captionFile(list) : new Map());
    }
    return files.get(dir);
  };
  const captions = paths.map((path) => {
    const own = join(dirname(path), `${basename(path, extname(path))}.txt`);
    if (existsSync(own)) return readFileSync(own, 'utf8').trim().split(/\r?\n/)[0]?.trim() ?? '';
    return listFor(dirname(path))?.get(basename(path)) ?? '';
  });
  return captions.some((c) => c) ? captions : null;
}
