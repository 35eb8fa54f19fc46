// The dashboard controller: applies host messages to the run store and redraws, at most once per
// animation frame, whatever they touched.
import { stageMarkers } from './stageMarkers';
import type { HostToWebviewMessage } from '../../protocol/webview';
import { el } from '../dom';
import type { WebviewHost } from '../vscodeApi';
import { ChartsPanel, chartSpecs } from './chartsPanel';
import { ComparePanel } from './comparePanel';
import { RunHeader } from './header';
import { QualityPanel } from './qualityPanel';
import { runLabels } from './runLabels';
import { type RunData, RunStore, type XAxis } from './runStore';
import { SamplesPanel } from './samplesPanel';
import { SmoothingCache } from './smoothingCache';
import { type ChartTheme, readChartTheme } from './theme';
import { ChartToolbar, type ToolbarValues } from './toolbar';
import { type DashboardViewState, restoreViewState } from './viewState';

/** The x range every run covers: from the latest first point to the earliest last one. */
export function commonRange(runs: readonly RunData[], axis: XAxis): [number, number] | null {
  const spans = runs
    .map((run) => run.xValues(axis))
    .filter((xs) => xs.length > 0)
    .map((xs) => [xs[0], xs[xs.length - 1]] as const);
  if (spans.length < 2) return null;
  const from = Math.max(...spans.map((s) => s[0]));
  const to = Math.min(...spans.map((s) => s[1]));
  return to > from ? [from, to] : null;
}

export class DashboardApp {
  private readonly store = new RunStore();
  private readonly smoothing = new SmoothingCache();
  private state: DashboardViewState;
  private theme: ChartTheme;
  private frame = 0;
  private labels = new Map<string, string>();
  private readonly header: RunHeader;
  private readonly toolbar: ChartToolbar;
  private readonly charts = new ChartsPanel();
  private readonly samples: SamplesPanel;
  private readonly compare: ComparePanel;
  private readonly quality = new QualityPanel((step) => this.showSamplesFrom(step));

  constructor(
    root: HTMLElement,
    private readonly host: WebviewHost<DashboardViewState>,
  ) {
    this.state = restoreViewState(host.loadState());
    this.smoothing.setWeight(this.state.smoothing);
    this.theme = readChartTheme();
    this.header = new RunHeader({
      stop: (runId) => host.post({ type: 'stop', runId }),
      openPreview: (runId) => host.post({ type: 'openPreview', runId }),
    });
    this.toolbar = new ChartToolbar(this.state, (values) => this.onToolbar(values));
    this.samples = new SamplesPanel((step) => this.onSamplePicked(step));
    this.compare = new ComparePanel({
      setSelected: (ids) => this.setSelection(ids, this.state.focusedRunId),
      focus: (id) => {
        const selected = this.selectedRuns().map((r) => r.id);
        this.setSelection(selected.includes(id) ? selected : [...selected, id], id);
      },
    });
    root.replaceChildren(
      el('div', { className: 'dashboard' }, [
        this.header.element,
        this.toolbar.element,
        this.compare.element,
        el('div', { className: 'dashboard-body' }, [
          this.charts.element,
          el('aside', { className: 'side' }, [this.samples.element, this.quality.element]),
        ]),
      ]),
    );
    // VS Code swaps the body class and CSS variables when the colour theme changes.
    const themeObserver = new MutationObserver(() => {
      const theme = readChartTheme();
      if (JSON.stringify(theme) === JSON.stringify(this.theme)) return;
      this.theme = theme;
      this.schedule();
    });
    themeObserver.observe(document.body, { attributes: true, attributeFilter: ['class', 'style'] });
    themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
    this.schedule();
  }

  handle(message: HostToWebviewMessage): void {
    switch (message.type) {
      case 'init':
        this.store.reset(message.runs);
        this.labels = runLabels(message.runs);
        this.smoothing.clear();
        break;
      case 'metrics':
        this.store.appendMetrics(message);
        break;
      case 'samples':
        this.store.get(message.runId)?.addGrids(message.grids);
        break;
      case 'status':
        this.store.get(message.runId)?.applyStatus(message);
        break;
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private selectedRuns(): RunData[] {
    const runs = this.store.all();
    const picked = runs.filter((r) => this.state.selectedRunIds.includes(r.id));
    return picked.length > 0 ? picked : runs;
  }

  /** The run in the header and sample grid: the one the user picked, if it is still ticked. */
  private focusedRun(selected: readonly RunData[]): RunData | undefined {
    const focused = this.state.focusedRunId ? this.store.get(this.state.focusedRunId) : undefined;
    if (focused && selected.includes(focused)) return focused;
    return selected[0] ?? this.store.all()[0];
  }

  private colorOf = (run: RunData): string => {
    const index = this.store.all().indexOf(run);
    return this.theme.palette[Math.max(0, index) % this.theme.palette.length];
  };

  private labelOf = (run: RunData): string => this.labels.get(run.id) ?? run.id;

  private render(): void {
    const started = performance.now();
    const selected = this.selectedRuns();
    const focused = this.focusedRun(selected);
    this.header.render(focused);
    const comparing = selected.length > 1;
    this.toolbar.setComparing(comparing);
    const view = {
      xAxis: this.state.xAxis,
      logScale: this.state.logScale,
      smoothing: this.smoothing,
      theme: this.theme,
      xLimit: comparing && this.state.alignX ? commonRange(selected, this.state.xAxis) : null,
      markers: stageMarkers(comparing ? selected : focused ? [focused] : [], this.state.xAxis),
    };
    const chartRuns = comparing ? selected : focused ? [focused] : [];
    this.charts.render(chartSpecs(chartRuns, this.theme.palette, this.colorOf, this.labelOf), view);
    this.samples.render(focused, focused ? (this.state.sampleStep[focused.id] ?? null) : null);
    this.samples.renderCompared(
      comparing
        ? selected
            .filter((run) => run !== focused)
            .map((run) => ({ run, label: this.labelOf(run), color: this.colorOf(run) }))
        : [],
    );
    this.quality.render(focused);
    this.compare.render({
      runs: this.store.all(),
      selected,
      focused,
      colorOf: this.colorOf,
      labelOf: this.labelOf,
    });
    // Visible in the webview's developer tools (Performance panel) and read by the browser tests.
    performance.measure('gan-dashboard:render', { start: started });
  }

  private update(patch: Partial<DashboardViewState>): void {
    this.state = { ...this.state, ...patch };
    this.host.saveState(this.state);
    this.schedule();
  }

  private onToolbar(values: ToolbarValues): void {
    this.smoothing.setWeight(values.smoothing);
    this.update(values);
  }

  private onSamplePicked(step: number | null): void {
    const focused = this.focusedRun(this.selectedRuns());
    if (!focused) return;
    const sampleStep = { ...this.state.sampleStep };
    if (step === null) delete sampleStep[focused.id];
    else sampleStep[focused.id] = step;
    this.update({ sampleStep });
  }

  /** The first sample grid at or after a step (a mode-collapse warning's link). */
  private showSamplesFrom(step: number): void {
    const focused = this.focusedRun(this.selectedRuns());
    const grid = focused?.sampleGrids().find((g) => g.step >= step);
    if (grid) this.onSamplePicked(grid.step);
  }

  private setSelection(selectedRunIds: readonly string[], focusedRunId: string | null): void {
    if (selectedRunIds.length === 0) {
      // At least one run stays ticked: redraw to re-tick the box the user cleared.
      this.compare.invalidate();
      this.schedule();
      return;
    }
    this.update({ selectedRunIds, focusedRunId });
    const selected = this.selectedRuns();
    const focused = this.focusedRun(selected);
    const ids = selected.map((r) => r.id).filter((id) => id !== focused?.id);
    this.host.post({ type: 'selectRuns', runIds: focused ? [focused.id, ...ids] : ids });
  }
}
