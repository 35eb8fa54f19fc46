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

/** Another figure of the same evaluation, times `times`, plus `plus`. */
export interface RelativeLimit {
  readonly metric: string;
  readonly times?: number;
  readonly plus?: number;
}

export interface Bar {
  readonly metric: string;
  /** At least (accuracies, PSNR) or at most (distances). */
  readonly min?: number;
  readonly max?: number;
  /** At least another figure of the same evaluation, times `times`, plus `plus` (a super-resolved
   *  image against bicubic upscaling; generated clips against held-out ones). */
  readonly atLeast?: RelativeLimit;
  /** At most another figure of the same evaluation, times `times`, plus `plus` (generated clips'
   *  jitter against held-out clips'). */
  readonly atMost?: RelativeLimit;
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
    stated: ['eval/cond_acc_real', 'eval/fid'],
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
    stated: ['eval/cond_acc_real', 'eval/fid'],
  },
  {
    name: 'mnist_pixelcnn',
    file: 'mnist-pixelcnn.gan',
    model: 'mnist_pixelcnn',
    bars: [{ metric: 'eval/nll', max: 100, why: 'issue 12: test NLL (nats per image, binarised MNIST)' }],
    stated: ['eval/bpd'],
  },
  {
    name: 'emoji_pixelcnn',
    file: 'emoji-pixelcnn.gan',
    model: 'emoji_pixelcnn',
    bars: [],
    stated: ['eval/bpd', 'eval/nll'],
  },
  {
    name: 'mnist_sr',
    file: 'mnist-srgan.gan',
    model: 'mnist_sr',
    bars: [
      {
        metric: 'eval/psnr',
        atLeast: { metric: 'eval/psnr_bicubic', plus: 1 },
        why: 'issue 12: at least 1 dB above bicubic upscaling',
      },
    ],
    stated: ['eval/psnr_bicubic', 'eval/ssim', 'eval/ssim_bicubic'],
  },
  {
    name: 'emoji_sr',
    file: 'emoji-srgan.gan',
    model: 'emoji_sr',
    bars: [
      {
        metric: 'eval/psnr',
        atLeast: { metric: 'eval/psnr_bicubic', plus: 1 },
        why: 'issue 12: at least 1 dB above bicubic upscaling',
      },
    ],
    stated: ['eval/psnr_bicubic', 'eval/ssim', 'eval/ssim_bicubic'],
  },
  {
    name: 'mnist_progan',
    file: 'mnist-progan.gan',
    model: 'mnist_progan',
    // Issue 13's bar (no worse than dcgan_small at equal wall-clock time) is `npm run bench:progan`.
    bars: [],
    stated: ['eval/fid', 'eval/precision', 'eval/recall'],
  },
  {
    name: 'emoji_progan',
    file: 'emoji-progan.gan',
    model: 'emoji_progan',
    bars: [],
    stated: ['eval/fid', 'eval/precision', 'eval/recall'],
  },
  {
    name: 'emoji_stackgan',
    file: 'emoji-stackgan.gan',
    model: 'emoji_stackgan',
    bars: [
      {
        metric: 'eval/cond_acc',
        atLeast: { metric: 'eval/cond_acc_chance', times: 1.25 },
        why: "issue 13: held-out captions' category found clearly above chance (a quarter above the same images handed to the captions at random)",
      },
    ],
    stated: ['eval/cond_acc_chance', 'eval/fid'],
  },
  {
    name: 'emoji_text_cgan',
    file: 'emoji-text-cgan.gan',
    model: 'emoji_text_cgan',
    bars: [
      {
        metric: 'eval/cond_acc',
        atLeast: { metric: 'eval/cond_acc_chance', times: 1.25 },
        why: "issue 13 (`condition text` for cgan): held-out captions' category found clearly above chance, as stackgan's bar",
      },
    ],
    stated: ['eval/cond_acc_chance', 'eval/fid', 'eval/class_diversity'],
  },
  {
    name: 'moving_digits',
    file: 'moving-mnist-video.gan',
    model: 'moving_digits',
    bars: [
      {
        metric: 'eval/label_consistency',
        atLeast: { metric: 'eval/label_consistency_real', times: 0.5 },
        why: 'issue 14: clips keep their digit at least half as often as held-out clips do',
      },
      {
        metric: 'eval/motion_step',
        atLeast: { metric: 'eval/motion_step_real', times: 0.5 },
        why: 'issue 14: the digit moves, at least half as far per frame as held-out digits do',
      },
      {
        metric: 'eval/motion_accel',
        atMost: { metric: 'eval/motion_accel_real', times: 1.5 },
        why: "issue 14: smoothly: its motion changes from frame to frame at most 1.5× as much as held-out clips' (whole-pixel positions and bounces)",
      },
    ],
    stated: [
      'eval/label_consistency_real',
      'eval/legible_frames',
      'eval/legible_frames_real',
      'eval/motion_step_real',
      'eval/motion_accel_real',
      'eval/fid',
    ],
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

/** A relative limit's value, given the evaluation's other figures (undefined: not measured). */
function relativeValue(limit: RelativeLimit, values: Readonly<Record<string, number>>): number | undefined {
  const other = values[limit.metric];
  return other === undefined ? undefined : other * (limit.times ?? 1) + (limit.plus ?? 0);
}

/** The bar's least and greatest values (undefined: none, or not measured). */
function limitsOf(bar: Bar, values: Readonly<Record<string, number>>) {
  return {
    floor: bar.atLeast ? relativeValue(bar.atLeast, values) : bar.min,
    ceiling: bar.atMost ? relativeValue(bar.atMost, values) : bar.max,
  };
}

export function verdict(
  bar: Bar,
  values: Readonly<Record<string, number>>,
): 'met' | 'missed' | 'not measured' {
  const value = values[bar.metric];
  const { floor, ceiling } = limitsOf(bar, values);
  if (value === undefined || (bar.atLeast && floor === undefined) || (bar.atMost && ceiling === undefined))
    return 'not measured';
  if (floor !== undefined && value < floor) return 'missed';
  if (ceiling !== undefined && value > ceiling) return 'missed';
  return 'met';
}

function relativeText(sign: string, limit: RelativeLimit, value: number | undefined): string {
  const { metric, times, plus } = limit;
  const formula = `${times !== undefined ? `${times} × ` : ''}${metric}${plus !== undefined ? ` + ${plus}` : ''}`;
  return `${sign} ${formula}${value === undefined ? '' : ` = ${value.toFixed(4)}`}`;
}

export function limitText(bar: Bar, values: Readonly<Record<string, number>>): string {
  const { floor, ceiling } = limitsOf(bar, values);
  if (bar.atMost) return relativeText('≤', bar.atMost, ceiling);
  if (bar.atLeast) return relativeText('≥', bar.atLeast, floor);
  return bar.max !== undefined ? `≤ ${bar.max}` : `≥ ${floor}`;
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
    const judged = verdict(bar, values);
    if (steps === null && judged !== 'met') ok = false;
    const limit = limitText(bar, values);
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
