// Numbers typed on the command line get the schema's bounds (issue 10, case 7).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHECKPOINT_BOUNDS, LIMIT_BOUNDS, STEPS_BOUNDS, wholeNumberFlag } from '../../src/cli/numberFlags';

test('--steps takes the language limit of train.steps (1 to 1e9)', () => {
  assert.deepEqual(STEPS_BOUNDS, { min: 1, max: 1e9 });
  assert.equal(wholeNumberFlag('steps', '1000000000', STEPS_BOUNDS), 1e9);
  for (const text of ['100000000000000000000', '1000000001', '0', '1e20', '-3', '2.5', 'ten'])
    assert.throws(
      () => wholeNumberFlag('steps', text, STEPS_BOUNDS),
      /--steps must be a whole number from 1 to 1,000,000,000/,
      text,
    );
  assert.equal(wholeNumberFlag('steps', undefined, STEPS_BOUNDS), undefined);
});

test('--limit and --checkpoint are bounded too', () => {
  assert.equal(LIMIT_BOUNDS.min, 1);
  assert.ok(Number.isSafeInteger(LIMIT_BOUNDS.max));
  assert.throws(() => wholeNumberFlag('limit', '99999999999999999999', LIMIT_BOUNDS), /--limit/);
  assert.equal(wholeNumberFlag('checkpoint', '0', CHECKPOINT_BOUNDS), 0);
  assert.throws(() => wholeNumberFlag('checkpoint', '2000000000', CHECKPOINT_BOUNDS), /--checkpoint/);
});
