// Optional backend packages (tfjs-node, tfjs-node-gpu, webgpu) are not dependencies: they are
// found at run time by the shared resolver (../optionalModule.ts), which looks next to GAN Studio
// and under the folders the user configured, never in the working folder unless opted in.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { requireEntry, resolveOptionalEntry } from '../optionalModule';

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
  const entry = resolveOptionalEntry(name, extraModulePaths);
  if (entry === null) return null;
  const dir = packageDirOf(entry, name);
  return { name, entry, dir, version: readVersion(dir) };
}

/** Loads a resolved package (runs its code). */
export function loadModule(module: ResolvedModule): unknown {
  return requireEntry(module.entry);
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
