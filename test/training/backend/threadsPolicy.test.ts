// The default thread count: physical cores this process may use, within a cgroup quota, 1..8.
import assert from 'node:assert/strict';
import { delimiter } from 'node:path';
import { it } from 'node:test';
import { clampThreads, defaultThreads, hostCpuBudget } from '../../../src/training/backend/threadsPolicy';
import { withModulePaths } from '../../../src/training/runs/client';

it('counts physical cores, not SMT siblings, within the quota and the pool size', () => {
  assert.equal(defaultThreads({ available: 2, threadsPerCore: 1, quota: null }), 2);
  assert.equal(defaultThreads({ available: 16, threadsPerCore: 2, quota: null }), 8);
  assert.equal(defaultThreads({ available: 8, threadsPerCore: 2, quota: null }), 4);
  assert.equal(defaultThreads({ available: 32, threadsPerCore: 1, quota: null }), 8, 'wasm pool size');
  assert.equal(defaultThreads({ available: 16, threadsPerCore: 1, quota: 2.5 }), 2, 'container quota');
  assert.equal(defaultThreads({ available: 1, threadsPerCore: 2, quota: null }), 1);
  assert.deepEqual([clampThreads(0), clampThreads(3.7), clampThreads(64)], [1, 3, 8]);
});

it('reads a plausible budget from this machine', () => {
  const budget = hostCpuBudget();
  assert.ok(budget.available >= 1 && budget.threadsPerCore >= 1);
  const threads = defaultThreads(budget);
  assert.ok(threads >= 1 && threads <= Math.min(8, budget.available));
});

it('--module-path folders go first on NODE_PATH and GAN_MODULE_PATHS', () => {
  const base = { NODE_PATH: '/a', OTHER: 'x' };
  assert.equal(withModulePaths(base, []), base);
  const env = withModulePaths(base, ['/m1', '/m2']);
  assert.equal(env.NODE_PATH, ['/m1', '/m2', '/a'].join(delimiter));
  assert.equal(env.GAN_MODULE_PATHS, ['/m1', '/m2'].join(delimiter));
  assert.equal(env.OTHER, 'x');
});
