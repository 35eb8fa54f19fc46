// Progress output of `gan train`: a redrawn bar on a TTY, throttled plain lines otherwise.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { progressLine, ProgressReporter } from '../../src/cli/progress';
import { gridFor } from '../../src/cli/sample';
import { formatDuration, formatMetric } from '../../src/protocol/format';
import type { ProgressMessage } from '../../src/protocol/training';

function message(step: number, total = 100): ProgressMessage {
  return {
    type: 'progress',
    rows: [{ step, epoch: 0, time: step / 10, images_per_sec: 640, d_loss: 0.693147, g_loss: 1.23456 }],
    step,
    totalSteps: total,
    imagesPerSec: 640.5,
    etaSeconds: 95,
  };
}

test('durations and metrics are short and readable', () => {
  assert.equal(formatDuration(42), '42s');
  assert.equal(formatDuration(95), '1m35s');
  assert.equal(formatDuration(7325), '2h02m');
  assert.equal(formatMetric(0.693147), '0.6931');
  assert.equal(formatMetric(0.00001234), '1.234e-5');
  assert.equal(formatMetric(640.5), '640.5');
});

test('on a TTY the bar is redrawn in place with step, losses, images/s and ETA', () => {
  let out = '';
  const reporter = new ProgressReporter({ write: (t) => (out += t), isTTY: true, columns: 200 });
  reporter.update(message(50));
  assert.ok(out.startsWith('\r\u001b[2K'), JSON.stringify(out));
  assert.match(
    out.slice(5),
    /^\[#{12}-{12}\] 50\/100 {2}ETA 1m35s {2}641 img\/s {2}d_loss 0\.6931 {2}g_loss 1\.235$/,
  );
  reporter.finish();
  assert.ok(out.endsWith('\n'));
});

test('without a TTY progress degrades to plain, throttled lines', () => {
  let out = '';
  const reporter = new ProgressReporter({ write: (t) => (out += t) });
  reporter.update(message(1));
  reporter.update(message(2));
  reporter.update(message(100));
  const lines = out.trimEnd().split('\n');
  assert.equal(lines.length, 2);
  assert.match(lines[0], /^step 1\/100 {2}ETA 1m35s {2}641 img\/s {2}d_loss 0\.6931/);
  assert.match(lines[1], /^step 100\/100 /);
  assert.ok(!out.includes('\r'));
});

test('sample grids are the squarest layout of exactly n images', () => {
  assert.deepEqual(gridFor(64), [8, 8]);
  assert.deepEqual(gridFor(12), [3, 4]);
  assert.deepEqual(gridFor(7), [1, 7]);
});

test('a growing model (progan) shows its resolution, and α while a stage fades in', () => {
  const growing = (alpha: number): ProgressMessage => {
    const base = message(50);
    return { ...base, rows: [{ ...base.rows[0], resolution: 16, alpha }] };
  };
  assert.match(progressLine(growing(0.42), growing(0.42).rows[0]), /641 img\/s {2}16px α 0\.42 {2}d_loss/);
  assert.match(progressLine(growing(1), growing(1).rows[0]), /641 img\/s {2}16px {2}d_loss/);
  assert.doesNotMatch(progressLine(message(50), message(50).rows[0]), /px/);
});
