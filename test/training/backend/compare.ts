// Helpers shared by the backend tests: run the same computation on 'cpu' and 'wasm' from
// identical random inputs and compare.
import * as tf from '@tensorflow/tfjs';

/** max |actual - expected| / max |expected| over all elements. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} != ${expected.length}`);
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < expected.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
    maxRef = Math.max(maxRef, Math.abs(expected[i]));
  }
  return maxRef === 0 ? maxDiff : maxDiff / maxRef;
}

/** Deterministic pseudo-random values in [-1, 1). */
export function randomValues(size: number, seed: number): Float32Array {
  const values = new Float32Array(size);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    values[i] = ((state >>> 0) / 2 ** 32) * 2 - 1;
  }
  return values;
}

/** Runs `compute` on each backend with fresh tensors made from `inputs`; returns the outputs' values. */
export async function onBothBackends(
  inputs: ReadonlyArray<{ shape: number[]; values: Float32Array }>,
  compute: (...tensors: tf.Tensor[]) => tf.Tensor[],
): Promise<{ cpu: Float32Array[]; wasm: Float32Array[] }> {
  const results: Record<'cpu' | 'wasm', Float32Array[]> = { cpu: [], wasm: [] };
  for (const backend of ['cpu', 'wasm'] as const) {
    await tf.setBackend(backend);
    const outputs = tf.tidy(() => compute(...inputs.map((input) => tf.tensor(input.values, input.shape))));
    results[backend] = outputs.map((output) => output.dataSync() as Float32Array);
    tf.dispose(outputs);
  }
  return results;
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
