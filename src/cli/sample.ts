// `gan sample RUN`: renders a grid from one of a run's checkpoints into a PNG, in a worker.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { SampleRequest } from '../protocol/sample';
import { startWorker } from '../training/runs/client';
import { listCheckpoints } from '../training/runs/checkpoints';
import { defaultRunsDir, stepName } from '../training/runs/paths';
import { readRunInfo, resolveRunRef, RunReadError } from '../training/runs/reader';

const USAGE = `usage: gan sample RUN [--checkpoint STEP] [--n 64] [--seed S] [--class C] [--out FILE.png] [--runs DIR]
  RUN   a run folder, a run id in the runs folder, or a model name (its newest run)
  --checkpoint STEP   which checkpoint (default: the newest)
  --n N               number of images, laid out in the squarest grid (default 64)
  --seed S            noise seed (default: the model's sample seed)
  --class C           cgan: draw this class in every cell
  --out FILE.png      where to write (default: RUNID-step-NNNNNN.png here)
  --runs DIR          the runs folder (default .gan/runs)`;

const MAX_IMAGES = 1024;

class UsageError extends Error {}

/** The squarest rows x cols grid holding exactly n cells. */
export function gridFor(n: number): [number, number] {
  let rows = Math.floor(Math.sqrt(n));
  while (n % rows !== 0) rows--;
  return [rows, n / rows];
}

function integerOption(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || value < min || value > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${text}"`);
  return value;
}

export async function sampleCommand(argv: string[]): Promise<number> {
  let runDir: string;
  let checkpoint: number;
  let request: SampleRequest;
  let out: string;
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        checkpoint: { type: 'string' },
        n: { type: 'string' },
        seed: { type: 'string' },
        class: { type: 'string' },
        out: { type: 'string' },
        runs: { type: 'string' },
      },
    });
    if (positionals.length !== 1) throw new UsageError('expected one RUN');
    const runsDir = resolve(values.runs ?? defaultRunsDir(process.cwd()));
    runDir = resolveRunRef(positionals[0], runsDir);
    const info = readRunInfo(runDir);
    const steps = listCheckpoints(runDir);
    const wanted = integerOption('checkpoint', values.checkpoint, 0, Number.MAX_SAFE_INTEGER);
    if (!steps.length) throw new RunReadError(`run ${info.id} has no checkpoint yet`);
    if (wanted !== undefined && !steps.includes(wanted))
      throw new RunReadError(
        `run ${info.id} has no checkpoint at step ${wanted} (checkpoints: ${steps.join(', ')})`,
      );
    checkpoint = wanted ?? steps[steps.length - 1];
    const n = integerOption('n', values.n, 1, MAX_IMAGES) ?? 64;
    const seed = integerOption('seed', values.seed, 0, 2 ** 31 - 1);
    const cls = integerOption('class', values.class, 0, 100000);
    request = {
      grid: gridFor(n),
      ...(seed !== undefined && { seed }),
      ...(cls !== undefined && { classes: cls }),
    };
    out = resolve(values.out ?? `${info.id}-${stepName(checkpoint)}.png`);
    if (!out.toLowerCase().endsWith('.png'))
      throw new UsageError(`--out must name a .png file, got "${values.out}"`);
  } catch (error) {
    const message = (error as Error).message;
    if (error instanceof RunReadError) process.stderr.write(`gan sample: ${message}\n`);
    else process.stderr.write(`gan sample: ${message}\n${USAGE}\n`);
    return 2;
  }
  const worker = startWorker({});
  try {
    const answer = await worker.sample({ runDir, checkpoint, request, out });
    process.stdout.write(`${answer.path}  (step ${answer.step}, ${request.grid?.join('x')} grid)\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`gan sample: ${(error as Error).message}\n`);
    return 1;
  } finally {
    worker.close();
    await worker.done;
  }
}
