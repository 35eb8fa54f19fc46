// The quality bench (`npm run bench:quality -- examples`) measures every example file: one of its
// models has a row with its bars or stated figures, and each row names a real model.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EXAMPLES } from '../../../bench/exampleBars';

const DIR = join(process.cwd(), 'examples');

function modelsOf(file: string): string[] {
  return [...readFileSync(join(DIR, file), 'utf8').matchAll(/^model (\w+)/gm)].map((m) => m[1]);
}

describe('the example quality bench', () => {
  it('measures a model of every example file', () => {
    for (const file of readdirSync(DIR).filter((f) => f.endsWith('.gan'))) {
      const models = modelsOf(file);
      assert.ok(
        EXAMPLES.some((e) => e.file === file && models.includes(e.model)),
        `${file}: none of ${models.join(', ')} has a row in bench/exampleBars.ts`,
      );
    }
  });

  it('names models that exist (or that its edit makes), each with something to report', () => {
    for (const example of EXAMPLES) {
      const text = readFileSync(join(DIR, example.file), 'utf8');
      const edited = example.edit ? example.edit(text) : text;
      assert.match(edited, new RegExp(`^model ${example.model}\\b`, 'm'), example.name);
      assert.ok(example.bars.length + example.stated.length > 0, example.name);
    }
  });
});
