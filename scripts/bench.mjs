// Runs a benchmark as production runs it: bundled by esbuild (no TypeScript loader in the loop).
// usage: node scripts/bench.mjs NAME [args...]   (bench/NAME.bench.ts)
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { nodeExternal } from './externals.mjs';

const [name, ...args] = process.argv.slice(2);
if (!name) {
  console.error('usage: node scripts/bench.mjs NAME [args...]');
  process.exit(2);
}
const outfile = `dist/bench/${name}.js`;
await build({
  entryPoints: [`bench/${name}.bench.ts`],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
  // As in scripts/build.mjs: TensorFlow.js bundled (one copy), native and data packages required at run time.
  external: nodeExternal,
});
const r = spawnSync(process.execPath, [outfile, ...args], { stdio: 'inherit' });
process.exit(r.status ?? 1);
