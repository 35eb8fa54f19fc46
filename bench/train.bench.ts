// npm run bench:train — images/s of dcgan, dcgan_small and mnist_vae on each backend that loads,
// and the same networks in PyTorch on the same CPU (Debian's python3-torch), built from the same
// resolved models. Prints the ratio ours/PyTorch in time per step (≤ 1.0 means we are faster).
// Options: --steps N (timed steps, default 5), --backends wasm,cpu,... (default: every one that
// loads, cpu only for the MLP-sized models), --models a,b.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../src/language';
import type { BackendName, ResolvedModel } from '../src/language';
import { initBackend } from '../src/training/backend';
import { createTrainer } from '../src/training/engine';

const arg = (name: string, def: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? def) : def;
};
const steps = Number(arg('steps', '5'));
const wanted = arg('models', 'dcgan,dcgan_small,mnist_vae').split(',');
const examples = ['mnist-dcgan.gan', 'mnist-vae.gan'].map((f) => join(process.cwd(), 'examples', f));
const models: ResolvedModel[] = [];
for (const file of examples) {
  for (const m of analyze(readFileSync(file, 'utf8')).models)
    if (m.resolved && wanted.includes(m.name)) models.push(m.resolved);
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Row {
  model: string;
  backend: string;
  device: string;
  threads: number;
  msPerStep: number;
  imagesPerSec: number;
}

async function timeModel(model: ResolvedModel, backend: BackendName): Promise<Row> {
  const info = await initBackend(backend);
  const trainer = await createTrainer({
    model,
    backend: info,
    baseDir: process.cwd(),
    dataLimit: 4096,
    steps: steps + 2,
  });
  try {
    await trainer.trainStep();
    await trainer.trainStep();
    const times: number[] = [];
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now();
      await trainer.trainStep();
      times.push(performance.now() - t0);
    }
    const ms = median(times);
    return {
      model: model.name,
      backend: info.name,
      device: info.device,
      threads: info.threads,
      msPerStep: ms,
      imagesPerSec: (trainer.imagesPerStep * 1000) / ms,
    };
  } finally {
    trainer.dispose();
  }
}

async function main(): Promise<void> {
  const requested = arg('backends', '').split(',').filter(Boolean) as BackendName[];
  const backends: BackendName[] = requested.length ? requested : ['gpu', 'webgpu', 'node', 'wasm', 'cpu'];
  const rows: Row[] = [];
  for (const backend of backends) {
    try {
      await initBackend(backend);
    } catch (error) {
      console.log(
        `${backend}: not available — ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`,
      );
      continue;
    }
    for (const model of models) {
      const conv = Object.values(model.networks).some((n) =>
        n?.layers.some((l) => l.kind === 'conv' || l.kind === 'deconv'),
      );
      if (backend === 'cpu' && conv && !requested.includes('cpu')) {
        console.log(
          `cpu/${model.name}: skipped (plain-JS conv training takes minutes per step; pass --backends cpu to force)`,
        );
        continue;
      }
      const row = await timeModel(model, backend);
      rows.push(row);
      console.log(
        `${row.backend.padEnd(10)} ${row.model.padEnd(12)} ${row.msPerStep.toFixed(0).padStart(7)} ms/step ${row.imagesPerSec.toFixed(0).padStart(6)} images/s   ${row.device}`,
      );
    }
  }
  const python = '/usr/bin/python3';
  const hasTorch =
    existsSync(python) && spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
  if (!hasTorch) {
    console.log(
      'PyTorch: not installed (apt-get install python3-torch libopenblas0-pthread) — no ratio printed',
    );
    return;
  }
  const threads = Math.max(1, ...rows.map((r) => r.threads));
  const dir = mkdtempSync(join(tmpdir(), 'gan-bench-'));
  const file = join(dir, 'models.json');
  writeFileSync(file, JSON.stringify(models));
  const r = spawnSync(
    python,
    [join(process.cwd(), 'bench', 'torch_train.py'), file, String(threads), String(Math.max(steps, 5))],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) {
    console.log(`PyTorch run failed: ${r.stderr}`);
    return;
  }
  const torch = new Map<string, number>();
  for (const line of r.stdout.trim().split('\n')) {
    const o = JSON.parse(line) as { model: string; ms_per_step: number };
    torch.set(o.model, o.ms_per_step);
  }
  console.log(`\nPyTorch ${threads} thread(s), same networks, same batch:`);
  for (const m of models) {
    const t = torch.get(m.name);
    if (t === undefined) continue;
    console.log(
      `pytorch    ${m.name.padEnd(12)} ${t.toFixed(0).padStart(7)} ms/step ${((m.data[0].batch * 1000) / t).toFixed(0).padStart(6)} images/s`,
    );
  }
  console.log('\nratio ours/PyTorch (time per step; ≤ 1.00 means faster than PyTorch):');
  for (const row of rows) {
    const t = torch.get(row.model);
    if (t !== undefined)
      console.log(`${row.backend.padEnd(10)} ${row.model.padEnd(12)} ${(row.msPerStep / t).toFixed(2)}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
