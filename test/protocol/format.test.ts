// The one presentation module: every host (CLI, extension, webviews) reads numbers through it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  compactCount,
  formatAge,
  formatAxisTime,
  formatCount,
  formatDuration,
  formatMetric,
  MISSING,
} from '../../src/protocol/format';

test('durations are compact and pad the smaller unit', () => {
  assert.equal(formatDuration(0), '0s');
  assert.equal(formatDuration(59.6), '1m00s');
  assert.equal(formatDuration(125), '2m05s');
  assert.equal(formatDuration(3 * 3600 + 7 * 60 + 59), '3h07m');
  assert.equal(formatDuration(-1), MISSING);
  assert.equal(formatDuration(Number.POSITIVE_INFINITY), MISSING);
  assert.equal(formatAxisTime(2.54), '2.5s');
  assert.equal(formatAxisTime(90), '1m30s');
});

test('metrics keep 4 significant digits, in exponent form outside [0.001, 100000)', () => {
  assert.equal(formatMetric(0), '0');
  assert.equal(formatMetric(0.693147), '0.6931');
  assert.equal(formatMetric(-12.3456), '-12.35');
  assert.equal(formatMetric(99994), '99990');
  assert.equal(formatMetric(123456), '1.235e+5');
  assert.equal(formatMetric(0.00001234), '1.234e-5');
  assert.equal(formatMetric(0.00001), '1e-5');
  // The form follows the printed value: a smoothed 0.001 is not "1e-3", nor 99999.7 "100000".
  assert.equal(formatMetric(0.0009999999999), '0.001');
  assert.equal(formatMetric(99999.7), '1e+5');
  assert.equal(formatMetric(Number.NaN), MISSING);
  assert.equal(formatMetric(undefined), MISSING);
  assert.equal(formatMetric(Number.NEGATIVE_INFINITY), '-∞');
});

test('counts have separators; compact counts 3 significant digits and a unit', () => {
  assert.equal(formatCount(12345), '12,345');
  assert.equal(formatCount(1254400.4), '1,254,400');
  assert.equal(compactCount(640), '640');
  assert.equal(compactCount(12.34), '12.3');
  assert.equal(compactCount(1534.2), '1.53k');
  assert.equal(compactCount(12800), '12.8k');
  assert.equal(compactCount(999_999), '1M');
  assert.equal(compactCount(1_254_400), '1.25M');
  assert.equal(compactCount(3e9), '3G');
});

test('ages round down to the largest whole unit', () => {
  const now = new Date('2026-11-23T12:00:00Z');
  const ago = (seconds: number) => formatAge(new Date(now.getTime() - seconds * 1000), now);
  assert.equal(ago(-5), 'just now');
  assert.equal(ago(59), 'just now');
  assert.equal(ago(60), '1 min ago');
  assert.equal(ago(2 * 3600 + 59 * 60), '2 h ago');
  assert.equal(ago(86400), '1 day ago');
  assert.equal(ago(3 * 86400), '3 days ago');
});
