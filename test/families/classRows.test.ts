// Row labels of conditional families' grids: a cgan's and a conditional pixelcnn's rows are classes
// (the request's, else row r is class r), named by the data's class names; a pixelcnn's
// completions and an unconditional pixelcnn's grids have none.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PRESENTATION_FAMILIES } from '../../src/webview/families';
import type { RowContext } from '../../src/webview/families/family';

const DIGITS = ['zero', 'one', 'two'];
const context = (over: Partial<RowContext>): RowContext => ({
  rows: 4,
  request: {},
  classes: 3,
  classNames: DIGITS,
  latent: null,
  ...over,
});

test('cgan and a conditional pixelcnn label grid rows by class; completions and unconditional grids are unlabelled', () => {
  for (const family of ['cgan', 'pixelcnn'] as const) {
    const labels = PRESENTATION_FAMILIES[family].rowLabels;
    assert.ok(labels, family);
    assert.deepEqual(labels('grid', context({})), ['zero', 'one', 'two', 'zero'], family);
    assert.deepEqual(labels('grid', context({ request: { classes: [2, 1] }, classNames: null })), [
      'class 2',
      'class 1',
      'class 2',
      'class 1',
    ]);
  }
  const pixel = PRESENTATION_FAMILIES.pixelcnn.rowLabels;
  assert.equal(pixel?.('grid', context({ classes: null, classNames: null })), null);
  assert.equal(pixel?.('complete', context({})), null);
});
