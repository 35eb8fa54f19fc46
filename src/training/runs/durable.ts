// fsync: a rename publishes a file only once its bytes (and the folder entry) are on disk, so a
// power loss leaves the old version or the new one, never an empty or partial file.
import { closeSync, fsyncSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } catch (error) {
    // Some file systems (and Windows, for folders) cannot fsync a folder; the data is still synced.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EPERM' && code !== 'EISDIR') throw error;
  } finally {
    closeSync(fd);
  }
}

export function fsyncFile(path: string): void {
  fsyncPath(path);
}

export function fsyncDir(dir: string): void {
  fsyncPath(dir);
}

/** Every file and folder under dir, deepest first, then dir itself. */
export function fsyncTree(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) fsyncTree(path);
    else if (entry.isFile()) fsyncFile(path);
  }
  fsyncDir(dir);
}
