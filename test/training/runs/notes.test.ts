// A run's note lives beside run.json (whose only writer is the worker), with #tags.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { NOTE_FILE, noteTags, readRunNote, writeRunNote } from '../../../src/training/runs/notes';

test('a note is saved, read back trimmed, and removed when emptied', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gan-note-'));
  assert.equal(readRunNote(dir), '');
  writeRunNote(dir, '  #hinge lower D lr: sharper digits  ');
  assert.equal(readRunNote(dir), '#hinge lower D lr: sharper digits');
  writeRunNote(dir, '   ');
  assert.equal(existsSync(join(dir, NOTE_FILE)), false);
  assert.equal(readRunNote(dir), '');
});

test('#words are tags, once each; a # inside a word or a lone # is not', () => {
  assert.deepEqual(noteTags('#hinge vs #lsgan, #hinge again; C# and # alone; #β-vae'), [
    '#hinge',
    '#lsgan',
    '#β-vae',
  ]);
});
