// Gunzipped copies of compressed dataset files in the user's cache folder. Gunzipping
// Fashion-MNIST's training images (26 MB → 47 MB) takes ~0.9 s in every process that trains on
// it, most of the time to a run's first sample grid; reading the copy takes ~30 ms. A copy is
// named by the file's path, size and modification time, written under a temporary name and
// renamed into place, and checked by the caller's parser before use: a missing, stale, truncated
// or unwritable copy falls back to gunzip.
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';

const gunzipAsync = promisify(gunzip);

/** $GAN_CACHE_DIR, else $XDG_CACHE_HOME/gan-studio, else ~/.cache/gan-studio. */
export function userCacheDir(): string {
  if (process.env.GAN_CACHE_DIR) return process.env.GAN_CACHE_DIR;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'gan-studio');
}

function copyPath(file: string): string {
  const stat = statSync(file);
  const key = createHash('sha256').update(`${file}\0${stat.size}\0${stat.mtimeMs}`).digest('hex');
  return join(userCacheDir(), 'decompressed', `${key.slice(0, 32)}.bin`);
}

/** Writes a cache file under a temporary name and renames it into place; a read-only or full
 *  cache folder is not an error (the next process decodes again). */
export function writeCacheFile(path: string, bytes: Uint8Array): void {
  try {
    mkdirSync(join(path, '..'), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, bytes);
    renameSync(temporary, path);
  } catch {
    // Only costs the next process a decode.
  }
}

/**
 * The gunzipped bytes of `file`. `check` throws when bytes are not a whole file of the expected
 * kind; a cached copy that fails it is replaced.
 */
export async function gunzippedFile(file: string, check: (bytes: Uint8Array) => void): Promise<Uint8Array> {
  const copy = copyPath(file);
  try {
    const cached = await readFile(copy);
    check(cached);
    return cached;
  } catch {
    // No usable copy: decompress the original.
  }
  const bytes = await gunzipAsync(await readFile(file));
  check(bytes);
  writeCacheFile(copy, bytes);
  return bytes;
}
