// A run's health from its metrics: divergence, a saturated discriminator, mode collapse — and
// silence on healthy runs, including hinge runs whose critic scores are not probabilities.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assessHealth, healthSummary, type HealthContext } from '../../src/protocol/health';
import { seriesOfRows } from '../../src/protocol/metricSeries';
import type { MetricRow } from '../../src/protocol/training';

const gan: HealthContext = {
  losses: ['d_loss', 'g_loss'],
  criticReadout: 'probability',
  divergenceAdvice: 'a loss with a critic penalty',
};

/** `n` rows, each metric a function of the step (1-based). */
function rows(n: number, metrics: Record<string, (step: number) => number>): MetricRow[] {
  return Array.from({ length: n }, (_, i) => {
    const row: Record<string, number> = { step: i + 1, epoch: 0, time: i };
    for (const [name, f] of Object.entries(metrics)) row[name] = f(i + 1);
    return row as MetricRow;
  });
}

const noisy = (base: number, spread: number) => (step: number) => base + spread * Math.sin(step * 1.7);

test('a healthy adversarial run has no problems', () => {
  const run = rows(400, {
    d_loss: noisy(1.2, 0.2),
    g_loss: noisy(0.9, 0.3),
    d_real: noisy(0.6, 0.1),
    d_fake: noisy(0.4, 0.1),
  });
  assert.deepEqual(assessHealth(seriesOfRows(run), gan), []);
  assert.equal(healthSummary([]), '');
});

test('a generator loss that explodes to 9e8 while D is perfect: diverging and saturated, dated', () => {
  const run = rows(1600, {
    d_loss: (s) => (s < 600 ? 1.2 : 1e-6),
    g_loss: (s) => (s < 650 ? 0.9 : 9e8 * Math.min(1, (s - 649) / 200)),
    d_real: (s) => (s < 600 ? 0.6 : 1),
    d_fake: (s) => (s < 600 ? 0.4 : 0),
  });
  const problems = assessHealth(seriesOfRows(run), gan);
  assert.deepEqual(
    problems.map((p) => p.signal),
    ['saturated', 'diverging'],
  );
  const [saturated, diverging] = problems;
  assert.equal(saturated.step, 600);
  assert.match(saturated.message, /D\(real\) 1 and D\(fake\) 0/);
  assert.match(diverging.message, /^g_loss grew from about 0\.9 to 9e\+8/);
  assert.ok(diverging.step > 600 && diverging.step < 800, `diverging from ${diverging.step}`);
  assert.match(diverging.advice, /10× lower, a loss with a critic penalty/);
  assert.equal(healthSummary(problems), 'unhealthy: discriminator saturated, diverging');
});

test('raw critic scores (hinge) are never read as probabilities', () => {
  const run = rows(400, {
    d_loss: noisy(1.5, 0.2),
    g_loss: noisy(1.6, 0.2),
    d_real: () => 1.6,
    d_fake: () => -1.6,
  });
  assert.deepEqual(assessHealth(seriesOfRows(run), { ...gan, criticReadout: 'score' }), []);
  assert.deepEqual(
    assessHealth(seriesOfRows(run), gan).map((p) => p.signal),
    ['saturated'],
  );
});

test('short runs are not judged; a loss that merely doubles is not divergence', () => {
  assert.deepEqual(
    assessHealth(seriesOfRows(rows(10, { d_loss: (s) => 10 ** s, d_real: () => 1, d_fake: () => 0 })), gan),
    [],
  );
  const doubling = rows(500, { d_loss: (s) => 1 + s / 250, g_loss: noisy(1, 0.1) });
  assert.deepEqual(assessHealth(seriesOfRows(doubling), { ...gan, criticReadout: null }), []);
});

test('collapse: within-class diversity far below the real images', () => {
  const evaluated = (diversity: number): MetricRow[] =>
    rows(300, {
      d_loss: noisy(1.2, 0.1),
      g_loss: noisy(1, 0.1),
      'eval/class_diversity': (s) => (s % 100 === 0 ? diversity : NaN),
    }).map((r) => {
      const copy: Record<string, number> = { ...r };
      if (!Number.isFinite(copy['eval/class_diversity'])) delete copy['eval/class_diversity'];
      return copy as MetricRow;
    });
  const collapsed = assessHealth(seriesOfRows(evaluated(0.25)), { ...gan, criticReadout: null });
  assert.deepEqual(
    collapsed.map((p) => [p.signal, p.step]),
    [['collapse', 100]],
  );
  assert.match(collapsed[0].message, /within-class diversity 25%/);
  assert.deepEqual(assessHealth(seriesOfRows(evaluated(0.98)), { ...gan, criticReadout: null }), []);
});
