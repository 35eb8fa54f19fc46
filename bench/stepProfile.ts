// Where a training step's time goes: tf.profile's kernel records grouped by kernel and input
// shapes, with time and share of the profiled step.
import * as tf from '@tensorflow/tfjs';

export interface OpTime {
  readonly op: string;
  /** Input shapes, e.g. "64x14x14x32, 4x4x1x32". */
  readonly shapes: string;
  readonly calls: number;
  readonly ms: number;
}

export interface StepProfile {
  /** Wall time of the profiled step. */
  readonly stepMs: number;
  /** Sum of kernel times; the rest is JavaScript outside kernels (tape, optimizer bookkeeping). */
  readonly kernelMs: number;
  /** Every distinct kernel and input shapes, longest first. */
  readonly ops: readonly OpTime[];
}

export async function profileStep(step: () => Promise<unknown>): Promise<StepProfile> {
  const t0 = performance.now();
  const info = await tf.profile(async () => {
    await step();
    return [];
  });
  const stepMs = performance.now() - t0;
  const groups = new Map<string, { op: string; shapes: string; calls: number; ms: number }>();
  let kernelMs = 0;
  for (const kernel of info.kernels) {
    // tf.profile also records composite ops (fusedConv2d__op ...) around the kernels they run.
    if (kernel.name.endsWith('__op')) continue;
    const ms = typeof kernel.kernelTimeMs === 'number' ? kernel.kernelTimeMs : 0;
    const shapes = kernel.inputShapes.map((s) => (s?.length ? s.join('x') : 'scalar')).join(', ');
    const key = `${kernel.name}|${shapes}`;
    const group = groups.get(key) ?? { op: kernel.name, shapes, calls: 0, ms: 0 };
    group.calls++;
    group.ms += ms;
    groups.set(key, group);
    kernelMs += ms;
  }
  return { stepMs, kernelMs, ops: [...groups.values()].sort((a, b) => b.ms - a.ms) };
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
