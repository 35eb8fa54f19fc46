// Full-reference image quality for super-resolution: PSNR and SSIM (Wang et al. 2004) of images
// against their originals, on pixel values mapped to [0, 1] (all channels; values outside the
// range are clipped, as when the image is saved).

export interface ImageSet {
  readonly count: number;
  readonly pixels: Float32Array;
  readonly shape: readonly [number, number, number];
  /** The pixel range of the values: [-1, 1] or [0, 1]. */
  readonly scale: readonly [number, number];
}

/** PSNR of identical images would be infinite; metrics rows carry finite numbers. */
export const MAX_PSNR = 100;

function unit(set: ImageSet, i: number): number {
  const [lo, hi] = set.scale;
  const v = (set.pixels[i] - lo) / (hi - lo);
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

function checkPair(a: ImageSet, b: ImageSet): void {
  if (a.count !== b.count || a.shape.some((d, i) => d !== b.shape[i]))
    throw new Error(
      `image sets differ: ${a.count} of ${a.shape.join('x')} vs ${b.count} of ${b.shape.join('x')}`,
    );
}

/** Mean over images of 10·log10(1 / MSE), in dB (at most MAX_PSNR). */
export function psnr(images: ImageSet, originals: ImageSet): number {
  checkPair(images, originals);
  const size = images.shape[0] * images.shape[1] * images.shape[2];
  let total = 0;
  for (let n = 0; n < images.count; n++) {
    let sq = 0;
    for (let i = n * size; i < (n + 1) * size; i++) {
      const d = unit(images, i) - unit(originals, i);
      sq += d * d;
    }
    const mse = sq / size;
    total += mse === 0 ? MAX_PSNR : Math.min(MAX_PSNR, -10 * Math.log10(mse));
  }
  return total / images.count;
}

const SSIM_SIGMA = 1.5;
const SSIM_WINDOW = 11;
const C1 = 0.01 ** 2;
const C2 = 0.03 ** 2;

function gaussian(size: number): Float64Array {
  const w = new Float64Array(size);
  const mid = (size - 1) / 2;
  let sum = 0;
  for (let i = 0; i < size; i++) sum += w[i] = Math.exp(-((i - mid) ** 2) / (2 * SSIM_SIGMA ** 2));
  for (let i = 0; i < size; i++) w[i] /= sum;
  return w;
}

/** Valid-region separable filtering of an h×w plane. */
function filter(plane: Float64Array, h: number, w: number, k: Float64Array): Float64Array {
  const n = k.length;
  const ow = w - n + 1;
  const oh = h - n + 1;
  const rows = new Float64Array(h * ow);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let t = 0; t < n; t++) s += k[t] * plane[y * w + x + t];
      rows[y * ow + x] = s;
    }
  const out = new Float64Array(oh * ow);
  for (let y = 0; y < oh; y++)
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let t = 0; t < n; t++) s += k[t] * rows[(y + t) * ow + x];
      out[y * ow + x] = s;
    }
  return out;
}

/**
 * Mean SSIM over images and channels: an 11×11 Gaussian window (σ = 1.5), K1 = 0.01, K2 = 0.03,
 * valid positions only (Wang et al.'s reference implementation); a smaller window on images under
 * 11 pixels.
 */
export function ssim(images: ImageSet, originals: ImageSet): number {
  checkPair(images, originals);
  const [h, w, c] = images.shape;
  const k = gaussian(Math.min(SSIM_WINDOW, h, w));
  const plane = h * w;
  const x = new Float64Array(plane);
  const y = new Float64Array(plane);
  const xx = new Float64Array(plane);
  const yy = new Float64Array(plane);
  const xy = new Float64Array(plane);
  let total = 0;
  for (let n = 0; n < images.count; n++)
    for (let ch = 0; ch < c; ch++) {
      for (let p = 0; p < plane; p++) {
        const i = (n * plane + p) * c + ch;
        const a = unit(images, i);
        const b = unit(originals, i);
        x[p] = a;
        y[p] = b;
        xx[p] = a * a;
        yy[p] = b * b;
        xy[p] = a * b;
      }
      const [mx, my, sxx, syy, sxy] = [x, y, xx, yy, xy].map((m) => filter(m, h, w, k));
      let sum = 0;
      for (let p = 0; p < mx.length; p++) {
        const vx = sxx[p] - mx[p] * mx[p];
        const vy = syy[p] - my[p] * my[p];
        const cov = sxy[p] - mx[p] * my[p];
        sum +=
          ((2 * mx[p] * my[p] + C1) * (2 * cov + C2)) /
          ((mx[p] * mx[p] + my[p] * my[p] + C1) * (vx + vy + C2));
      }
      total += sum / mx.length;
    }
  return total / (images.count * c);
}
