// A run's note: free text the user keeps beside a run (what was tried, why), with #tags. It lives in
// note.txt, not run.json, because run.json has one writer — the worker that trains the run.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic';

export const NOTE_FILE = 'note.txt';
const MAX_NOTE = 2000;

export function readRunNote(runDir: string): string {
  const path = join(runDir, NOTE_FILE);
  if (!existsSync(path)) return '';
  try {
    return readFileSync(path, 'utf8').slice(0, MAX_NOTE).trim();
  } catch {
    return '';
  }
}

/** Saves the note (an empty one removes the file). */
export function writeRunNote(runDir: string, note: string): void {
  const text = note.trim().slice(0, MAX_NOTE);
  const path = join(runDir, NOTE_FILE);
  if (text) writeFileAtomic(path, text + '\n');
  else rmSync(path, { force: true });
}

/** The #tags of a note, in order, without duplicates. */
export function noteTags(note: string): string[] {
  return [...new Set(note.match(/(?<![\w#])#[\p{L}\p{N}_-]+/gu) ?? [])];
}
