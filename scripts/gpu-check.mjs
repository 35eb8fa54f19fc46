// `npm run gpu:check`: the GPU check (bench/gpu-check.ts) as one self-contained folder,
// .cache/gpu-check/, that runs on a bare GPU machine with Node ≥ 20 and no network or node_modules:
// the bundled check (TensorFlow.js inside), the wasm binaries, and only this platform's Dawn binary
// with the WebGPU backend (about 30 MiB for linux-x64). The folder is made here, where node_modules
// exists (`--pack` makes it and stops); where it already exists the check just runs.
// usage: node scripts/gpu-check.mjs [--pack] [-- CHECK-ARGS...]   (see bench/gpu-check.ts)
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const out = join(root, '.cache', 'gpu-check');
const entry = join(out, 'gpu-check.js');
const args = process.argv.slice(2);
const pack = args.includes('--pack');
const checkArgs = args.includes('--') ? args.slice(args.indexOf('--') + 1) : [];

if (pack || !existsSync(entry)) await packCheck();
if (pack) process.exit(0);
const r = spawnSync(process.execPath, [entry, ...checkArgs], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);

async function packCheck() {
  const { build } = await import('esbuild');
  const { nodeExternal } = await import('./externals.mjs');
  const require = createRequire(join(root, 'package.json'));
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: [join(root, 'bench', 'gpu-check.ts')],
    outfile: entry,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
    external: nodeExternal,
  });
  writeFileSync(join(out, 'package.json'), '{ "type": "commonjs" }\n');
  // The wasm backend finds its binaries in wasm/ beside the bundle (wasmModule.ts).
  cpSync(join(root, 'dist', 'wasm'), join(out, 'wasm'), { recursive: true });

  // webgpu: its ESM entry and this platform's dawn.node only.
  const dawnDir = dirname(require.resolve('webgpu/package.json'));
  const platformDir = `${process.platform}-${process.platform === 'darwin' ? 'universal' : process.arch}`;
  const dawnTarget = join(out, 'node_modules', 'webgpu');
  mkdirSync(join(dawnTarget, 'dist'), { recursive: true });
  for (const file of ['package.json', 'index.js']) copyFileSync(join(dawnDir, file), join(dawnTarget, file));
  cpSync(join(dawnDir, 'dist', platformDir), join(dawnTarget, 'dist', platformDir), { recursive: true });

  // tfjs-backend-webgpu with its own tfjs-core inlined (tfjs shares one engine through globalThis).
  const backendDir = dirname(require.resolve('@tensorflow/tfjs-backend-webgpu/package.json'));
  const backendManifest = JSON.parse(readFileSync(join(backendDir, 'package.json'), 'utf8'));
  const backendTarget = join(out, 'node_modules', '@tensorflow', 'tfjs-backend-webgpu');
  await build({
    entryPoints: [join(backendDir, backendManifest.main)],
    outfile: join(backendTarget, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  });
  writeFileSync(
    join(backendTarget, 'package.json'),
    `${JSON.stringify({ name: backendManifest.name, version: backendManifest.version, main: 'index.js' })}\n`,
  );
  const du = spawnSync('du', ['-sh', out], { encoding: 'utf8' });
  console.log(`packed ${du.stdout.trim() || out} (carry .cache/gpu-check to the GPU machine)`);
}
