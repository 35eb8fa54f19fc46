// The quality bar of every example, measured at the example's own budget (issue 11): each example
// model is trained as its file says (`gan train`, one wasm thread), evaluated with `gan eval` on
// its newest checkpoint, and each figure compared with its bar. Run by
// `npm run bench:quality -- examples [--only NAME,…] [--steps N] [--engine torch]`; --steps shortens
// every run for a quick look, and then no bar is judged (the figures are not the example's).
// --engine torch trains on the PyTorch engine (one thread; /usr/bin/python3 or GAN_PYTHON): the
// same model, data order, noise and initial weights, 2–7× faster here, so the long budgets fit in
// a session; its losses track the TensorFlow.js run's to float rounding, which a GAN's thousands of
// steps then amplify, so its figures are another run of the same example, not the same run.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEvalRecords } from '../src/training/runs/evalRecords';

export interface Bar {
  readonly metric: string;
  /** At least (accuracies, PSNR) or at most (distances). */
  readonly min?: number;
  readonly max?: number;
  /** Where the bar comes from. */
  readonly why: string;
}

export interface ExampleBars {
  /** Name for --only and the report. */
  readonly name: string;
  readonly file: string;
  readonly model: string;
  /** Edits to the example's text before training (the cgan example retargeted to MNIST). */
  readonly edit?: (text: string) => string;
  readonly bars: readonly Bar[];
  /** Further figures printed beside the bars (the VAE's test ELBO). */
  readonly stated: readonly string[];
}

const toMnist = (text: string): string =>
  text.replace('model fashion_cgan', 'model mnist_cgan').replace('data fashion_mnist', 'data mnist');

export const EXAMPLES: readonly ExampleBars[] = [
  {
    name: 'shapes-cyclegan',
    file: 'shapes-cyclegan.gan',
    model: 'circles2squares',
    bars: [
      { metric: 'eval/domain_acc', min: 0.9, why: 'issue 11: translations classified as the target kind' },
      { metric: 'eval/domain_acc_ba', min: 0.9, why: 'issue 11: the same, squares to circles' },
      { metric: 'eval/cycle_psnr', min: 20, why: 'round trip close to its input' },
      { metric: 'eval/cycle_psnr_ba', min: 20, why: 'round trip close to its input' },
    ],
    stated: ['eval/fid'],
  },
  {
    name: 'emoji-cyclegan',
    file: 'emoji-cyclegan.gan',
    model: 'noto2twemoji',
    bars: [
      { metric: 'eval/domain_acc', min: 0.9, why: "issue 11: translations classified as Twitter's style" },
      { metric: 'eval/domain_acc_ba', min: 0.9, why: "issue 11: the same, into Google's style" },
      { metric: 'eval/cycle_psnr', min: 20, why: 'round trip close to its input' },
      { metric: 'eval/cycle_psnr_ba', min: 20, why: 'round trip close to its input' },
    ],
    stated: ['eval/fid'],
  },
  {
    name: 'dcgan_small',
    file: 'mnist-dcgan.gan',
    model: 'dcgan_small',
    bars: [],
    stated: ['eval/fid', 'eval/kid', 'eval/precision', 'eval/recall'],
  },
  {
    name: 'mnist_vae',
    file: 'mnist-vae.gan',
    model: 'mnist_vae',
    bars: [{ metric: 'eval/recon_acc', min: 0.95, why: 'issue 11: test reconstructions keep their digit' }],
    stated: ['eval/neg_elbo', 'eval/recon_mse', 'eval/fid'],
  },
  {
    name: 'fashion_cgan',
    file: 'fashion-cgan.gan',
    model: 'fashion_cgan',
    bars: [
      { metric: 'eval/cond_acc', min: 0.9, why: 'issue 11: the requested class' },
      { metric: 'eval/class_diversity', min: 0.7, why: "issue 11: within-class diversity, of real data's" },
    ],
    stated: ['eval/fid'],
  },
  {
    name: 'mnist_cgan',
    file: 'fashion-cgan.gan',
    model: 'mnist_cgan',
    edit: toMnist,
    bars: [
      { metric: 'eval/cond_acc', min: 0.9, why: 'issue 11: the requested digit' },
      { metric: 'eval/class_diversity', min: 0.7, why: "issue 11: within-class diversity, of real data's" },
    ],
    stated: ['eval/fid'],
  },
];

/** Runs the `gan` CLI in `dir`; its output, or an error with it when the command fails. */
export function gan(dir: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(process.cwd(), 'bin', 'gan.js'), ...args], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`gan ${args.join(' ')} failed (${code}):\n${output}`)),
    );
  });
}

function verdict(bar: Bar, value: number | undefined): 'met' | 'missed' | 'not measured' {
  if (value === undefined) return 'not measured';
  if (bar.min !== undefined && value < bar.min) return 'missed';
  if (bar.max !== undefined && value > bar.max) return 'missed';
  return 'met';
}

export type QualityEngine = 'tfjs' | 'torch';

function engineArgs(engine: QualityEngine): string[] {
  if (engine === 'tfjs') return ['--backend', 'wasm'];
  return ['--engine', 'torch', '--python', process.env.GAN_PYTHON ?? '/usr/bin/python3', '--backend', 'cpu'];
}

/** Trains and evaluates one example; prints its figures; false when a judged bar is missed. */
async function measure(example: ExampleBars, steps: number | null, engine: QualityEngine): Promise<boolean> {
  const dir = mkdtempSync(join(tmpdir(), `gan-bench-bars-${example.name}-`));
  const source = readFileSync(join(process.cwd(), 'examples', example.file), 'utf8');
  writeFileSync(join(dir, example.file), example.edit ? example.edit(source) : source);
  const started = process.hrtime.bigint();
  const trained = await gan(dir, [
    'train',
    example.file,
    '--model',
    example.model,
    ...engineArgs(engine),
    '--threads',
    '1',
    '--runs',
    'runs',
    ...(steps === null ? [] : ['--steps', String(steps)]),
  ]);
  const runDir = /run folder: (\S+)/.exec(trained)?.[1];
  if (!runDir) throw new Error(`no run folder in:\n${trained}`);
  await gan(dir, ['eval', join(dir, runDir), '--samples', '2000']);
  const minutes = Number(process.hrtime.bigint() - started) / 60e9;
  const records = readEvalRecords(join(dir, runDir));
  const last = records[records.length - 1];
  const values = last?.values ?? {};
  const budget = steps === null ? "the example's budget" : `${steps} steps (not the budget: no bar judged)`;
  console.log(
    `${example.name} (${example.file}, ${budget}, step ${last?.step ?? '?'}, ${engine === 'torch' ? 'PyTorch engine' : 'TensorFlow.js wasm'}, 1 thread): ${minutes.toFixed(1)} min`,
  );
  console.log(`  features: ${last?.features ?? '?'}; run folder ${join(dir, runDir)}`);
  let ok = true;
  for (const bar of example.bars) {
    const value = values[bar.metric];
    const judged = verdict(bar, value);
    if (steps === null && judged !== 'met') ok = false;
    const limit = bar.min !== undefined ? `≥ ${bar.min}` : `≤ ${bar.max}`;
    console.log(
      `  ${bar.metric.padEnd(22)} ${value === undefined ? '—' : value.toFixed(4)}  bar ${limit}: ${steps === null ? judged : 'not judged'} (${bar.why})`,
    );
  }
  for (const metric of example.stated)
    console.log(`  ${metric.padEnd(22)} ${values[metric] === undefined ? '—' : values[metric].toFixed(4)}`);
  return ok;
}

export async function measureExamples(
  only: readonly string[],
  steps: number | null,
  engine: QualityEngine = 'tfjs',
): Promise<boolean> {
  const chosen = only.length ? EXAMPLES.filter((e) => only.includes(e.name)) : EXAMPLES;
  const unknown = only.filter((name) => !EXAMPLES.some((e) => e.name === name));
  if (unknown.length)
    throw new Error(
      `unknown example ${unknown.join(', ')}; one of ${EXAMPLES.map((e) => e.name).join(', ')}`,
    );
  let ok = true;
  for (const example of chosen) ok = (await measure(example, steps, engine)) && ok;
  return ok;
}
