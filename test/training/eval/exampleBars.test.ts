// The quality bench (`npm run bench:quality -- examples`) measures every example file: one of its
// models has a row with its bars or stated figures, and each row names a real model.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type Bar, EXAMPLES, limitText, verdict } from '../../../bench/exampleBars';

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

  it('judges bars relative to another figure of the same evaluation, from below and from above', () => {
    const floor: Bar = { metric: 'eval/a', atLeast: { metric: 'eval/b', times: 0.5 }, why: '' };
    const ceiling: Bar = { metric: 'eval/a', atMost: { metric: 'eval/b', times: 1.5, plus: 1 }, why: '' };
    assert.equal(verdict(floor, { 'eval/a': 2, 'eval/b': 4 }), 'met');
    assert.equal(verdict(floor, { 'eval/a': 1.9, 'eval/b': 4 }), 'missed');
    assert.equal(verdict(ceiling, { 'eval/a': 7, 'eval/b': 4 }), 'met');
    assert.equal(verdict(ceiling, { 'eval/a': 7.1, 'eval/b': 4 }), 'missed');
    assert.equal(verdict(ceiling, { 'eval/a': 1 }), 'not measured');
    assert.equal(limitText(ceiling, { 'eval/b': 4 }), '≤ 1.5 × eval/b + 1 = 7.0000');
    assert.equal(limitText(floor, { 'eval/b': 4 }), '≥ 0.5 × eval/b = 2.0000');
  });
});
