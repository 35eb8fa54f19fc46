// Optional packages (tfjs-node, tfjs-node-gpu, webgpu) are not dependencies: they are found at
// run time next to GAN Studio or under the folders the user configured.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const requireHere = createRequire(__filename);

export interface ResolvedModule {
  readonly name: string;
  /** The package's entry file. */
  readonly entry: string;
  readonly version: string | null;
  /** The package's folder. */
  readonly dir: string;
}

/** Cheap and side-effect free: finds the package without loading it. */
export function resolveOptionalModule(
  name: string,
  extraModulePaths: readonly string[] = [],
): ResolvedModule | null {
  const searchFrom = [...extraModulePaths, __dirname, process.cwd()];
  let entry: string;
  try {
    entry = requireHere.resolve(name, { paths: searchFrom });
  } catch {
    return null;
  }
  const dir = packageDirOf(entry, name);
  return { name, entry, dir, version: readVersion(dir) };
}

/** Loads a resolved package (runs its code). */
export function loadModule(module: ResolvedModule): unknown {
  return requireHere(module.entry);
}

function packageDirOf(entry: string, name: string): string {
  const marker = `${path.sep}node_modules${path.sep}${name.split('/').join(path.sep)}`;
  const at = entry.lastIndexOf(marker);
  return at >= 0 ? entry.slice(0, at + marker.length) : path.dirname(entry);
}

function readVersion(dir: string): string | null {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof manifest.version === 'string' ? manifest.version : null;
  } catch {
    return null;
  }
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
