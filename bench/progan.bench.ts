// node scripts/bench.mjs progan — progressive growing against dcgan_small at equal wall-clock time.
//
// Trains examples/mnist-progan.gan (32x32 MNIST, 4→32) through its whole schedule and, at the same
// time (one wasm thread each, so both see the same load), the mnist-dcgan example's dcgan_small with
// a checkpoint every 100 steps, stopped when the progan run ends. Then `gan eval` measures FID in
// the evaluation's MNIST-classifier features (progan's 32x32 samples resized to 28x28 by the
// feature network) on 2000 samples: progan's last checkpoint, and dcgan_small's last checkpoint
// written within the progan run's wall time.
//
// Measured 2026-12-01 on the shared 2-core machine (other engineers' trainings running; one wasm
// thread each), 2000 samples, MNIST-classifier features:
//   end of the schedule: progan 1500 steps in 2365 s (48,000 images): FID 18.07, against
//     dcgan_small's checkpoint at 3300 steps, 2363 s (211,200 images): FID 27.02. Target met.
//   earlier, at 1741 s (progan's step 1000, 32x32 at α = 1 for 100 steps): 81.6 (IS 3.46) against
//     dcgan_small's 36.7 (step 1700, IS 5.09): right after the last fade-in it had not caught up.
// progan's 32x32 steps ran at 12-20 images/s under that load, dcgan_small's at 80-110.
//
// usage: node scripts/build.mjs && node scripts/bench.mjs progan [--samples N]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRun } from '../src/training/runs/reader';

const ROOT = process.cwd();
const GAN = join(ROOT, 'bin', 'gan.js');
const CHECKPOINT_EVERY = 100;

function argValue(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}

function run(args: readonly string[], cwd: string): { child: ChildProcess; done: Promise<string> } {
  const child = spawn(process.execPath, [GAN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const done = new Promise<string>((resolve) => child.on('close', () => resolve(output)));
  return { child, done };
}

function runFolder(output: string, dir: string): string {
  const found = /run folder: (\S+)/.exec(output)?.[1];
  if (!found) throw new Error(`no run folder in:\n${output}`);
  return join(dir, found);
}

/** The run's kept checkpoints with its wall time there (metrics.jsonl's `time` of that step's row). */
function checkpointTimes(runDir: string): { step: number; time: number }[] {
  const { metrics } = readRun(runDir);
  return readdirSync(join(runDir, 'checkpoints'))
    .map((name) => /^step-(\d+)$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b)
    .map((step) => ({ step, time: metrics.filter((row) => row.step <= step).pop()?.time ?? Infinity }));
}

async function fid(runDir: string, step: number, samples: number, dir: string): Promise<number> {
  const output = await run(
    [
      'eval',
      runDir,
      '--checkpoint',
      String(step),
      '--metrics',
      'fid',
      '--samples',
      String(samples),
      '--runs',
      'runs',
    ],
    dir,
  ).done;
  const value = /^fid\s+([0-9.]+)/m.exec(output)?.[1];
  if (!value) throw new Error(`no FID in gan eval output:\n${output}`);
  return Number(value);
}

async function main(): Promise<void> {
  const samples = argValue('--samples', 2000);
  const dir = mkdtempSync(join(tmpdir(), 'gan-bench-progan-'));
  const progan = readFileSync(join(ROOT, 'examples', 'mnist-progan.gan'), 'utf8').replace(
    /\n\s*evaluate \{[^}]*\}/,
    '',
  );
  // No evaluation while training: it would take from either run's wall time.
  const dcgan = readFileSync(join(ROOT, 'examples', 'mnist-dcgan.gan'), 'utf8').replace(
    /\n\s*evaluate \{[^}]*\}/,
    '',
  );
  writeFileSync(join(dir, 'progan.gan'), progan);
  writeFileSync(
    join(dir, 'dcgan.gan'),
    dcgan.replace(
      /(model dcgan_small extends dcgan \{[^]*?)train \{[^}]*\}/,
      `$1train { steps 100000; checkpoint ${CHECKPOINT_EVERY} }`,
    ),
  );
  const common = ['--backend', 'wasm', '--threads', '1', '--runs', 'runs'];
  console.log(`training mnist_progan and dcgan_small side by side in ${dir}`);
  const started = Date.now();
  const p = run(['train', 'progan.gan', ...common], dir);
  const d = run(['train', 'dcgan.gan', '--model', 'dcgan_small', ...common], dir);
  const early = await Promise.race([d.done, new Promise<null>((r) => setTimeout(() => r(null), 30_000))]);
  if (early !== null) {
    p.child.kill('SIGINT');
    throw new Error(`dcgan_small stopped early:\n${early}`);
  }
  const proganOutput = await p.done;
  d.child.kill('SIGINT');
  const dcganOutput = await d.done;
  const proganRun = runFolder(proganOutput, dir);
  const dcganRun = runFolder(dcganOutput, dir);
  const proganInfo = readRun(proganRun);
  const wall = proganInfo.metrics[proganInfo.metrics.length - 1].time;
  console.log(
    `  progan: ${proganInfo.info.step} steps in ${wall.toFixed(0)} s (${((Date.now() - started) / 60000).toFixed(1)} min)`,
  );
  const within = checkpointTimes(dcganRun).filter((c) => c.time <= wall);
  const dcganStep = within[within.length - 1]?.step;
  if (dcganStep === undefined)
    throw new Error('dcgan_small wrote no checkpoint within the progan run’s time');
  const dcganTime = within[within.length - 1].time;
  const proganFid = await fid(proganRun, proganInfo.info.step, samples, dir);
  const dcganFid = await fid(dcganRun, dcganStep, samples, dir);
  console.log(`  FID (MNIST-classifier features, ${samples} samples; progan's 32x32 resized to 28x28):`);
  console.log(
    `    mnist_progan ${proganFid.toFixed(2)} after ${proganInfo.info.step} steps, ${wall.toFixed(0)} s`,
  );
  console.log(`    dcgan_small  ${dcganFid.toFixed(2)} after ${dcganStep} steps, ${dcganTime.toFixed(0)} s`);
  console.log(
    `  ${proganFid <= dcganFid ? 'ok  ' : 'FAIL'} progan's FID is ${proganFid <= dcganFid ? 'no worse than' : 'worse than'} dcgan_small's`,
  );
  process.exit(proganFid <= dcganFid ? 0 : 1);
}

void main();
