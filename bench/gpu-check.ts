// The GPU check (`npm run gpu:check`, packed by scripts/gpu-check.mjs): on a machine with a GPU,
// lists what is there (devices, drivers, WebGPU adapters, each backend's verdict), trains the first
// steps of dcgan_small and dcgan on every GPU backend that loads and on wasm from the same seed,
// renders a sample grid on each GPU backend, and prints ms/step and the largest relative loss
// difference to wasm. Data is procedural
// (`shapes`, 28x28x1) so nothing but the packed folder is needed. Stops starting new runs after
// --budget-s seconds (default 240) so the whole check stays under 5 minutes.
// Options: --steps N (default 4; the first is warm-up), --models a,b, --backends webgpu,gpu,node.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import type { BackendName } from '../src/language';
import { describeGpuSupport } from '../src/training/backend';
import { listWebGpuAdapters } from '../src/training/backend/webgpuBackend';
import { exampleModel, firstSteps, lossDifference, type FirstSteps } from './firstSteps';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const steps = Math.max(2, Number(arg('steps', '4')));
const modelNames = arg('models', 'dcgan_small,dcgan').split(',');
const gpuBackends = arg('backends', 'webgpu,gpu,node').split(',') as BackendName[];
const deadline = Date.now() + Number(arg('budget-s', '240')) * 1000;
const started = Date.now();

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const seconds = (): string => `${((Date.now() - started) / 1000).toFixed(0)}s`;

function section(title: string): void {
  console.log(`\n== ${title} (${seconds()})`);
}

function run(command: string, args: readonly string[]): string | null {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 15_000 });
  return r.status === 0 ? r.stdout.trim() : null;
}

async function listDevices(): Promise<void> {
  section('devices');
  console.log(`${os.platform()}-${os.arch()}, Node ${process.version}, ${os.cpus().length} logical CPUs`);
  console.log(`nvidia-smi -L: ${run('nvidia-smi', ['-L']) ?? '(not available)'}`);
  const smi = run('nvidia-smi', ['--query-gpu=name,driver_version,memory.total', '--format=csv,noheader']);
  if (smi) console.log(`nvidia-smi: ${smi}`);
  if (os.platform() === 'linux') {
    const dri = fs.existsSync('/dev/dri') ? fs.readdirSync('/dev/dri').join(' ') : '(none)';
    console.log(`/dev/dri: ${dri}`);
    console.log(`VK_ICD_FILENAMES: ${process.env.VK_ICD_FILENAMES ?? '(unset)'}`);
  }
  try {
    const adapters = await listWebGpuAdapters([]);
    if (!adapters.length) console.log('WebGPU adapters: none');
    for (const a of adapters) console.log(`WebGPU adapter: ${a.name}${a.software ? ' (software)' : ''}`);
  } catch (error) {
    console.log(`WebGPU adapters: ${error instanceof Error ? error.message : String(error)}`);
  }
  section('backends (gan gpu --load)');
  const report = await describeGpuSupport({ load: true });
  for (const line of report.lines) console.log(line);
}

interface Result {
  readonly model: string;
  readonly backend: string;
  readonly device: string;
  readonly firstMs: number;
  readonly msPerStep: number;
  readonly lossDiff: number | null;
}

async function attempt(model: string, backend: BackendName): Promise<FirstSteps | null> {
  if (Date.now() > deadline) {
    console.log(`${backend}/${model}: skipped (time budget spent)`);
    return null;
  }
  try {
    // Procedural data of MNIST's shape (shapes is endless, so a step budget replaces epochs).
    const resolved = exampleModel('mnist-dcgan.gan', model, (text) =>
      text
        .replace('data mnist {', 'data shapes size=28x28 channels=1 {')
        .replace(/\bepochs \d+/g, 'steps 100'),
    );
    const result = await firstSteps(resolved, backend, steps, { renderSamples: backend !== 'wasm' });
    const sample = result.samplePngBytes === null ? '' : `; sample grid ${result.samplePngBytes} bytes`;
    console.log(`${backend}/${model}: ${result.ms.map((ms) => ms.toFixed(0)).join(', ')} ms${sample}`);
    return result;
  } catch (error) {
    console.log(
      `${backend}/${model}: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`,
    );
    return null;
  }
}

function row(model: string, r: FirstSteps, reference: FirstSteps | null): Result {
  return {
    model,
    backend: r.backend.name,
    device: r.backend.device ?? '',
    firstMs: r.ms[0],
    msPerStep: median(r.ms.slice(1)),
    lossDiff: reference && reference !== r ? lossDifference(r, reference) : null,
  };
}

async function main(): Promise<void> {
  await listDevices();
  section(`training ${steps} steps per model and backend`);
  const results: Result[] = [];
  for (const model of modelNames) {
    const wasm = await attempt(model, 'wasm');
    if (wasm) results.push(row(model, wasm, null));
    for (const backend of gpuBackends) {
      const r = await attempt(model, backend);
      if (r) results.push(row(model, r, wasm));
    }
  }
  section('results');
  console.log('model        backend     first ms   ms/step   loss diff vs wasm   device');
  for (const r of results) {
    const diff = r.lossDiff === null ? '—' : r.lossDiff.toExponential(1);
    console.log(
      `${r.model.padEnd(12)} ${r.backend.padEnd(10)} ${r.firstMs.toFixed(0).padStart(9)} ${r.msPerStep.toFixed(1).padStart(9)}   ${diff.padStart(17)}   ${r.device}`,
    );
  }
  const bad = results.filter((r) => r.lossDiff !== null && !(r.lossDiff < 1e-3));
  console.log(
    bad.length
      ? `\nFAIL: losses differ from wasm by more than 1e-3 on ${bad.map((r) => `${r.backend}/${r.model}`).join(', ')}`
      : `\nlosses agree with wasm (relative difference < 1e-3) on every GPU run (${seconds()} in all)`,
  );
  process.exitCode = bad.length ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
