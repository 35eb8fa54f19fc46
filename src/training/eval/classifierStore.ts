// Classifier weights on disk: a folder per classifier with the network (TensorFlow.js layers
// format, weights stored as float16 to halve the package) and info.json (what it was trained on
// and its test accuracy). The shipped ones are found beside the bundle (dist/classifiers/, copied
// by scripts/build.mjs) or, running from source, in assets/classifiers/.
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { directoryIO } from '../engine/modelFiles';

export const INFO_JSON = 'info.json';

export interface ClassifierInfo {
  readonly id: string;
  readonly label: string;
  readonly shape: readonly [number, number, number];
  readonly classNames: readonly string[];
  /** Fraction of the held-out test images classified correctly. */
  readonly testAccuracy: number;
  readonly testImages: number;
  readonly trainImages: number;
  readonly seed: number;
  readonly featureSize: number;
}

/** Where the shipped classifiers are: beside the bundle (dist/*.js, or dist/bench/*.js one level
 *  down) when built, else the repository's assets (running from source). */
export function shippedClassifierRoot(): string {
  const candidates = [
    join(__dirname, 'classifiers'),
    join(__dirname, '..', 'classifiers'),
    join(__dirname, '..', '..', '..', 'assets', 'classifiers'),
  ];
  return candidates.find((dir) => existsSync(dir)) ?? candidates[candidates.length - 1];
}

export function readClassifierInfo(dir: string): ClassifierInfo {
  return JSON.parse(readFileSync(join(dir, INFO_JSON), 'utf8')) as ClassifierInfo;
}

export function hasClassifier(dir: string): boolean {
  return existsSync(join(dir, INFO_JSON)) && existsSync(join(dir, 'model.json'));
}

/** A short hash of a classifier's weights: caches of its features are keyed by it. */
export function weightsDigest(dir: string): string {
  return createHash('sha256')
    .update(readFileSync(join(dir, 'weights.bin')))
    .digest('hex')
    .slice(0, 12);
}

export async function loadClassifier(dir: string): Promise<{ model: tf.LayersModel; info: ClassifierInfo }> {
  if (!hasClassifier(dir)) throw new Error(`no classifier in ${dir}`);
  const model = await tf.loadLayersModel(directoryIO(dir));
  return { model, info: readClassifierInfo(dir) };
}

/** Saves the network with float16 weights (tfjs decodes them back to float32 on load) and its info. */
export async function saveClassifier(
  model: tf.LayersModel,
  dir: string,
  info: ClassifierInfo,
): Promise<void> {
  await model.save(directoryIO(dir));
  const manifestPath = join(dir, 'model.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as tf.io.ModelJSON;
  const bytes = readFileSync(join(dir, 'weights.bin'));
  const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const half = new Uint16Array(floats.length);
  for (let i = 0; i < floats.length; i++) half[i] = toFloat16(floats[i]);
  for (const group of manifest.weightsManifest)
    for (const spec of group.weights) {
      if (spec.dtype !== 'float32') throw new Error(`weight ${spec.name} is ${spec.dtype}, not float32`);
      (spec as { quantization?: unknown }).quantization = { dtype: 'float16' };
    }
  writeFileSync(join(dir, 'weights.bin'), new Uint8Array(half.buffer));
  writeFileSync(manifestPath, JSON.stringify(manifest));
  writeFileSync(join(dir, INFO_JSON), `${JSON.stringify(info, null, 2)}\n`);
}

const scratch = new DataView(new ArrayBuffer(4));

/** IEEE 754 binary16, rounded to nearest (ties to even; subnormals kept, overflow to infinity). */
export function toFloat16(value: number): number {
  scratch.setFloat32(0, value);
  const bits = scratch.getUint32(0);
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    const m = (mantissa | 0x800000) >>> (1 - e);
    return sign | ((m >>> 13) + ((m >>> 12) & 1));
  }
  const half = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  const roundUp = rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1);
  return sign | (half + (roundUp ? 1 : 0));
}
