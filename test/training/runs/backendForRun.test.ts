// Evaluating or sampling a run uses the TensorFlow.js backend its training asked for, except when
// PyTorch trained it: there `--backend cpu` named a torch device, and TensorFlow.js's `cpu` (plain
// JavaScript) evaluated an emoji CycleGAN 68× slower than wasm.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backendForRun } from '../../../src/training/runs/backendOnce';

const TORCH = {
  name: 'torch',
  torch: '1.13.0',
  device: 'CPU (1 thread)',
  python: '/usr/bin/python3',
  processes: 1,
} as const;

test('a run trained on TensorFlow.js is evaluated on the backend it asked for', () => {
  assert.equal(backendForRun({ requestedBackend: 'wasm' }), 'wasm');
  assert.equal(backendForRun({ requestedBackend: 'cpu' }), 'cpu');
  assert.equal(backendForRun({ requestedBackend: 'auto' }), 'auto');
});

test("a run PyTorch trained is evaluated on TensorFlow.js's own choice, whatever torch device it named", () => {
  assert.equal(backendForRun({ requestedBackend: 'cpu', engine: TORCH }), 'auto');
  assert.equal(backendForRun({ requestedBackend: 'gpu', engine: TORCH }), 'auto');
  // The exported PyTorch script's run.json names no TensorFlow.js backend at all.
  assert.equal(backendForRun({ requestedBackend: 'torch' }), 'auto');
});
