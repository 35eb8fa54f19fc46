// Runs the built CLI (node bin/gan.js) the way a user does, in a scratch folder.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../../..');
const GAN = join(ROOT, 'bin', 'gan.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const info = statSync(path);
    newest = Math.max(newest, info.isDirectory() ? newestMtime(path) : info.mtimeMs);
  }
  return newest;
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/** Builds dist/ when it is missing or older than src/ (one builder at a time across test files).
 *  GAN_TEST_NO_BUILD=1 uses dist/ as it is. */
export async function ensureBuilt(): Promise<void> {
  if (process.env.GAN_TEST_NO_BUILD === '1') return;
  const outputs = ['cli.js', 'worker.js'].map((name) => join(ROOT, 'dist', name));
  const fresh = (): boolean =>
    outputs.every((out) => existsSync(out) && statSync(out).mtimeMs >= newestMtime(join(ROOT, 'src')));
  if (fresh()) return;
  const lock = join(tmpdir(), 'gan-studio-build.lock');
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      await sleep(200);
    }
  }
  try {
    if (!fresh()) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  } finally {
    rmdirSync(lock);
  }
}

export function scratch(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'gan-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunningCli {
  readonly child: ChildProcess;
  readonly result: Promise<CliResult>;
  output(): string;
}

export function startGan(args: readonly string[], cwd: string): RunningCli {
  const child = spawn(process.execPath, [GAN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const result = new Promise<CliResult>((done) =>
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr })),
  );
  return { child, result, output: () => stdout + stderr };
}

export function gan(args: readonly string[], cwd: string): Promise<CliResult> {
  return startGan(args, cwd).result;
}

/** Polls until `check` returns a value (or throws after timeoutMs). */
export async function waitFor<T>(check: () => T | undefined | null | false, timeoutMs = 60000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(20);
  }
}

/** A tiny GAN on procedural shapes, sized to train in milliseconds per step; `train` and
 *  `sample` vary per test. */
export function tinyGan(train: string, sample = 'every 8; grid 2x3'): string {
  return `# A tiny GAN on procedural shapes, sized to train in milliseconds per step.
model tiny: gan {
  data shapes size=8x8 channels=1 { scale [-1, 1]; batch 32 }
  latent 8
  generator {
    dense 32
    leakyrelu
    dense 64 activation=tanh
    reshape [8, 8, 1]
  }
  discriminator {
    flatten
    dense 32
    leakyrelu
    dense 1
  }
  loss nonsaturating
  optimizer adam lr=2e-3 beta1=0.5
  train { ${train} }
  sample { ${sample} }
}
`;
}
