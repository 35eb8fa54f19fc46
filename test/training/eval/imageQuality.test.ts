// PSNR and SSIM on cases with known answers: identical images, constant offsets, constant images
// (SSIM reduces to its luminance term), the pixel range mapped to [0, 1], clipping.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_PSNR, psnr, ssim, type ImageSet } from '../../../src/training/eval/imageQuality';

const C1 = 0.01 ** 2;

function images(
  count: number,
  shape: [number, number, number],
  value: (i: number) => number,
  scale: [number, number] = [0, 1],
): ImageSet {
  const size = count * shape[0] * shape[1] * shape[2];
  return { count, shape, scale, pixels: Float32Array.from({ length: size }, (_, i) => value(i)) };
}

function close(actual: number, expected: number, what: string, eps = 1e-6): void {
  assert.ok(Math.abs(actual - expected) < eps, `${what}: ${actual} vs ${expected}`);
}

const noise = (i: number): number => 0.5 + 0.4 * Math.sin(i * 12.9898) * Math.cos(i * 4.1414);

describe('psnr', () => {
  it('is 10·log10(1/MSE) for a constant offset', () => {
    const a = images(3, [8, 8, 3], () => 0.5);
    close(
      psnr(
        images(3, [8, 8, 3], () => 0.6),
        a,
      ),
      20,
      '0.1 offset',
      1e-4,
    );
    close(
      psnr(
        images(3, [8, 8, 3], () => 0.51),
        a,
      ),
      40,
      '0.01 offset',
      1e-3,
    );
  });

  it('maps [-1, 1] data onto [0, 1] first, and clips values outside the range', () => {
    const a = images(2, [4, 4, 1], () => 0, [-1, 1]);
    close(
      psnr(
        images(2, [4, 4, 1], () => 0.2, [-1, 1]),
        a,
      ),
      20,
      '0.2 in [-1, 1] is 0.1',
      1e-4,
    );
    const top = images(1, [4, 4, 1], () => 1);
    close(
      psnr(
        images(1, [4, 4, 1], () => 5),
        top,
      ),
      MAX_PSNR,
      'clipped to 1',
    );
  });

  it('caps identical images at MAX_PSNR and averages per-image values', () => {
    const a = images(2, [4, 4, 1], noise);
    assert.equal(psnr(a, a), MAX_PSNR);
    const half = images(2, [4, 4, 1], (i) => (i < 16 ? noise(i) : noise(i) + 0.1));
    close(psnr(half, a), (MAX_PSNR + 20) / 2, 'mean of 100 and 20 dB', 1e-3);
  });

  it('rejects image sets of different shapes', () => {
    assert.throws(() => psnr(images(1, [4, 4, 1], noise), images(1, [4, 4, 3], noise)), /differ/);
  });
});

describe('ssim', () => {
  it('is 1 for identical images and symmetric', () => {
    const a = images(2, [16, 16, 3], noise);
    close(ssim(a, a), 1, 'identical');
    const inverted = images(2, [16, 16, 3], (i) => 1 - noise(i));
    close(ssim(a, inverted), ssim(inverted, a), 'symmetric');
    // Same means and contrasts, correlation −1: the structure term drives SSIM to about −1.
    assert.ok(ssim(a, inverted) < -0.9, `inverted: ${ssim(a, inverted)}`);
  });

  it('reduces to the luminance term for constant images', () => {
    for (const [x, y] of [
      [0.2, 0.7],
      [0.5, 0.55],
      [0, 1],
    ]) {
      const got = ssim(
        images(1, [12, 12, 1], () => x),
        images(1, [12, 12, 1], () => y),
      );
      close(got, (2 * x * y + C1) / (x * x + y * y + C1), `${x} vs ${y}`, 1e-6);
    }
  });

  it('falls as noise is added', () => {
    const a = images(1, [32, 32, 1], noise);
    const slightly = images(1, [32, 32, 1], (i) => noise(i) + 0.02 * Math.sin(i * 3.3));
    const more = images(1, [32, 32, 1], (i) => noise(i) + 0.2 * Math.sin(i * 3.3));
    const s1 = ssim(slightly, a);
    const s2 = ssim(more, a);
    assert.ok(s1 < 1 && s2 < s1, `${s1} then ${s2}`);
  });

  it('uses a smaller window on images under 11 pixels', () => {
    const a = images(1, [7, 7, 1], noise);
    close(ssim(a, a), 1, '7x7 identical');
  });
});
