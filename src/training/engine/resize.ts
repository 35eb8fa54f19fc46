// Image resizing as separable matrix products: one weight matrix per axis, applied with matMul, so
// the same code runs (with gradients) on every backend. tfjs has only bilinear and nearest
// resizing; super-resolution needs bicubic (to make inputs, and as the baseline to beat) and area.
import * as tf from '@tensorflow/tfjs';

export type ResizeMethod = 'bicubic' | 'area';

/** Keys' cubic convolution kernel with a = −0.5 (Catmull-Rom), as MATLAB's and Pillow's bicubic. */
export function keysCubic(d: number): number {
  const a = -0.5;
  const x = Math.abs(d);
  if (x <= 1) return (a + 2) * x ** 3 - (a + 3) * x ** 2 + 1;
  if (x < 2) return a * x ** 3 - 5 * a * x ** 2 + 8 * a * x - 4 * a;
  return 0;
}

/**
 * The [outSize, inSize] matrix that resizes one axis. Pixel centres are aligned (half-pixel
 * convention); samples outside the image repeat the edge pixel. Shrinking widens the cubic kernel by
 * the scale (antialiasing, as MATLAB's imresize); every row sums to 1.
 */
export function resizeMatrix(inSize: number, outSize: number, method: ResizeMethod): Float32Array {
  const m = new Float64Array(outSize * inSize);
  const scale = inSize / outSize;
  for (let o = 0; o < outSize; o++) {
    const row = o * inSize;
    if (method === 'area') {
      const from = o * scale;
      const to = (o + 1) * scale;
      for (let i = Math.floor(from); i < Math.min(inSize, Math.ceil(to)); i++)
        m[row + i] += (Math.min(to, i + 1) - Math.max(from, i)) / scale;
      continue;
    }
    const widen = Math.max(1, scale);
    const centre = (o + 0.5) * scale - 0.5;
    const reach = 2 * widen;
    let total = 0;
    for (let i = Math.ceil(centre - reach); i <= Math.floor(centre + reach); i++) {
      const w = keysCubic((i - centre) / widen);
      if (w === 0) continue;
      m[row + Math.min(inSize - 1, Math.max(0, i))] += w;
      total += w;
    }
    for (let i = 0; i < inSize; i++) m[row + i] /= total;
  }
  return Float32Array.from(m);
}

const matrices = new Map<string, Float32Array>();

function matrix(inSize: number, outSize: number, method: ResizeMethod): tf.Tensor2D {
  const key = `${inSize}:${outSize}:${method}`;
  let values = matrices.get(key);
  if (!values) {
    values = resizeMatrix(inSize, outSize, method);
    matrices.set(key, values);
  }
  return tf.tensor2d(values, [outSize, inSize]);
}

/** Resizes NHWC images to height × width. */
export function resizeImages(
  x: tf.Tensor4D,
  height: number,
  width: number,
  method: ResizeMethod,
): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w, c] = x.shape;
    let y: tf.Tensor4D = x;
    if (height !== h) {
      const rows = y.transpose([1, 0, 2, 3]).reshape([h, n * w * c]);
      y = tf
        .matMul(matrix(h, height, method), rows)
        .reshape([height, n, w, c])
        .transpose([1, 0, 2, 3]);
    }
    if (width !== w) {
      const cols = y.transpose([2, 0, 1, 3]).reshape([w, n * height * c]);
      y = tf
        .matMul(matrix(w, width, method), cols)
        .reshape([width, n, height, c])
        .transpose([1, 2, 0, 3]);
    }
    return y === x ? x.clone() : y;
  });
}
