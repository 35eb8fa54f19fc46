// Builds and packs the extension (.vsix) in a copy of the repository, as a user's `npm run package`
// would, without touching dist/ (other tests run the built workers from it).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../..');

/** Never copied into the staging folder: installed or generated, and not part of the package. */
const NOT_STAGED = new Set([
  'node_modules',
  '.git',
  'dist',
  'test-results',
  '.e2e',
  '.vscode-test',
  '.gan',
  'out',
]);

/** Packs into `vsixPath`, staging under `scratch`; returns the seconds it took. */
export function packExtension(scratch: string, vsixPath: string): number {
  const started = Date.now();
  const staging = join(scratch, 'staging');
  mkdirSync(staging);
  for (const name of readdirSync(REPO_ROOT))
    if (!NOT_STAGED.has(name)) cpSync(join(REPO_ROOT, name), join(staging, name), { recursive: true });
  const quiet = { cwd: REPO_ROOT, stdio: 'pipe' } as const;
  execFileSync(
    process.execPath,
    ['scripts/build.mjs', '--production', '--outdir', join(staging, 'dist')],
    quiet,
  );
  const vsce = join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const pack = ['package', '--no-dependencies', '--no-rewrite-relative-links', '--out', vsixPath];
  execFileSync(process.execPath, [vsce, ...pack], { ...quiet, cwd: staging });
  return (Date.now() - started) / 1000;
}
