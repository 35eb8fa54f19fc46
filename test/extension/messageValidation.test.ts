// Every webview message is validated at the extension host (issue 10, case 9): type and every
// field, with bounds; a malformed one is dropped, a valid one passed on without extra fields.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  parseDashboardMessage,
  parsePreviewMessage,
} from '../../src/extension/experiments/messageValidation';
import { sampleRequestProblem } from '../../src/protocol/sampleRequest';

const render = {
  type: 'renderSamples',
  requestId: 3,
  runId: 'tiny-20261130-101010',
  checkpoint: 8,
  request: { grid: [4, 4], seed: 7, mode: 'grid' },
};

test('a valid render request passes, as a clean copy', () => {
  assert.deepEqual(
    parsePreviewMessage({ ...render, extra: 'dropped', request: { ...render.request } }),
    render,
  );
  assert.deepEqual(parsePreviewMessage({ ...render, checkpoint: null }), { ...render, checkpoint: null });
  assert.deepEqual(parsePreviewMessage({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parsePreviewMessage({ type: 'saveSample', requestId: 1 }), {
    type: 'saveSample',
    requestId: 1,
  });
});

test('render requests out of bounds or of the wrong type are refused', () => {
  const bad: Record<string, unknown>[] = [
    { runId: '../../../etc' },
    { runId: 42 },
    { requestId: -1 },
    { requestId: 1.5 },
    { checkpoint: -8 },
    { checkpoint: 1e12 },
    { checkpoint: '8' },
    { request: { grid: [40, 40] } },
    { request: { grid: [0, 4] } },
    { request: { grid: [4] } },
    { request: { seed: -1 } },
    { request: { seed: 2 ** 31 } },
    { request: { classes: [1, 2, 3, 4, 5], grid: [4, 4] } },
    { request: { classes: -1 } },
    { request: { mode: 'shell' } },
    { request: { grid: [4, 4], out: '/etc/passwd' } },
    { request: null },
  ];
  for (const change of bad)
    assert.equal(parsePreviewMessage({ ...render, ...change }), null, JSON.stringify(change));
  assert.equal(parsePreviewMessage({ type: 'saveSample', requestId: 'x' }), null);
  assert.equal(parsePreviewMessage({ type: 'unknown' }), null);
  assert.equal(parsePreviewMessage('renderSamples'), null);
});

test('dashboard messages: run ids validated, lists bounded', () => {
  assert.deepEqual(parseDashboardMessage({ type: 'stop', runId: 'a-1', x: 1 }), {
    type: 'stop',
    runId: 'a-1',
  });
  assert.equal(parseDashboardMessage({ type: 'openPreview', runId: '..' }), null);
  assert.deepEqual(parseDashboardMessage({ type: 'selectRuns', runIds: ['a', 'b'] }), {
    type: 'selectRuns',
    runIds: ['a', 'b'],
  });
  assert.equal(parseDashboardMessage({ type: 'selectRuns', runIds: ['a', 7] }), null);
  assert.equal(parseDashboardMessage({ type: 'selectRuns', runIds: Array(101).fill('a') }), null);
  assert.equal(parseDashboardMessage({ type: 'stop' }), null);
});

test('the worker caps a sample request at 1024 images, as the CLI does', () => {
  assert.equal(sampleRequestProblem({ grid: [32, 32] }), null);
  assert.equal(sampleRequestProblem({ grid: [32, 33] }), 'grid has more than 1024 images');
  assert.equal(
    sampleRequestProblem({ grid: [1, 5000] }),
    'grid must be [rows, cols] of whole numbers from 1',
  );
});
