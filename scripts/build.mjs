// Bundles every entry point with esbuild. Entries whose source does not exist yet are skipped,
// so the build works while the project grows.
import { build } from 'esbuild';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { nodeExternal } from './externals.mjs';

const production = process.argv.includes('--production');
// --outdir DIR builds elsewhere than dist/ (the packaging test stages a .vsix without touching dist/).
const outdirAt = process.argv.indexOf('--outdir');
const outdir = outdirAt > 0 ? process.argv[outdirAt + 1] : 'dist';
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning' };

const nodeEntries = [
  ['src/extension/main.ts', 'extension.js'],
  ['src/server/main.ts', 'server.js'],
  ['src/cli/main.ts', 'cli.js'],
  ['src/training/worker.ts', 'worker.js'],
];
const browserEntries = [
  ['src/webview/dashboard/main.ts', 'webview/dashboard.js'],
  ['src/webview/preview/main.ts', 'webview/preview.js'],
];

mkdirSync(outdir, { recursive: true });
const jobs = [];
for (const [entry, outfile] of nodeEntries) {
  if (!existsSync(entry)) continue;
  jobs.push(
    build({
      ...common,
      entryPoints: [entry],
      outfile: join(outdir, outfile),
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: nodeExternal,
    }),
  );
}
for (const [entry, outfile] of browserEntries) {
  if (!existsSync(entry)) continue;
  jobs.push(
    build({
      ...common,
      entryPoints: [entry],
      outfile: join(outdir, outfile),
      platform: 'browser',
      target: 'es2022',
      format: 'iife',
      loader: { '.css': 'text' },
    }),
  );
}
await Promise.all(jobs);
copyWasmFiles(join(outdir, 'wasm'));
// The evaluation's feature networks (scripts/train-classifiers.ts), found beside the bundle.
cpSync('assets/classifiers', join(outdir, 'classifiers'), { recursive: true });
const distManifest = join(outdir, 'package.json');
if (!existsSync(distManifest)) writeFileSync(distManifest, '{ "type": "commonjs" }\n');

/** The wasm backend's glue scripts and binaries, found by src/training/backend/wasm/wasmModule.ts
 *  beside the bundle, so an installed .vsix trains without node_modules. */
function copyWasmFiles(target) {
  const manifestPath = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json');
  const packageDir = dirname(manifestPath);
  const files = [
    ['dist', 'tfjs-backend-wasm.wasm'],
    ['dist', 'tfjs-backend-wasm-simd.wasm'],
    ['dist', 'tfjs-backend-wasm-threaded-simd.wasm'],
    ['wasm-out', 'tfjs-backend-wasm.js'],
    ['wasm-out', 'tfjs-backend-wasm-threaded-simd.js'],
    ['wasm-out', 'tfjs-backend-wasm-threaded-simd.worker.js'],
  ];
  mkdirSync(target, { recursive: true });
  for (const [folder, name] of files) copyFileSync(join(packageDir, folder, name), join(target, name));
  const { version } = JSON.parse(readFileSync(manifestPath, 'utf8'));
  writeFileSync(join(target, 'package.json'), `${JSON.stringify({ type: 'commonjs', version })}\n`);
}
