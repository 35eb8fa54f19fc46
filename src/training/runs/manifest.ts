// checkpoints/step-NNNNNN/manifest.json: the size and SHA-256 of every file of a checkpoint,
// written last. A checkpoint is used only when its files match it, so a truncated weights file,
// a broken trainer.json or a deleted model.json is caught before TensorFlow.js reads them.
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export const MANIFEST = 'manifest.json';
const FORMAT = 1;

interface FileEntry {
  readonly size: number;
  readonly sha256: string;
}

interface Manifest {
  readonly format: number;
  /** By path relative to the checkpoint folder, with `/` separators. */
  readonly files: Readonly<Record<string, FileEntry>>;
}

function filesUnder(dir: string, root = dir): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...filesUnder(path, root));
    else if (entry.isFile() && !(dir === root && entry.name === MANIFEST)) files.push(path);
  }
  return files;
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function key(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}

/** Describes every file now in `dir` and writes (and fsyncs) the manifest. */
export function writeManifest(dir: string): void {
  const files: Record<string, FileEntry> = {};
  for (const path of filesUnder(dir))
    files[key(dir, path)] = { size: statSync(path).size, sha256: sha256(path) };
  const manifest: Manifest = { format: FORMAT, files };
  const fd = openSync(join(dir, MANIFEST), 'w');
  try {
    writeSync(fd, JSON.stringify(manifest, null, 1) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function readManifest(dir: string): Manifest | string | null {
  let text: string;
  try {
    text = readFileSync(join(dir, MANIFEST), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return `${MANIFEST} is unreadable`;
  }
  try {
    const value = JSON.parse(text) as Partial<Manifest>;
    if (value.format !== FORMAT || typeof value.files !== 'object' || value.files === null)
      return `${MANIFEST} is not a format-${FORMAT} manifest`;
    return value as Manifest;
  } catch {
    return `${MANIFEST} is not valid JSON`;
  }
}

/** Null when every file of the manifest is present with its size and checksum; else why not.
 *  Checkpoints written before manifests existed have none: loading them is their only check. */
export function verifyCheckpoint(dir: string): string | null {
  const manifest = readManifest(dir);
  if (manifest === null) return null;
  if (typeof manifest === 'string') return manifest;
  for (const [name, entry] of Object.entries(manifest.files)) {
    const path = join(dir, ...name.split('/'));
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      return `${name} is missing`;
    }
    if (size !== entry.size) return `${name} has ${size} bytes, the manifest says ${entry.size}`;
    if (sha256(path) !== entry.sha256) return `${name} does not match its checksum`;
  }
  return null;
}
