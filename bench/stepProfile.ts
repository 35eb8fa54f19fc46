// Where a training step's time goes: tf.profile's kernel records grouped by kernel and input
// shapes, with time and share of the profiled step.
import * as tf from '@tensorflow/tfjs';

export interface OpTime {
  readonly op: string;
  /** Input shapes, e.g. "64x14x14x32, 4x4x1x32". */
  readonly shapes: string;
  readonly calls: number;
  readonly ms: number;
  /** Floating-point operations of one call (multiply-adds count 2), for convolutions and matrix
   *  products; null for the rest. */
  readonly flops: number | null;
}

export interface StepProfile {
  /** Wall time of the profiled step. */
  readonly stepMs: number;
  /** Sum of kernel times; the rest is JavaScript outside kernels (tape, optimizer bookkeeping). */
  readonly kernelMs: number;
  /** Every distinct kernel and input shapes, longest first. */
  readonly ops: readonly OpTime[];
}

/** Profiles `runs` steps and keeps, per kernel and shapes, its fastest step: on a shared machine a
 *  descheduled thread inflates whichever kernel it hits, and the minimum filters that out. */
export async function profileStep(step: () => Promise<unknown>, runs = 3): Promise<StepProfile> {
  let best: StepProfile | null = null;
  const fastest = new Map<string, OpTime>();
  for (let run = 0; run < runs; run++) {
    const profile = await profileOnce(step);
    if (!best || profile.stepMs < best.stepMs) best = profile;
    for (const o of profile.ops) {
      const key = `${o.op}|${o.shapes}`;
      const seen = fastest.get(key);
      if (!seen || o.ms < seen.ms) fastest.set(key, o);
    }
  }
  if (!best) throw new Error('profileStep needs at least one run');
  const ops = [...fastest.values()].sort((a, b) => b.ms - a.ms);
  const kernelMs = ops.reduce((sum, o) => sum + o.ms, 0);
  return { stepMs: Math.max(best.stepMs, kernelMs), kernelMs, ops };
}

async function profileOnce(step: () => Promise<unknown>): Promise<StepProfile> {
  const t0 = performance.now();
  const info = await tf.profile(async () => {
    await step();
    return [];
  });
  const stepMs = performance.now() - t0;
  const groups = new Map<
    string,
    { op: string; shapes: string; calls: number; ms: number; flops: number | null }
  >();
  let kernelMs = 0;
  for (const kernel of info.kernels) {
    // tf.profile also records composite ops (fusedConv2d__op ...) and custom-gradient scopes
    // ("unnamed scope") around the kernels they run: count the kernels only.
    if (kernel.name.endsWith('__op') || kernel.name === 'unnamed scope') continue;
    const ms = typeof kernel.kernelTimeMs === 'number' ? kernel.kernelTimeMs : 0;
    const shapes = kernel.inputShapes.map((s) => (s?.length ? s.join('x') : 'scalar')).join(', ');
    const key = `${kernel.name}|${shapes}`;
    const flops = flopsOf(kernel.name, kernel.inputShapes, kernel.outputShapes);
    const group = groups.get(key) ?? { op: kernel.name, shapes, calls: 0, ms: 0, flops };
    group.calls++;
    group.ms += ms;
    groups.set(key, group);
    kernelMs += ms;
  }
  return { stepMs, kernelMs, ops: [...groups.values()] };
}

const size = (shape: readonly number[] | undefined): number => (shape ?? []).reduce((a, b) => a * b, 1);

/** Work of one convolution or matrix product from its shapes (NHWC, filter [kh, kw, in, out]). */
export function flopsOf(
  op: string,
  inputs: readonly (readonly number[] | undefined)[],
  outputs: readonly (readonly number[] | undefined)[],
): number | null {
  switch (op) {
    case 'Conv2D':
    case 'FusedConv2D': {
      const [kh, kw, ci] = inputs[1] ?? [];
      return 2 * size(outputs[0]) * kh * kw * ci;
    }
    case 'Conv2DBackpropInput': {
      // Every (dy element, filter tap, input channel) pair is one multiply-add, as in the forward.
      const [kh, kw, ci] = inputs[1] ?? [];
      return 2 * size(inputs[0]) * kh * kw * ci;
    }
    case 'Conv2DBackpropFilter': {
      // dW[kh, kw, ci, co] sums over every dy position (n, y, x).
      const dy = inputs[1] ?? [];
      return 2 * size(outputs[0]) * (size(dy) / (dy[dy.length - 1] ?? 1));
    }
    case 'BatchMatMul':
    case '_FusedMatMul': {
      const out = outputs[0] ?? [];
      const k = Math.sqrt((size(inputs[0]) * size(inputs[1])) / (size(out) * (out[0] ?? 1)));
      return 2 * size(out) * k;
    }
    default:
      return null;
  }
}

/** Kernel time per op name alone (all shapes), longest first. */
export function byOp(ops: readonly OpTime[]): { op: string; calls: number; ms: number }[] {
  const totals = new Map<string, { op: string; calls: number; ms: number }>();
  for (const o of ops) {
    const t = totals.get(o.op) ?? { op: o.op, calls: 0, ms: 0 };
    t.calls += o.calls;
    t.ms += o.ms;
    totals.set(o.op, t);
  }
  return [...totals.values()].sort((a, b) => b.ms - a.ms);
}
