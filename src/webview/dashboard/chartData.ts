// Builds the (downsampled) arrays one chart draws: a shared x column, then one raw and one smoothed
// column per line. Lines of different runs have different x values; they are merged on the union.
import type uPlot from 'uplot';
import { selectDrawIndices } from './downsample';
import type { RunData, XAxis } from './runStore';
import type { SmoothingCache } from './smoothingCache';

export interface LineSource {
  readonly run: RunData;
  readonly metric: string;
}

export interface DrawRequest {
  readonly lines: readonly LineSource[];
  readonly xAxis: XAxis;
  readonly smoothing: SmoothingCache;
  /** Visible x range, or null for everything. */
  readonly range: readonly [number, number] | null;
  /** Plot width in CSS pixels: the number of buckets. */
  readonly buckets: number;
}

type Column = (number | null)[];

/** [x, raw_0..raw_k-1, smoothed_0..smoothed_k-1] for uPlot's setData. */
export function buildChartData(request: DrawRequest): uPlot.AlignedData {
  const { lines, xAxis, smoothing, range, buckets } = request;
  const runs = [...new Set(lines.map((l) => l.run))];
  const picks = runs.map((run) => {
    const xs = run.xValues(xAxis);
    const own = lines.filter((l) => l.run === run);
    const raw = own.map((l) => ({ values: run.values(l.metric), blocks: run.blockExtremes(l.metric) }));
    const smoothed = own.map((l) => ({
      values: smoothing.smoothed(run, l.metric),
      blocks: smoothing.blockExtremes(run, l.metric),
    }));
    const [xMin, xMax] = range ?? [xs[0], xs[xs.length - 1]];
    const extremesOf = smoothing.getWeight() > 0 ? [...raw, ...smoothed] : raw;
    return { run, xs, indices: selectDrawIndices(xs, extremesOf, xMin, xMax, buckets) };
  });

  const x = unionOfX(picks.map((p) => ({ xs: p.xs, indices: p.indices })));
  const rawColumns: Column[] = lines.map(() => new Array<number | null>(x.length).fill(null));
  const smoothColumns: Column[] = lines.map(() => new Array<number | null>(x.length).fill(null));
  for (const pick of picks) {
    const slots =
      picks.length === 1 ? identitySlots(pick.indices.length) : slotsInUnion(x, pick.xs, pick.indices);
    lines.forEach((line, li) => {
      if (line.run !== pick.run) return;
      const raw = pick.run.values(line.metric);
      const smooth = smoothing.smoothed(pick.run, line.metric);
      for (let k = 0; k < pick.indices.length; k++) {
        const i = pick.indices[k];
        rawColumns[li][slots[k]] = finiteOrNull(raw[i]);
        smoothColumns[li][slots[k]] = finiteOrNull(smooth[i]);
      }
    });
  }
  return [x, ...rawColumns, ...smoothColumns];
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function unionOfX(picks: readonly { xs: Float64Array; indices: Uint32Array }[]): number[] {
  if (picks.length === 1) return Array.from(picks[0].indices, (i) => picks[0].xs[i]);
  let total = 0;
  for (const p of picks) total += p.indices.length;
  const all = new Float64Array(total);
  let w = 0;
  for (const p of picks) for (const i of p.indices) all[w++] = p.xs[i];
  all.sort();
  const out: number[] = [];
  for (let k = 0; k < all.length; k++) if (k === 0 || all[k] !== all[k - 1]) out.push(all[k]);
  return out;
}

/** Position in the union of each picked point (both ascending, so one forward walk). */
function slotsInUnion(union: readonly number[], xs: Float64Array, indices: Uint32Array): Uint32Array {
  const slots = new Uint32Array(indices.length);
  let p = 0;
  for (let k = 0; k < indices.length; k++) {
    const x = xs[indices[k]];
    while (p < union.length - 1 && union[p] < x) p++;
    slots[k] = p;
  }
  return slots;
}

function identitySlots(length: number): Uint32Array {
  const slots = new Uint32Array(length);
  for (let k = 0; k < length; k++) slots[k] = k;
  return slots;
}
