// Where the ink of each frame is, and what that says of a clip: how far it moves per frame and
// how smoothly (the change of that step), and frames re-centred on their ink the way MNIST centred
// its digits (by centre of mass in a 28x28 window), so a digit classifier reads a moving digit
// as it reads a dataset digit. Frames are channels-last, in the data's scale.
import type { ImageShape } from './preprocess';

/** Intensity below this share of the range is background: generated backgrounds are not exactly 0. */
const INK_FLOOR = 0.1;

/** Centre of mass of each frame's ink as (y, x) pixel indices; NaN for a frame without ink. */
export function inkCentres(
  frames: Float32Array,
  count: number,
  shape: ImageShape,
  scale: readonly [number, number],
): Float64Array {
  const [h, w, c] = shape;
  const [lo, hi] = scale;
  const size = h * w * c;
  const centres = new Float64Array(count * 2);
  for (let i = 0; i < count; i++) {
    let mass = 0;
    let y = 0;
    let x = 0;
    for (let p = 0; p < h * w; p++) {
      let intensity = 0;
      for (let k = 0; k < c; k++) intensity += (frames[i * size + p * c + k] - lo) / (hi - lo);
      const ink = Math.max(0, Math.min(1, intensity / c) - INK_FLOOR);
      mass += ink;
      y += ink * Math.floor(p / w);
      x += ink * (p % w);
    }
    centres[2 * i] = mass > 0 ? y / mass : NaN;
    centres[2 * i + 1] = mass > 0 ? x / mass : NaN;
  }
  return centres;
}

/** Each frame's `window`×`window` crop with its ink centre in the middle; outside the frame is background. */
export function centredWindows(
  frames: Float32Array,
  count: number,
  shape: ImageShape,
  scale: readonly [number, number],
  centres: Float64Array,
  window: number,
): Float32Array {
  const [h, w, c] = shape;
  const size = h * w * c;
  const out = new Float32Array(count * window * window * c).fill(scale[0]);
  const middle = (window - 1) / 2;
  for (let i = 0; i < count; i++) {
    const cy = Number.isNaN(centres[2 * i]) ? (h - 1) / 2 : centres[2 * i];
    const cx = Number.isNaN(centres[2 * i + 1]) ? (w - 1) / 2 : centres[2 * i + 1];
    const top = Math.round(cy - middle);
    const left = Math.round(cx - middle);
    for (let y = 0; y < window; y++) {
      const sy = top + y;
      if (sy < 0 || sy >= h) continue;
      for (let x = 0; x < window; x++) {
        const sx = left + x;
        if (sx < 0 || sx >= w) continue;
        for (let k = 0; k < c; k++)
          out[((i * window + y) * window + x) * c + k] = frames[i * size + (sy * w + sx) * c + k];
      }
    }
  }
  return out;
}

export interface ClipMotion {
  /** Mean distance the ink centre moves from one frame to the next, in pixels. */
  readonly step: number;
  /** Mean change of that motion between consecutive steps (|second difference|), in pixels:
   *  0 for constant velocity; jitter and jumps raise it. */
  readonly accel: number;
}

/** Motion of `clips` clips of `frames` frames from their frames' ink centres (frames without ink skipped). */
export function clipMotion(centres: Float64Array, clips: number, frames: number): ClipMotion {
  const at = (i: number): [number, number] => [centres[2 * i], centres[2 * i + 1]];
  let steps = 0;
  let stepSum = 0;
  let accels = 0;
  let accelSum = 0;
  for (let clip = 0; clip < clips; clip++) {
    for (let t = 1; t < frames; t++) {
      const [y0, x0] = at(clip * frames + t - 1);
      const [y1, x1] = at(clip * frames + t);
      const step = Math.hypot(y1 - y0, x1 - x0);
      if (Number.isNaN(step)) continue;
      steps++;
      stepSum += step;
      if (t < 2) continue;
      const [yp, xp] = at(clip * frames + t - 2);
      const accel = Math.hypot(y1 - 2 * y0 + yp, x1 - 2 * x0 + xp);
      if (Number.isNaN(accel)) continue;
      accels++;
      accelSum += accel;
    }
  }
  return { step: steps ? stepSum / steps : 0, accel: accels ? accelSum / accels : 0 };
}
