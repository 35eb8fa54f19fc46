// checkpoints/step-NNNNNN/: each is written under a temporary name, described by a manifest
// (sizes and checksums, written last), flushed to disk, then renamed: a folder with a step name
// was complete when published, and the manifest tells whether it still is. Readers take the
// newest checkpoint that verifies and loads, and say which newer ones they skipped and why.
// The newest KEEP_CHECKPOINTS are kept.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncDir, fsyncTree } from './durable';
import { verifyCheckpoint, writeManifest } from './manifest';
import { CHECKPOINTS_DIR, checkpointPath, parseStepName, stepName } from './paths';

/** Bounded so long runs do not fill the disk; the final (or stop) checkpoint is always the newest. */
export const KEEP_CHECKPOINTS = 10;

/** Written beside the trainer's files: what the run folder needs to continue from this checkpoint. */
export const CHECKPOINT_STATE = 'run-state.json';

export interface CheckpointState {
  readonly step: number;
  /** Seconds of training before this checkpoint (so a resumed run's `time` continues). */
  readonly time: number;
}

/** Steps of the complete checkpoints of a run, ascending. */
export function listCheckpoints(runDir: string): number[] {
  const dir = join(runDir, CHECKPOINTS_DIR);
  if (!existsSync(dir)) return [];
  const steps: number[] = [];
  for (const name of readdirSync(dir)) {
    const step = parseStepName(name);
    if (step !== null) steps.push(step);
  }
  return steps.sort((a, b) => a - b);
}

export function lastCheckpoint(runDir: string): number | null {
  const steps = listCheckpoints(runDir);
  return steps.length ? steps[steps.length - 1] : null;
}

export function readCheckpointState(dir: string): CheckpointState | null {
  try {
    const value: unknown = JSON.parse(readFileSync(join(dir, CHECKPOINT_STATE), 'utf8'));
    if (typeof value !== 'object' || value === null) return null;
    const record = value as Record<string, unknown>;
    if (typeof record.step !== 'number' || typeof record.time !== 'number') return null;
    return { step: record.step, time: record.time };
  } catch {
    return null;
  }
}

/** Leftovers of checkpoints that were being written when a worker died. */
export function removeIncompleteCheckpoints(runDir: string): void {
  const dir = join(runDir, CHECKPOINTS_DIR);
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir))
    if (name.startsWith('.')) rmSync(join(dir, name), { recursive: true, force: true });
}

export async function writeCheckpoint(
  runDir: string,
  state: CheckpointState,
  save: (dir: string) => Promise<void>,
): Promise<string> {
  const root = join(runDir, CHECKPOINTS_DIR);
  mkdirSync(root, { recursive: true });
  const temp = join(root, `.tmp-${stepName(state.step)}-${process.pid}`);
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp);
  try {
    await save(temp);
    writeFileSync(join(temp, CHECKPOINT_STATE), JSON.stringify(state) + '\n');
    writeManifest(temp);
    fsyncTree(temp);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  const final = checkpointPath(runDir, state.step);
  if (existsSync(final)) {
    const old = join(root, `.old-${stepName(state.step)}-${process.pid}`);
    renameSync(final, old);
    renameSync(temp, final);
    rmSync(old, { recursive: true, force: true });
  } else {
    renameSync(temp, final);
  }
  fsyncDir(root);
  pruneCheckpoints(runDir);
  return final;
}

function pruneCheckpoints(runDir: string): void {
  const steps = listCheckpoints(runDir);
  for (const step of steps.slice(0, Math.max(0, steps.length - KEEP_CHECKPOINTS)))
    rmSync(checkpointPath(runDir, step), { recursive: true, force: true });
}

export interface SkippedCheckpoint {
  readonly step: number;
  readonly reason: string;
}

export class CheckpointError extends Error {}

/** "step-000120 (weights.bin has 12 bytes, the manifest says 4096)", for messages. */
export function describeSkipped(skipped: readonly SkippedCheckpoint[]): string {
  return skipped.map((s) => `${stepName(s.step)} (${s.reason})`).join('; ');
}

/** Verifies and loads checkpoints newest first (or only `wanted`) until one loads. Returns its step
 *  and the newer ones skipped; null step when the run has no checkpoint. Throws a
 *  CheckpointError when `wanted` is unusable, or when checkpoints exist but none is. */
export async function loadNewestValid(
  runDir: string,
  load: (dir: string) => Promise<void>,
  wanted?: number,
): Promise<{ step: number | null; skipped: SkippedCheckpoint[] }> {
  const steps = listCheckpoints(runDir);
  if (wanted !== undefined && !steps.includes(wanted))
    throw new CheckpointError(`no checkpoint at step ${wanted} (checkpoints: ${steps.join(', ') || 'none'})`);
  const candidates = wanted !== undefined ? [wanted] : [...steps].reverse();
  const skipped: SkippedCheckpoint[] = [];
  for (const step of candidates) {
    const dir = checkpointPath(runDir, step);
    let reason = verifyCheckpoint(dir);
    if (reason === null) {
      try {
        await load(dir);
        return { step, skipped };
      } catch (error) {
        reason = `it does not load: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`;
      }
    }
    skipped.push({ step, reason });
  }
  if (wanted !== undefined)
    throw new CheckpointError(`checkpoint ${stepName(wanted)} is unusable: ${skipped[0].reason}`);
  if (skipped.length) throw new CheckpointError(`no usable checkpoint: ${describeSkipped(skipped)}`);
  return { step: null, skipped };
}

/** Checkpoints after `step` belong to a timeline a resume replaces (or were skipped as corrupt). */
export function removeCheckpointsAfter(runDir: string, step: number): number[] {
  const removed = listCheckpoints(runDir).filter((s) => s > step);
  for (const s of removed) rmSync(checkpointPath(runDir, s), { recursive: true, force: true });
  return removed;
}
