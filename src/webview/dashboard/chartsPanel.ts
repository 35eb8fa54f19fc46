// Lays out one chart per metric group (one run) or per metric (several runs overlaid), keeping
// existing uPlot instances whenever their lines are unchanged.
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import { el } from '../dom';
import { type ChartLine, type ChartViewOptions, MetricChart } from './metricChart';
import { groupMetrics } from './metricGroups';
import { groupByMeaning, meaningId } from './metricMeaning';
import { qualityTitle } from './qualityGroups';
import type { RunData } from './runStore';

export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly lines: readonly ChartLine[];
  /** The y axis label (what the values measure). */
  readonly yLabel?: string;
}

/** One run: a chart per group, a colour per metric. Several runs: a chart per metric, a colour per run. */
export function chartSpecs(
  runs: readonly RunData[],
  palette: readonly string[],
  colorOf: (run: RunData) => string,
  labelOf: (run: RunData) => string,
): ChartSpec[] {
  if (runs.length === 1) {
    const run = runs[0];
    return groupMetrics(run.metricNames()).map((group) => ({
      id: group.id,
      title: qualityTitle(group.id, group.title, featuresOf([run])),
      yLabel: unitOf(group.id, group.unit, run),
      lines: group.metrics.map((metric, i) => ({
        run,
        metric,
        label: metric,
        color: palette[i % palette.length],
      })),
    }));
  }
  const metrics = new Set(runs.flatMap((run) => run.metricNames()));
  return groupMetrics(metrics).flatMap((group) =>
    group.metrics.flatMap((metric) => {
      const title = qualityTitle(
        group.id,
        group.metrics.length > 1 || group.title !== metric ? `${metric} · ${group.title}` : metric,
        featuresOf(runs),
      );
      // Runs whose values mean different things (probabilities and raw critic scores, losses of
      // different kinds) never share an axis: one chart per meaning.
      const meanings = groupByMeaning(runs, metric);
      const split = meanings.length > 1;
      return meanings.map(({ meaning, runs: members }) => ({
        id: split ? `metric-${metric}-${meaningId(meaning)}` : `metric-${metric}`,
        title: split ? `${title} · ${meaning}` : title,
        yLabel: meaning || unitOf(group.id, group.unit, members[0]),
        lines: members.map((run) => ({ run, metric, label: labelOf(run), color: colorOf(run) })),
      }));
    }),
  );
}

/** The y label of a group; D's outputs say whether they are probabilities or raw critic scores. */
function unitOf(groupId: string, unit: string | undefined, run: RunData | undefined): string | undefined {
  if (groupId === 'd-outputs' && run)
    return run.summary.criticReadout === 'score' ? 'D(x), raw critic score' : 'D(x), probability';
  return unit;
}

/** The feature networks the runs' quality metrics were measured in (their eval.features setting). */
function featuresOf(runs: readonly RunData[]): string[] {
  return runs.flatMap((run) => {
    const features = run.summary.settings['eval.features'];
    return typeof features === 'string' ? [features] : [];
  });
}

export class ChartsPanel {
  readonly element: HTMLElement;
  private readonly grid = el('div', { className: 'chart-grid' });
  private readonly waiting = el('div', { className: 'empty waiting' }, [
    el('vscode-progress-ring', { attrs: { 'aria-label': 'Waiting for metrics' } }),
    el('span', { text: 'Waiting for the first metrics…' }),
  ]);
  private charts: MetricChart[] = [];

  constructor() {
    this.element = el('section', { className: 'charts', attrs: { 'aria-label': 'Metrics' } }, [
      this.waiting,
      this.grid,
    ]);
  }

  /** Reconciles the chart list with the specs, then redraws every chart from the current data. */
  render(specs: readonly ChartSpec[], view: ChartViewOptions): void {
    const kept = new Map(this.charts.map((c) => [c.id, c]));
    const next: MetricChart[] = [];
    for (const spec of specs) {
      const existing = kept.get(spec.id);
      if (existing && existing.hasLines(spec.lines)) {
        kept.delete(spec.id);
        existing.setView(view);
        next.push(existing);
      } else {
        next.push(new MetricChart(spec.id, spec.title, spec.lines, view, spec.yLabel));
      }
    }
    for (const stale of kept.values()) stale.destroy();
    this.charts = next;
    const order = next.map((c) => c.element);
    const current = [...this.grid.children];
    if (order.length !== current.length || order.some((e, i) => current[i] !== e))
      this.grid.replaceChildren(...order);
    this.waiting.hidden = next.length > 0;
    for (const chart of next) chart.update();
  }

  destroyAll(): void {
    for (const chart of this.charts) chart.destroy();
    this.charts = [];
  }
}
