// Bundles every entry point with esbuild. Entries whose source does not exist yet are skipped,
// so the build works while the project grows.
import { build } from 'esbuild';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';

const production = process.argv.includes('--production');
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning' };
// Native or wasm-carrying packages stay outside the bundle and are required at run time.
const nodeExternal = [
  'vscode',
  // One copy of TensorFlow.js for every backend: bundling tfjs-core while a backend package requires its
  // own would register kernels into a second, unused engine.
  '@tensorflow/*',
  'webgpu',
  'sharp',
];

const nodeEntries = [
  ['src/extension/main.ts', 'dist/extension.js'],
  ['src/server/main.ts', 'dist/server.js'],
  ['src/cli/main.ts', 'dist/cli.js'],
  ['src/training/worker.ts', 'dist/worker.js'],
];
const browserEntries = [
  ['src/webview/dashboard/main.ts', 'dist/webview/dashboard.js'],
  ['src/webview/preview/main.ts', 'dist/webview/preview.js'],
];

mkdirSync('dist', { recursive: true });
const jobs = [];
for (const [entry, outfile] of nodeEntries) {
  if (!existsSync(entry)) continue;
  jobs.push(
    build({
      ...common,
      entryPoints: [entry],
      outfile,
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
      outfile,
      platform: 'browser',
      target: 'es2022',
      format: 'iife',
      loader: { '.css': 'text' },
    }),
  );
}
await Promise.all(jobs);
if (!existsSync('dist/package.json')) writeFileSync('dist/package.json', '{ "type": "commonjs" }\n');
