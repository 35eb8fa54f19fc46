// `gan upscale RUN IN.png --out OUT.png`: super-resolves an image of any size with an srgan run's
// generator (in overlapping tiles), in a worker.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { upscaledPath } from '../protocol/upscale';
import { startWorker } from '../training/runs/client';
import { defaultRunsDir } from '../training/runs/paths';
import { readRunInfo, resolveRunRef, RunReadError } from '../training/runs/reader';
import { CHECKPOINT_BOUNDS, wholeNumberFlag } from './numberFlags';
import { workerEnvFor } from './workerEnv';

export const UPSCALE_USAGE = `usage: gan upscale RUN IN.png [--out OUT.png] [--checkpoint STEP] [--runs DIR]
  RUN   an srgan run: its folder, its id in the runs folder, or a model name (its newest run)
  IN    the image to upscale, any size (PNG; JPEG, WebP, … need the optional sharp)
  --out OUT.png       where to write (default: IN-upscaled.png beside IN)
  --checkpoint STEP   which checkpoint (default: the newest that verifies)
  --runs DIR          the runs folder (default .gan/runs)
  --workspace-modules also load optional packages (sharp) from ./node_modules`;

class UsageError extends Error {}

export async function upscaleCommand(argv: string[]): Promise<number> {
  let runDir: string;
  let input: string;
  let out: string;
  let checkpoint: number | undefined;
  let workspaceModules: boolean;
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: 'string' },
        checkpoint: { type: 'string' },
        runs: { type: 'string' },
        'workspace-modules': { type: 'boolean' },
      },
    });
    if (positionals.length !== 2) throw new UsageError('expected RUN and IN');
    const runsDir = resolve(values.runs ?? defaultRunsDir(process.cwd()));
    runDir = resolveRunRef(positionals[0], runsDir);
    readRunInfo(runDir);
    input = resolve(positionals[1]);
    if (!existsSync(input)) throw new UsageError(`no such image: ${positionals[1]}`);
    out = values.out ? resolve(values.out) : upscaledPath(input);
    if (!out.toLowerCase().endsWith('.png'))
      throw new UsageError(`--out must name a .png file, got "${values.out}"`);
    checkpoint = wholeNumberFlag('checkpoint', values.checkpoint, CHECKPOINT_BOUNDS);
    workspaceModules = values['workspace-modules'] === true;
  } catch (error) {
    const message = (error as Error).message;
    if (error instanceof RunReadError) process.stderr.write(`gan upscale: ${message}\n`);
    else process.stderr.write(`gan upscale: ${message}\n${UPSCALE_USAGE}\n`);
    return 2;
  }
  const worker = startWorker({ env: workerEnvFor(workspaceModules) });
  try {
    const answer = await worker.upscale({
      runDir,
      input,
      out,
      ...(checkpoint !== undefined && { checkpoint }),
    });
    process.stdout.write(`${answer.path}  (step ${answer.step})\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`gan upscale: ${(error as Error).message}\n`);
    return 1;
  } finally {
    worker.close();
    await worker.done;
  }
}
