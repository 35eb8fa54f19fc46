// `gan sample RUN`: renders a grid from one of a run's checkpoints into a PNG, in a worker.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { SampleMode, SampleRequest } from '../protocol/sample';
import { MAX_CLASS, MAX_SAMPLE_IMAGES, MAX_SEED, SAMPLE_MODES } from '../protocol/sampleRequest';
import { formatCount } from '../protocol/format';
import { LANGUAGE_FAMILIES } from '../language/families';
import { describeSkipped, listCheckpoints, type SkippedCheckpoint } from '../training/runs/checkpoints';
import { startWorker } from '../training/runs/client';
import { verifyCheckpoint } from '../training/runs/manifest';
import { checkpointPath, defaultRunsDir, resolveInside, stepName } from '../training/runs/paths';
import { readRunInfo, resolveRunRef, RunReadError } from '../training/runs/reader';
import { CHECKPOINT_BOUNDS, wholeNumberFlag } from './numberFlags';
import { workerEnvFor } from './workerEnv';

export const SAMPLE_USAGE = `usage: gan sample RUN [--checkpoint STEP] [--n 64] [--mode M] [--seed S] [--class C] [--text CAPTION] [--out FILE.png|.gif] [--runs DIR]
  RUN   a run folder, a run id in the runs folder, or a model name (its newest run)
  --checkpoint STEP   which checkpoint (default: the newest that verifies)
  --n N               number of images, laid out in the squarest grid (default 64); video: number
                      of clips, one per row with its frames across (default 8)
  --mode M            what to draw: ${SAMPLE_MODES.join(', ')} (default: grid, fresh samples; the
                      family decides which it renders; complete: pixelcnn completions of held-out
                      images, bottom half hidden, one image per row, each
                      completed for its own label when the model is conditional)
  --seed S            noise seed (default: the model's sample seed)
  --class C           cgan, pixelcnn with condition: draw this class in every cell
                      (complete: start from held-out images of this class)
  --text CAPTION      stackgan, cgan with \`condition text\`: draw this caption, one row per --text
                      (repeat it for more) of n noise draws (--n: draws per caption, default 4);
                      stackgan shows the stage-I and stage-II image of each draw side by side
  --out FILE.png      where to write (default: RUNID-step-NNNNNN.png here); video: FILE.gif
                      writes the clips as a looping animation, played side by side
  --runs DIR          the runs folder (default .gan/runs)
  --workspace-modules also load optional packages (sharp, datasets) from ./node_modules`;

class UsageError extends Error {}

/** The squarest rows x cols grid holding exactly n cells. */
export function gridFor(n: number): [number, number] {
  let rows = Math.floor(Math.sqrt(n));
  while (n % rows !== 0) rows--;
  return [rows, n / rows];
}

/** The asked-for checkpoint, or the newest whose manifest verifies (naming the ones skipped). */
function chooseCheckpoint(runDir: string, id: string, wanted: number | undefined): number {
  const steps = listCheckpoints(runDir);
  if (!steps.length) throw new RunReadError(`run ${id} has no checkpoint yet`);
  if (wanted !== undefined) {
    if (!steps.includes(wanted))
      throw new RunReadError(
        `run ${id} has no checkpoint at step ${wanted} (checkpoints: ${steps.join(', ')})`,
      );
    return wanted;
  }
  const skipped: SkippedCheckpoint[] = [];
  for (const step of [...steps].reverse()) {
    const reason = verifyCheckpoint(checkpointPath(runDir, step));
    if (reason === null) {
      if (skipped.length) process.stderr.write(`gan sample: skipped ${describeSkipped(skipped)}\n`);
      return step;
    }
    skipped.push({ step, reason });
  }
  throw new RunReadError(`run ${id} has no usable checkpoint: ${describeSkipped(skipped)}`);
}

export async function sampleCommand(argv: string[]): Promise<number> {
  let runDir: string;
  let checkpoint: number;
  let request: SampleRequest;
  let out: string;
  let workspaceModules: boolean;
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
        text: { type: 'string', multiple: true },
        mode: { type: 'string' },
        out: { type: 'string' },
        runs: { type: 'string' },
        'workspace-modules': { type: 'boolean' },
      },
    });
    if (positionals.length !== 1) throw new UsageError('expected one RUN');
    const runsDir = resolve(values.runs ?? defaultRunsDir(process.cwd()));
    runDir = resolveRunRef(positionals[0], runsDir);
    const info = readRunInfo(runDir);
    const wanted = wholeNumberFlag('checkpoint', values.checkpoint, CHECKPOINT_BOUNDS);
    checkpoint = chooseCheckpoint(runDir, info.id, wanted);
    const clips = LANGUAGE_FAMILIES[info.family].clips === true;
    const n = wholeNumberFlag('n', values.n, { min: 1, max: MAX_SAMPLE_IMAGES }) ?? (clips ? 8 : 64);
    const seed = wholeNumberFlag('seed', values.seed, { min: 0, max: MAX_SEED });
    const cls = wholeNumberFlag('class', values.class, { min: 0, max: MAX_CLASS });
    const mode = values.mode;
    if (mode !== undefined && !(SAMPLE_MODES as readonly string[]).includes(mode))
      throw new UsageError(`--mode must be one of ${SAMPLE_MODES.join(', ')}, got "${mode}"`);
    const text = values.text ?? [];
    // A caption draws one row of its noise draws (stackgan: stage-I and stage-II pairs); a clip
    // model one clip per row, its frames across.
    const perDraw = LANGUAGE_FAMILIES[info.family].columnsPerDraw ?? 1;
    const grid: [number, number] = text.length
      ? [text.length, perDraw * (values.n === undefined ? 4 : n)]
      : clips
        ? [n, 1]
        : gridFor(n);
    request = {
      grid,
      ...(mode !== undefined && { mode: mode as SampleMode }),
      ...(seed !== undefined && { seed }),
      ...(cls !== undefined && { classes: cls }),
      ...(text.length > 0 && { text }),
    };
    // The default name comes from run.json (validated as a run id) and stays in this folder.
    out = values.out
      ? resolve(values.out)
      : resolveInside(process.cwd(), `${info.id}-${stepName(checkpoint)}.png`);
    const gif = out.toLowerCase().endsWith('.gif');
    if (!out.toLowerCase().endsWith('.png') && !(clips && gif))
      throw new UsageError(
        `--out must name a .png file${clips ? ' or a .gif (an animation)' : ''}, got "${values.out}"`,
      );
    workspaceModules = values['workspace-modules'] === true;
  } catch (error) {
    const message = (error as Error).message;
    if (error instanceof RunReadError) process.stderr.write(`gan sample: ${message}\n`);
    else process.stderr.write(`gan sample: ${message}\n${SAMPLE_USAGE}\n`);
    return 2;
  }
  const worker = startWorker({ env: workerEnvFor(workspaceModules) });
  // Ctrl-C cancels a slow render (pixelcnn draws one pixel per network pass) instead of killing it.
  const abort = new AbortController();
  const cancel = (): void => abort.abort();
  process.once('SIGINT', cancel);
  let shown = false;
  const onProgress = (done: number, total: number): void => {
    if (!process.stderr.isTTY) return;
    shown = true;
    process.stderr.write(
      `\rsampling: ${formatCount(done)}/${formatCount(total)} pixels (${Math.floor((100 * done) / total)}%), Ctrl-C cancels`,
    );
  };
  try {
    const answer = await worker.sample(
      { runDir, checkpoint, request, out },
      { onProgress, signal: abort.signal },
    );
    if (shown) process.stderr.write('\n');
    process.stdout.write(`${answer.path}  (step ${answer.step}, ${request.grid?.join('x')} grid)\n`);
    return 0;
  } catch (error) {
    if (shown) process.stderr.write('\n');
    process.stderr.write(`gan sample: ${(error as Error).message}\n`);
    return abort.signal.aborted ? 130 : 1;
  } finally {
    process.removeListener('SIGINT', cancel);
    worker.close();
    await worker.done;
  }
}
