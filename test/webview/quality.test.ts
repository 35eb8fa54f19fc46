// The Quality panel's pure parts: quality chart groups, the latest class histogram and the
// mode-collapse warning with the step where it began.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { groupMetrics } from '../../src/webview/dashboard/metricGroups';
import { latestHistogram, modeCollapse, type MetricSeries } from '../../src/webview/dashboard/quality';
import { qualityTitle } from '../../src/webview/dashboard/qualityGroups';

/** Training rows every 100 steps; eval values only where given (every 500 steps). */
function series(evals: Record<number, Record<string, number>>, lastStep = 3000): MetricSeries {
  const steps: number[] = [];
  for (let s = 100; s <= lastStep; s += 100) steps.push(s);
  const names = [...new Set(Object.values(evals).flatMap((e) => Object.keys(e)))];
  return {
    steps,
    metricNames: () => ['d_loss', ...names],
    values: (metric) => steps.map((s) => evals[s]?.[metric] ?? NaN),
  };
}

describe('quality charts', () => {
  test('eval metrics form the Quality groups; the histogram and bookkeeping keys get no chart', () => {
    const groups = groupMetrics([
      'd_loss',
      'eval/fid',
      'eval/kid',
      'eval/kid_std',
      'eval/precision',
      'eval/coverage',
      'eval/class_entropy',
      'eval/d_acc',
      'eval/class/0',
      'eval/seconds',
    ]);
    const byId = Object.fromEntries(groups.map((g) => [g.id, g.metrics]));
    assert.deepEqual(byId['quality-fid'], ['eval/fid']);
    assert.deepEqual(byId['quality-pr'], ['eval/coverage', 'eval/precision']);
    assert.ok(
      !groups.some((g) => g.metrics.some((m) => m.startsWith('eval/class/') || m === 'eval/seconds')),
    );
  });

  test('distance titles name their features', () => {
    assert.equal(
      qualityTitle('quality-fid', 'Quality: FID', ['MNIST classifier']),
      'Quality: FID (MNIST classifier features)',
    );
    assert.equal(qualityTitle('losses', 'Losses', ['MNIST classifier']), 'Losses');
  });
});

describe('class histogram', () => {
  test('is the latest evaluation, by class name', () => {
    const run = series({
      500: { 'eval/class/circle': 0.5, 'eval/class/square': 0.5 },
      1000: { 'eval/class/circle': 0.9, 'eval/class/square': 0.1 },
    });
    assert.deepEqual(latestHistogram(run), {
      step: 1000,
      classes: [
        { name: 'circle', share: 0.9 },
        { name: 'square', share: 0.1 },
      ],
    });
    assert.equal(latestHistogram(series({})), null);
  });
});

describe('mode-collapse warning', () => {
  test('none while coverage and class entropy hold', () => {
    const run = series({
      500: { 'eval/coverage': 0.3, 'eval/class_entropy': 2.0, 'eval/d_acc': 0.8 },
      1000: { 'eval/coverage': 0.5, 'eval/class_entropy': 2.2, 'eval/d_acc': 0.7 },
      1500: { 'eval/coverage': 0.48, 'eval/class_entropy': 2.1, 'eval/d_acc': 0.75 },
    });
    assert.equal(modeCollapse(run), null);
  });

  test('a sharp coverage drop is dated from the first evaluation below 90% of the best', () => {
    const run = series({
      500: { 'eval/coverage': 0.4 },
      1000: { 'eval/coverage': 0.6 },
      1500: { 'eval/coverage': 0.58 },
      2000: { 'eval/coverage': 0.45 },
      2500: { 'eval/coverage': 0.2 },
    });
    const warning = modeCollapse(run);
    assert.equal(warning?.step, 2000);
    assert.match(warning?.reason ?? '', /coverage fell from 60% to 20%/);
  });

  test('falling class entropy and a discriminator pinned at 100% are reported from their start', () => {
    const entropy = modeCollapse(
      series({
        500: { 'eval/class_entropy': 2.2 },
        1000: { 'eval/class_entropy': 1.5 },
        1500: { 'eval/class_entropy': 0.4 },
      }),
    );
    assert.equal(entropy?.step, 1000);
    const pinned = modeCollapse(
      series({
        500: { 'eval/d_acc': 0.8 },
        1000: { 'eval/d_acc': 1 },
        1500: { 'eval/d_acc': 0.995 },
        2000: { 'eval/d_acc': 1 },
      }),
    );
    assert.equal(pinned?.step, 1000);
    assert.match(pinned?.reason ?? '', /pinned at 100%/);
    assert.equal(modeCollapse(series({ 500: { 'eval/d_acc': 1 }, 1000: { 'eval/d_acc': 0.9 } })), null);
  });
});
