// Writes that a reader (or a crash, or a power loss) never sees half done: write a temporary
// sibling, flush it to disk, rename it over the file, then flush the folder entry.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { fsyncDir, fsyncFile } from './durable';
import { basename, dirname, join } from 'node:path';

let counter = 0;

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${counter++}.tmp`);
  try {
    writeFileSync(temp, data);
    fsyncFile(temp);
    renameSync(temp, path);
    fsyncDir(dirname(path));
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}
