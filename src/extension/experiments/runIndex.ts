// A light listing of the run folders under one or more runs directories: run.json (with a dead
// worker's run shown as failed) and the checkpoint steps, without reading metrics. No vscode import.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { listCheckpoints } from '../../training/runs/checkpoints';
import { RUN_JSON } from '../../training/runs/paths';
import { effectiveInfo, readRunInfo } from '../../training/runs/reader';
import type { RunInfo } from '../../training/runs/runInfo';
import type { RunListing } from './runGroups';

export interface IndexedRun extends RunListing {
  readonly info: RunInfo;
  readonly checkpoints: readonly number[];
}

export function indexRun(dir: string): IndexedRun {
  const info = effectiveInfo(readRunInfo(dir), dir);
  return {
    dir,
    id: info.id,
    model: info.model,
    status: info.status,
    step: info.step,
    totalSteps: info.totalSteps,
    startedAt: info.startedAt,
    info,
    checkpoints: listCheckpoints(dir),
  };
}

/** Every readable run under the given folders, newest first. */
export function indexRuns(runsDirs: readonly string[]): IndexedRun[] {
  const runs: IndexedRun[] = [];
  for (const runsDir of runsDirs) {
    if (!existsSync(runsDir)) continue;
    for (const name of readdirSync(runsDir)) {
      const dir = join(runsDir, name);
      try {
        if (!statSync(dir).isDirectory() || !existsSync(join(dir, RUN_JSON))) continue;
        runs.push(indexRun(dir));
      } catch {
        // A broken run folder (bad run.json, a dangling link, no permission) or one being deleted
        // or half-written is left out; one bad folder must not hide the others (`gan runs` names it).
      }
    }
  }
  return runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id));
}

/** The runs of models whose source is `file` (the lenses and hover of that document). */
export function runsOfFile(runs: readonly IndexedRun[], file: string): IndexedRun[] {
  return runs.filter((run) => run.info.sourceFile === file);
}
