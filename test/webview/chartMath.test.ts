// The dashboard's pure parts: smoothing, downsampling, metric grouping, settings diff, labels, state.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { BlockExtremes } from '../../src/webview/dashboard/blockExtremes';
import { selectDrawIndices } from '../../src/webview/dashboard/downsample';
import { formatDuration, formatMetric } from '../../src/protocol/format';
import { groupMetrics } from '../../src/webview/dashboard/metricGroups';
import { runLabels } from '../../src/webview/dashboard/runLabels';
import { differingSettings } from '../../src/webview/dashboard/settingsDiff';
import { debiasedEma, newEmaState, smoothInto } from '../../src/webview/dashboard/smoothing';
import { restoreViewState } from '../../src/webview/dashboard/viewState';
import { fixtureRows } from './harness';

describe('debiased EMA smoothing (TensorBoard)', () => {
  test('matches the textbook definition on recorded losses', () => {
    const values = fixtureRows('gan-a').map((r) => r.g_loss);
    const weight = 0.6;
    const smoothed = debiasedEma(values, weight);
    let last = 0;
    values.forEach((v, i) => {
      last = last * weight + (1 - weight) * v;
      const expected = last / (1 - weight ** (i + 1));
      assert.ok(Math.abs(smoothed[i] - expected) < 1e-12, `point ${i}`);
    });
    assert.equal(smoothed[0], values[0]); // debiased: no pull towards zero at the start
  });

  test('weight 0 is the raw series; a constant series stays constant', () => {
    const values = [3, 1, 4, 1, 5];
    assert.deepEqual([...debiasedEma(values, 0)], values);
    for (const v of debiasedEma([2, 2, 2, 2], 0.95)) assert.ok(Math.abs(v - 2) < 1e-12);
  });

  test('non-finite points pass through and do not disturb the average', () => {
    const smoothed = debiasedEma([1, NaN, 1, Infinity, 1], 0.9);
    assert.ok(Number.isNaN(smoothed[1]));
    assert.equal(smoothed[3], Infinity);
    for (const i of [0, 2, 4]) assert.ok(Math.abs(smoothed[i] - 1) < 1e-12);
  });

  test('smoothing appended chunks equals smoothing everything at once', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.nat(200),
        fc.double({ min: 0, max: 0.99, noNaN: true }),
        (values, cut, weight) => {
          const split = Math.min(cut, values.length);
          const out = new Float64Array(values.length);
          const state = newEmaState();
          smoothInto(values, out, 0, split, weight, state);
          smoothInto(values, out, split, values.length, weight, state);
          assert.deepEqual([...out], [...debiasedEma(values, weight)]);
        },
      ),
    );
  });
});

describe('downsampling for drawing', () => {
  test('short series are drawn whole', () => {
    const xs = [1, 2, 3, 4, 5];
    assert.deepEqual([...selectDrawIndices(xs, [{ values: [5, 4, 3, 2, 1] }], 1, 5, 100)], [0, 1, 2, 3, 4]);
  });

  test('every pixel bucket keeps its first, last, minimum and maximum point, in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 50, maxLength: 3000 }),
        fc.integer({ min: 1, max: 40 }),
        (ys, buckets) => {
          const xs = ys.map((_, i) => i * 2 + 10);
          const picked = selectDrawIndices(xs, [{ values: ys }], xs[0], xs[xs.length - 1], buckets);
          for (let k = 1; k < picked.length; k++) assert.ok(picked[k] > picked[k - 1]);
          if (ys.length <= buckets * 4) return;
          const set = new Set(picked);
          assert.ok(set.has(0) && set.has(ys.length - 1));
          // The global extremes are always drawn, so the line's vertical extent is exact.
          assert.ok(picked.some((i) => ys[i] === Math.min(...ys)));
          assert.ok(picked.some((i) => ys[i] === Math.max(...ys)));
          assert.ok(picked.length <= buckets * 4);
        },
      ),
    );
  });

  test('block summaries pick exactly the points a full scan picks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: -5, max: 5, noNaN: true }), fc.constant(NaN)), {
          minLength: 300,
          maxLength: 5000,
        }),
        fc.integer({ min: 2, max: 60 }),
        fc.double({ min: 0, max: 0.9, noNaN: true }),
        (ys, buckets, zoomStart) => {
          const xs = ys.map((_, i) => i);
          const blocks = new BlockExtremes();
          blocks.update(ys);
          const from = Math.floor(zoomStart * ys.length);
          const scanned = selectDrawIndices(xs, [{ values: ys }], from, ys.length - 1, buckets);
          const summarised = selectDrawIndices(xs, [{ values: ys, blocks }], from, ys.length - 1, buckets);
          assert.deepEqual([...summarised], [...scanned]);
        },
      ),
      { numRuns: 60 },
    );
  });

  test('a zoomed range keeps one point beyond each edge', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => i);
    const ys = xs.map((x) => Math.sin(x));
    const picked = selectDrawIndices(xs, [{ values: ys }], 100.5, 200.5, 10);
    assert.equal(picked[0], 100);
    assert.equal(picked[picked.length - 1], 201);
  });
});

describe('dashboard helpers', () => {
  test('metrics are grouped into charts per family', () => {
    const gan = groupMetrics([
      'd_loss',
      'g_loss',
      'd_real',
      'd_fake',
      'images_per_sec',
      'step',
      'epoch',
      'time',
    ]);
    assert.deepEqual(
      gan.map((g) => [g.id, g.metrics]),
      [
        ['losses', ['d_loss', 'g_loss']],
        ['d-outputs', ['d_fake', 'd_real']],
        ['throughput', ['images_per_sec']],
      ],
    );
    // The KL term gets its own axis: beside the reconstruction it would be a flat line.
    const vae = groupMetrics(['loss', 'recon', 'kl', 'images_per_sec']);
    assert.deepEqual(
      vae.map((g) => [g.id, g.unit]),
      [
        ['losses', 'loss'],
        ['vae-recon', 'per image'],
        ['vae-kl', 'nats per image'],
        ['throughput', 'images/s'],
      ],
    );
    const optimization = groupMetrics([
      'd_loss',
      'grad_norm/generator',
      'grad_norm/discriminator',
      'lr/generator',
    ]);
    assert.deepEqual(
      optimization.map((g) => [g.id, g.metrics, g.unit]),
      [
        ['losses', ['d_loss'], 'loss'],
        ['grad-norms', ['grad_norm/discriminator', 'grad_norm/generator'], 'global L2 norm'],
        ['learning-rates', ['lr/generator'], 'learning rate'],
      ],
    );
    const cyclegan = groupMetrics(['g_loss', 'd_loss', 'cycle', 'identity', 'gp']);
    assert.deepEqual(
      cyclegan.map((g) => [g.id, g.metrics]),
      [
        ['losses', ['d_loss', 'g_loss']],
        ['cycle', ['cycle', 'identity']],
        ['metric-gp', ['gp']],
      ],
    );
  });

  test('only differing settings are listed, a missing one counts as different', () => {
    assert.deepEqual(
      differingSettings([
        { settings: { lr: 0.0002, batch: 64, ema: true } },
        { settings: { lr: 0.0005, batch: 64 } },
      ]),
      ['ema', 'lr'],
    );
  });

  test('run labels are short unless that makes them ambiguous', () => {
    const labels = runLabels([
      { id: 'mnist_gan-20261123-101500', model: 'mnist_gan' },
      { id: 'vae-20261123-101500', model: 'vae' },
      { id: 'vae-20261124-101500', model: 'vae' },
      { id: 'custom', model: 'x' },
    ]);
    assert.deepEqual(
      [...labels.values()],
      ['mnist_gan 10:15:00', 'vae-20261123-101500', 'vae-20261124-101500', 'custom'],
    );
  });

  test('saved view state is merged over defaults and malformed parts are dropped', () => {
    const restored = restoreViewState({
      smoothing: 5,
      xAxis: 'time',
      logScale: true,
      selectedRunIds: ['a', 3 as unknown as string],
      sampleStep: { a: 200, b: 'x' as unknown as number },
    });
    assert.equal(restored.smoothing, 0.6);
    assert.equal(restored.xAxis, 'time');
    assert.equal(restored.logScale, true);
    assert.deepEqual(restored.selectedRunIds, ['a']);
    assert.deepEqual(restored.sampleStep, { a: 200 });
    assert.equal(restoreViewState(undefined).xAxis, 'step');
  });

  test('numbers and durations read well', () => {
    assert.equal(formatMetric(0.849184), '0.8492');
    assert.equal(formatMetric(11312.55), '11310');
    assert.equal(formatMetric(0.0000123), '1.23e-5');
    assert.equal(formatMetric(NaN), '–');
    assert.equal(formatDuration(125), '2m05s');
    assert.equal(formatDuration(3 * 3600 + 7 * 60), '3h07m');
  });
});
