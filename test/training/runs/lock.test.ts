// One writer per run folder (issue 10, case 1): the O_EXCL lock, its stale detection (pid gone,
// pid reused), --force, and what readers make of a run whose lock was left behind.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { acquireRunLock, LOCK_FILE, lockState, RunLockedError } from '../../../src/training/runs/lock';
import { processStartTime } from '../../../src/training/runs/process';
import { readRun } from '../../../src/training/runs/reader';
import { RunWriter } from '../../../src/training/runs/writer';
import { tinyRunFields } from './runFields';

function runDir(): string {
  return mkdtempSync(join(tmpdir(), 'gan-lock-'));
}

function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout);
}

function writeLock(dir: string, owner: Record<string, unknown>): void {
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ acquiredAt: '2026-11-30T00:00:00Z', ...owner }));
}

test('a second writer is refused with a message naming the holder, until the first releases', () => {
  const dir = runDir();
  const first = acquireRunLock(dir, { runName: 'tiny-1' });
  assert.equal(first.tookOver, null);
  assert.throws(
    () => acquireRunLock(dir, { runName: 'tiny-1' }),
    (error: unknown) =>
      error instanceof RunLockedError &&
      /run tiny-1 cannot be trained here: it is being trained by pid \d+ on /.test(error.message) &&
      /--force/.test(error.message),
  );
  assert.equal(lockState(dir).kind, 'held');
  first.release();
  assert.ok(!existsSync(join(dir, LOCK_FILE)));
  acquireRunLock(dir).release();
});

test('a lock left by a dead process is stale and taken over, saying why', () => {
  const dir = runDir();
  const pid = deadPid();
  writeLock(dir, { pid, host: hostname(), startTime: '1' });
  const state = lockState(dir);
  assert.equal(state.kind, 'stale');
  const lock = acquireRunLock(dir);
  assert.equal(lock.tookOver, `its process (pid ${pid}) is gone`);
  assert.equal(JSON.parse(readFileSync(lock.path, 'utf8')).pid, process.pid);
  lock.release();
});

test('a reused pid (alive, but started at another time) does not keep a run locked', (t) => {
  if (processStartTime(process.pid) === null) return t.skip('no /proc here');
  const dir = runDir();
  writeLock(dir, { pid: process.pid, host: hostname(), startTime: 'not-my-start-time' });
  const lock = acquireRunLock(dir);
  assert.match(lock.tookOver ?? '', /pid \d+ now belongs to another process/);
  lock.release();
});

test('a lock held on another host needs --force, which takes it over', () => {
  const dir = runDir();
  writeLock(dir, { pid: 1, host: 'elsewhere', startTime: null });
  assert.throws(() => acquireRunLock(dir), /locked by pid 1 on elsewhere/);
  const lock = acquireRunLock(dir, { force: true });
  assert.match(lock.tookOver ?? '', /^forced: it is locked by pid 1 on elsewhere/);
  lock.release();
});

test('release removes only its own lock (not one a --force took over)', () => {
  const dir = runDir();
  const first = acquireRunLock(dir);
  const second = acquireRunLock(dir, { force: true });
  first.release();
  assert.equal(lockState(dir).kind, 'held');
  second.release();
  assert.equal(lockState(dir).kind, 'free');
});

const fields = tinyRunFields();

test('a `running` run whose pid was reused reads as failed when its lock is stale', (t) => {
  if (processStartTime(process.pid) === null) return t.skip('no /proc here');
  const writer = RunWriter.create(mkdtempSync(join(tmpdir(), 'gan-lock-runs-')), fields, '');
  // run.json names a live pid (this process) but the lock says it was another process by then.
  writeLock(writer.dir, { pid: process.pid, host: hostname(), startTime: 'earlier' });
  const run = readRun(writer.dir);
  assert.equal(run.info.status, 'failed');
  assert.match(run.info.error ?? '', /now belongs to another process/);
});
