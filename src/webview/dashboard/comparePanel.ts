// Runs list (tick to compare, click to focus) and, for the ticked runs, the settings that differ
// and their final metrics.
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-table/index.js';
import '@vscode-elements/elements/dist/vscode-table-body/index.js';
import '@vscode-elements/elements/dist/vscode-table-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-header/index.js';
import '@vscode-elements/elements/dist/vscode-table-header-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-row/index.js';
import { el } from '../dom';
import { formatCount, formatMetric } from '../../protocol/format';
import { axisKeys } from './metricGroups';
import { groupByMeaning } from './metricMeaning';
import type { RunData } from './runStore';
import { differingSettings, settingText } from './settingsDiff';

export interface CompareActions {
  setSelected(runIds: string[]): void;
  focus(runId: string): void;
}

export interface CompareModel {
  readonly runs: readonly RunData[];
  readonly selected: readonly RunData[];
  readonly focused: RunData | undefined;
  readonly colorOf: (run: RunData) => string;
  readonly labelOf: (run: RunData) => string;
}

type Cell = string | Node;

export class ComparePanel {
  readonly element: HTMLElement;
  private readonly runsHolder = el('div', { className: 'runs-table' });
  private readonly settingsHolder = el('div', { className: 'settings-table' });
  private readonly metricsHolder = el('div', { className: 'final-metrics-table' });
  private readonly metricsTitle = el('h2', { text: 'Metrics' });
  private lastSignature = '';

  constructor(private readonly actions: CompareActions) {
    this.element = el('section', { className: 'compare', attrs: { 'aria-label': 'Runs' } }, [
      el('div', { className: 'compare-block runs-block' }, [el('h2', { text: 'Runs' }), this.runsHolder]),
      el('div', { className: 'compare-block compare-only' }, [
        el('h2', { text: 'Differing settings' }),
        this.settingsHolder,
      ]),
      el('div', { className: 'compare-block compare-only' }, [this.metricsTitle, this.metricsHolder]),
    ]);
  }

  /** Forces the next render to rebuild the tables (e.g. to undo a checkbox change that was refused). */
  invalidate(): void {
    this.lastSignature = '';
  }

  render(model: CompareModel): void {
    const comparing = model.selected.length > 1;
    const signature = JSON.stringify([
      model.runs.map((r) => [r.id, r.summary.status, r.summary.step, r.rowCount]),
      model.selected.map((r) => r.id),
      model.focused?.id,
    ]);
    if (signature === this.lastSignature) return;
    this.lastSignature = signature;
    this.element.hidden = model.runs.length < 2;
    this.runsHolder.replaceChildren(this.runsTable(model));
    for (const block of this.element.querySelectorAll<HTMLElement>('.compare-only'))
      block.hidden = !comparing;
    if (!comparing) return;
    this.settingsHolder.replaceChildren(this.settingsTable(model));
    this.metricsHolder.replaceChildren(this.finalMetricsTable(model));
  }

  private runsTable(model: CompareModel): HTMLElement {
    const rows = model.runs.map((run) => {
      const box = el('vscode-checkbox', { attrs: { 'aria-label': `Compare ${model.labelOf(run)}` } });
      box.checked = model.selected.includes(run);
      box.addEventListener('change', () => {
        const ids = model.runs
          .filter((r) => (r === run ? box.checked : model.selected.includes(r)))
          .map((r) => r.id);
        this.actions.setSelected(ids);
      });
      const name = el('button', {
        className: 'run-link',
        text: model.labelOf(run),
        attrs: { type: 'button', title: `${run.id}: show in the header and sample grid` },
      });
      name.setAttribute('aria-pressed', String(model.focused === run));
      name.addEventListener('click', () => this.actions.focus(run.id));
      return [
        box,
        el('span', { className: 'run-name' }, [runSwatch(model.colorOf(run)), name]),
        run.summary.family,
        run.summary.status,
        `${formatCount(run.summary.step)} / ${formatCount(run.summary.totalSteps)}`,
      ];
    });
    return table(['Compare', 'Run', 'Family', 'Status', 'Step'], rows, 'runs', [
      '84px',
      '34%',
      '14%',
      '20%',
      '22%',
    ]);
  }

  private settingsTable(model: CompareModel): HTMLElement {
    const keys = differingSettings(model.selected.map((run) => run.summary));
    if (keys.length === 0)
      return el('p', { className: 'empty', text: 'The compared runs have the same settings.' });
    const rows = keys.map((key) => [
      key,
      ...model.selected.map((run) => settingText(run.summary.settings[key])),
    ]);
    return table(
      ['Setting', ...model.selected.map((r) => runLabel(r, model))],
      rows,
      'settings',
      firstColumnWide(model),
    );
  }

  /** Every run's metrics at the last step all of them reached: a run 8× longer is not "better". */
  private finalMetricsTable(model: CompareModel): HTMLElement {
    const common = commonStep(model.selected);
    const ends = model.selected.filter((r) => r.rowCount > 0).map((r) => r.lastStep());
    const same = ends.every((s) => s === common);
    this.metricsTitle.textContent = same
      ? `Metrics at step ${formatCount(common)}`
      : `Metrics at step ${formatCount(common)}, the last all compared runs reached`;
    const metrics = [...new Set(model.selected.flatMap((r) => r.metricNames()))]
      .filter((m) => !axisKeys.has(m))
      .sort();
    // A metric whose values mean different things in different runs (probabilities and raw
    // critic scores, losses of different kinds) gets a row per meaning, labelled with it.
    const rows = metrics.flatMap((metric) => {
      const groups = groupByMeaning(model.selected, metric);
      return groups.map(({ meaning, runs }) => [
        groups.length > 1 ? metricLabel(metric, meaning) : metric,
        ...model.selected.map((run) => {
          if (!runs.includes(run)) return '—';
          const at = run.valueAt(metric, common);
          // Evaluation metrics come every few thousand steps: say when none was measured by then.
          return Number.isFinite(at) ? formatMetric(at) : '— (later)';
        }),
      ]);
    });
    return table(
      ['Metric', ...model.selected.map((r) => runLabel(r, model))],
      rows,
      'final-metrics',
      firstColumnWide(model),
    );
  }
}

/** The last step every run with metrics has reached (a run with none yet does not hold it at 0). */
export function commonStep(runs: readonly RunData[]): number {
  const ends = runs.filter((r) => r.rowCount > 0).map((r) => r.lastStep());
  return ends.length ? Math.min(...ends) : 0;
}

function firstColumnWide(model: CompareModel): string[] {
  const rest = `${Math.floor(64 / model.selected.length)}%`;
  return ['36%', ...model.selected.map(() => rest)];
}

function runLabel(run: RunData, model: CompareModel): HTMLElement {
  return el('span', { className: 'run-name', attrs: { title: run.id } }, [
    runSwatch(model.colorOf(run)),
    model.labelOf(run),
  ]);
}

/** A metric's row label when its runs' values mean different things: "d_real · probability". */
function metricLabel(metric: string, meaning: string): HTMLElement {
  const text = meaning || 'kind not recorded';
  return el(
    'span',
    { className: 'metric-meaning', attrs: { 'data-meaning': meaning, title: `${metric} · ${text}` } },
    [
      metric,
      // On a line of its own (the separator is for the text read out and copied).
      el('span', { className: 'meaning-separator', text: ' · ' }),
      el('span', { className: 'meaning', text }),
    ],
  );
}

function runSwatch(color: string): HTMLElement {
  const swatch = el('span', { className: 'swatch', attrs: { 'aria-hidden': 'true' } });
  swatch.style.background = color;
  return swatch;
}

function table(
  headers: readonly Cell[],
  rows: readonly (readonly Cell[])[],
  name: string,
  columns: readonly string[] = [],
): HTMLElement {
  const header = el('vscode-table-header', { attrs: { slot: 'header' } }, [
    ...headers.map((h) => el('vscode-table-header-cell', {}, [h])),
  ]);
  const body = el('vscode-table-body', { attrs: { slot: 'body' } }, [
    ...rows.map((row) =>
      el('vscode-table-row', {}, [...row.map((cell) => el('vscode-table-cell', {}, [cell]))]),
    ),
  ]);
  const result = el('vscode-table', { attrs: { 'data-table': name, 'bordered-rows': '', zebra: '' } }, [
    header,
    body,
  ]);
  if (columns.length > 0) result.columns = [...columns];
  return result;
}
