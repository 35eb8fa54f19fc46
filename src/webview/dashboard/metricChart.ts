// One uPlot chart: a title, the plot and its legend. Data updates go through setData on the existing
// plot; the plot is only rebuilt when its series or view options change.
import uPlot from 'uplot';
import { logRange, logTickFilter, STEP_INCREMENTS, yTickLabels } from './axisTicks';
import { buildChartData, type LineSource } from './chartData';
import { formatAxisTime, formatCount, formatMetric } from '../../protocol/format';
import type { XAxis } from './runStore';
import type { SmoothingCache } from './smoothingCache';
import { type ChartTheme, withAlpha } from './theme';

export interface ChartLine extends LineSource {
  readonly label: string;
  readonly color: string;
}

export interface ChartViewOptions {
  readonly xAxis: XAxis;
  readonly logScale: boolean;
  readonly smoothing: SmoothingCache;
  readonly theme: ChartTheme;
  /** An x range every chart shows unless the user zoomed (comparing runs: the range all cover). */
  readonly xLimit: readonly [number, number] | null;
  /** x positions of stage boundaries (progan: a new resolution), drawn as vertical lines. */
  readonly markers?: readonly number[];
}

const plotHeight = 200;
const CURSOR_SYNC_KEY = 'gan-dashboard';
const TICK_GAP = 8;

/** Axis width for its tick labels, measured in the axis font (uPlot's fixed default clips long ones). */
function fitTickLabels(u: uPlot, values: string[] | null, axisIdx: number, cycleNum: number): number {
  const axis = u.axes[axisIdx] as uPlot.Axis & { _size?: number };
  // Later layout passes keep the first measure, so the plot does not jitter.
  if (cycleNum > 1 && axis._size) return axis._size;
  const ticks = (axis.ticks as { size?: number } | undefined)?.size ?? 10;
  let widest = 0;
  if (values?.length) {
    const font = Array.isArray(axis.font) ? String(axis.font[0]) : String(axis.font ?? '');
    u.ctx.save();
    u.ctx.font = font;
    for (const v of values) widest = Math.max(widest, u.ctx.measureText(v).width);
    u.ctx.restore();
  }
  const label = axis.label ? (axis.labelSize ?? 18) : 0;
  return Math.ceil(ticks + TICK_GAP + widest / (window.devicePixelRatio || 1) + label);
}

export class MetricChart {
  readonly element: HTMLElement;
  private readonly plotHolder: HTMLElement;
  private plot: uPlot | null = null;
  private zoom: [number, number] | null = null;
  private applyingData = false;
  /** Index into the drawn points of the keyboard read-out, or null when the keyboard is not driving it. */
  private keyboardIndex: number | null = null;
  private readonly resizeObserver: ResizeObserver;
  private readonly readout = Object.assign(document.createElement('div'), {
    className: 'cursor-readout',
    hidden: true,
  });

  constructor(
    readonly id: string,
    title: string,
    private lines: readonly ChartLine[],
    private view: ChartViewOptions,
    private readonly yLabel?: string,
  ) {
    this.element = document.createElement('section');
    this.element.className = 'chart';
    this.element.dataset.chart = id;
    const heading = document.createElement('h3');
    heading.className = 'chart-title';
    heading.textContent = title;
    this.plotHolder = document.createElement('div');
    this.plotHolder.className = 'chart-plot';
    this.element.append(heading, this.plotHolder);
    // Keyboard: the read-out moves point by point, Escape resets the zoom.
    this.plotHolder.tabIndex = 0;
    this.plotHolder.setAttribute('role', 'group');
    this.plotHolder.setAttribute(
      'aria-label',
      `${title} chart: arrow keys move the read-out (Shift: faster), Home and End jump, Escape resets zoom`,
    );
    this.plotHolder.addEventListener('keydown', (event) => this.onKey(event));
    this.plotHolder.addEventListener('blur', () => {
      this.keyboardIndex = null;
      this.plot?.setCursor({ left: -10, top: -10 });
    });
    this.resizeObserver = new ResizeObserver(() => this.fitWidth());
    this.resizeObserver.observe(this.plotHolder);
  }

  /** Same lines (by run, metric and colour)? Then the plot can be kept and just fed new data. */
  hasLines(lines: readonly ChartLine[]): boolean {
    return (
      lines.length === this.lines.length &&
      lines.every((l, i) => {
        const own = this.lines[i];
        return own.run === l.run && own.metric === l.metric && own.color === l.color && own.label === l.label;
      })
    );
  }

  setView(view: ChartViewOptions): void {
    const rebuild =
      view.xAxis !== this.view.xAxis ||
      view.logScale !== this.view.logScale ||
      view.theme !== this.view.theme;
    const smoothingChanged = view.smoothing.getWeight() !== this.view.smoothing.getWeight();
    if (view.xAxis !== this.view.xAxis) this.zoom = null;
    this.view = view;
    if (rebuild) this.destroyPlot();
    if (smoothingChanged) this.syncRawVisibility();
  }

  /** Recomputes the drawn points from the runs' columns and hands them to uPlot. */
  update(): void {
    if (!this.element.isConnected) return;
    if (!this.plot) this.createPlot();
    const data = this.currentData();
    // A true log scale cannot show a value <= 0 that arrived later: rebuild, which picks symlog.
    if (
      this.plot?.scales.y.distr === 3 &&
      data.slice(1).some((column) => column.some((v) => v !== null && v !== undefined && v <= 0))
    ) {
      this.destroyPlot();
      this.createPlot();
    }
    const plot = this.plot;
    if (!plot) return;
    const zoom = this.range();
    this.applyingData = true;
    try {
      plot.batch(() => {
        plot.setData(data, true);
        if (zoom) plot.setScale('x', { min: zoom[0], max: zoom[1] });
      });
    } finally {
      this.applyingData = false;
    }
    this.element.dataset.rows = String(this.lines.reduce((n, l) => Math.max(n, l.run.rowCount), 0));
    this.element.dataset.drawn = String(data[0].length);
    this.element.dataset.lines = String(this.lines.length);
    this.element.dataset.xAxis = this.view.xAxis;
    // The axes are drawn on the canvas; their labels and measured width are read from here.
    this.element.dataset.axisLabels = JSON.stringify(plot.axes.map((a) => a.label ?? ''));
    this.element.dataset.yAxisWidth = String((plot.axes[1] as { _size?: number })._size ?? '');
    this.element.dataset.xRange = `${plot.scales.x.min ?? ''}:${plot.scales.x.max ?? ''}`;
    this.element.dataset.zoomed = String(this.zoom !== null);
    this.element.dataset.yScale = !this.view.logScale
      ? 'linear'
      : plot.scales.y.distr === 3
        ? 'log'
        : 'symlog';
  }

  /** The user's zoom, else the shared limit. */
  private range(): [number, number] | null {
    if (this.zoom) return this.zoom;
    return this.view.xLimit ? [this.view.xLimit[0], this.view.xLimit[1]] : null;
  }

  resetZoom(): void {
    this.zoom = null;
    this.update();
  }

  destroy(): void {
    this.resizeObserver.disconnect();
    this.destroyPlot();
    this.element.remove();
  }

  private onKey(event: KeyboardEvent): void {
    const plot = this.plot;
    if (!plot) return;
    const count = plot.data[0].length;
    if (event.key === 'Escape') {
      if (this.zoom) this.resetZoom();
      return;
    }
    if (count === 0) return;
    const stride = event.shiftKey ? Math.max(1, Math.round(count / 20)) : 1;
    const current = this.keyboardIndex ?? count - 1;
    const next =
      event.key === 'ArrowLeft'
        ? current - stride
        : event.key === 'ArrowRight'
          ? current + stride
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? count - 1
              : null;
    if (next === null) return;
    event.preventDefault();
    this.keyboardIndex = Math.min(count - 1, Math.max(0, next));
    const x = plot.data[0][this.keyboardIndex];
    plot.setCursor({ left: plot.valToPos(x, 'x'), top: plot.over.clientHeight / 2 });
  }

  private currentData(): uPlot.AlignedData {
    return buildChartData({
      lines: this.lines,
      xAxis: this.view.xAxis,
      smoothing: this.view.smoothing,
      range: this.range(),
      buckets: this.plotWidth(),
    });
  }

  private plotWidth(): number {
    return Math.max(200, Math.floor(this.plotHolder.clientWidth || 400));
  }

  private fitWidth(): void {
    if (!this.plot) return;
    const width = this.plotWidth();
    if (Math.abs(width - this.plot.width) < 2) return;
    this.applyingData = true;
    try {
      this.plot.setSize({ width, height: plotHeight });
    } finally {
      this.applyingData = false;
    }
    this.update();
  }

  private destroyPlot(): void {
    this.plot?.destroy();
    this.plot = null;
  }

  private createPlot(): void {
    this.applyingData = true;
    try {
      this.plot = this.newPlot();
    } finally {
      this.applyingData = false;
    }
  }

  private newPlot(): uPlot {
    const { theme, xAxis, logScale } = this.view;
    const k = this.lines.length;
    const smoothingOn = this.view.smoothing.getWeight() > 0;
    const axisStyle = {
      stroke: theme.foreground,
      font: theme.font,
      grid: { stroke: theme.grid, width: 1 },
      ticks: { stroke: theme.grid, width: 1 },
    };
    const rawSeries: uPlot.Series[] = this.lines.map((line) => ({
      label: `${line.label} (raw)`,
      class: 'raw-series',
      stroke: withAlpha(line.color, theme.highContrast ? 0.5 : 0.28),
      width: 1,
      spanGaps: true,
      points: { show: false },
      show: smoothingOn,
    }));
    const smoothSeries: uPlot.Series[] = this.lines.map((line, i) => ({
      label: line.label,
      stroke: line.color,
      width: theme.highContrast ? 2.5 : 1.75,
      spanGaps: true,
      points: { show: false },
      value: (u: uPlot, value: number | null, _s: number, idx: number | null) =>
        this.legendValue(u, value, i, idx),
    }));
    const options: uPlot.Options = {
      width: this.plotWidth(),
      height: plotHeight,
      class: 'metric-plot',
      scales: {
        x: { time: false },
        y: logScale ? this.logScaleOptions() : {},
      },
      axes: [
        {
          ...axisStyle,
          label: xAxis === 'time' ? 'wall time' : 'step',
          labelSize: 18,
          labelFont: theme.font,
          // Steps are whole numbers: no tick between two of them (two labels reading alike).
          ...(xAxis === 'step' ? { incrs: [...STEP_INCREMENTS] } : {}),
          values: (_u, splits) => splits.map((v) => (xAxis === 'time' ? formatAxisTime(v) : formatCount(v))),
        },
        {
          ...axisStyle,
          ...(this.yLabel ? { label: this.yLabel, labelSize: 18, labelFont: theme.font } : {}),
          // As wide as the widest tick label, so none is clipped ("1.2e+9", not "2e+9").
          size: fitTickLabels,
          // A log or symlog axis labels its decades only; the ticks between stay unlabelled.
          ...(logScale ? { filter: logTickFilter } : {}),
          values: (_u, splits) => yTickLabels(splits),
        },
      ],
      series: [
        {
          label: xAxis === 'step' ? 'Step' : 'Time',
          // Not hovering: the legend shows the latest point.
          value: (u, v) => {
            const x = v ?? (u.data[0].length > 0 ? u.data[0][u.data[0].length - 1] : null);
            return x === null || x === undefined
              ? '–'
              : xAxis === 'time'
                ? formatAxisTime(x)
                : formatCount(x);
          },
        },
        ...rawSeries,
        ...smoothSeries,
      ],
      cursor: {
        // One crosshair across every chart of the dashboard: hover a step, read it everywhere.
        sync: { key: CURSOR_SYNC_KEY, setSeries: false },
        drag: { x: true, y: false, setScale: true },
        points: { size: 7 },
        bind: {
          dblclick: () => () => {
            this.resetZoom();
            return null;
          },
        },
      },
      legend: { live: true },
      hooks: {
        setCursor: [(u) => this.placeReadout(u)],
        draw: [(u) => this.drawMarkers(u), (u) => this.recordAxes(u)],
        setScale: [
          (u, key) => {
            if (key !== 'x' || this.applyingData) return;
            const { min, max } = u.scales.x;
            if (min === undefined || max === undefined || min === null || max === null) return;
            this.zoom = [min, max];
            requestAnimationFrame(() => this.update());
          },
        ],
        setSeries: [
          (u, seriesIndex, opts) => {
            // Toggling a line in the legend also toggles its faint raw line.
            if (seriesIndex === null || seriesIndex <= k || opts.show === undefined) return;
            const rawIndex = seriesIndex - k;
            const wantRaw = opts.show && this.view.smoothing.getWeight() > 0;
            if (u.series[rawIndex].show !== wantRaw) u.setSeries(rawIndex, { show: wantRaw });
          },
        ],
      },
    };
    return new uPlot(options, this.currentData(), this.plotHolder);
  }

  /** Dashed vertical lines at the stage boundaries inside the x range. */
  private drawMarkers(u: uPlot): void {
    const markers = this.view.markers ?? [];
    this.element.dataset.markers = markers.join(',');
    if (!markers.length) return;
    const { ctx, bbox } = u;
    ctx.save();
    ctx.strokeStyle = withAlpha(this.view.theme.foreground, 0.45);
    ctx.lineWidth = Math.max(1, window.devicePixelRatio || 1);
    ctx.setLineDash([4 * (window.devicePixelRatio || 1), 4 * (window.devicePixelRatio || 1)]);
    for (const x of markers) {
      const left = u.valToPos(x, 'x', true);
      if (!(left >= bbox.left && left <= bbox.left + bbox.width)) continue;
      ctx.beginPath();
      ctx.moveTo(left, bbox.top);
      ctx.lineTo(left, bbox.top + bbox.height);
      ctx.stroke();
    }
    ctx.restore();
  }

  /** The tick labels and y range as drawn (on the canvas), readable from the page. */
  private recordAxes(u: uPlot): void {
    const labels = (i: number) => (u.axes[i] as { _values?: unknown[] | null })._values ?? [];
    this.element.dataset.xTicks = JSON.stringify(labels(0));
    this.element.dataset.yTicks = JSON.stringify(labels(1));
    this.element.dataset.yRange = `${u.scales.y.min ?? ''}:${u.scales.y.max ?? ''}`;
  }

  /** The values under the crosshair, next to it (the legend below repeats them for every line). */
  private placeReadout(u: uPlot): void {
    const readout = this.readout;
    const { left, top, idx } = u.cursor;
    if (idx === null || idx === undefined || left === undefined || left < 0 || top === undefined) {
      readout.hidden = true;
      return;
    }
    const x = u.data[0][idx];
    const k = this.lines.length;
    const rows = this.lines.map((line, i) => {
      const value = u.data[1 + k + i]?.[idx];
      return `${line.label}: ${value === null || value === undefined ? '–' : formatMetric(value)}`;
    });
    const at = this.view.xAxis === 'time' ? formatAxisTime(x) : `step ${formatCount(x)}`;
    readout.textContent = [at, ...rows].join('\n');
    if (readout.parentElement !== u.over) u.over.append(readout);
    readout.hidden = false;
    // Beside the cursor, flipped to its left near the right edge.
    const flip = left > u.over.clientWidth / 2;
    readout.style.left = flip ? '' : `${left + 12}px`;
    readout.style.right = flip ? `${u.over.clientWidth - left + 12}px` : '';
    readout.style.top = `${Math.max(0, Math.min(top, u.over.clientHeight - 40))}px`;
  }

  private logScaleOptions(): uPlot.Scale {
    let allPositive = true;
    for (const line of this.lines) {
      const values = line.run.values(line.metric);
      for (let i = 0; i < values.length && allPositive; i++) if (values[i] <= 0) allPositive = false;
    }
    // Losses can be negative (WGAN critics): fall back to a symmetric log (asinh) scale.
    return allPositive
      ? { distr: 3, log: 10, range: logRange }
      : { distr: 4, log: 10, asinh: 0.01, range: logRange };
  }

  private syncRawVisibility(): void {
    const plot = this.plot;
    if (!plot) return;
    const smoothingOn = this.view.smoothing.getWeight() > 0;
    const k = this.lines.length;
    plot.batch(() => {
      for (let i = 1; i <= k; i++) {
        const want = smoothingOn && plot.series[i + k].show !== false;
        if (plot.series[i].show !== want) plot.setSeries(i, { show: want });
      }
    });
  }

  /** Legend text: the smoothed value under the cursor (and the raw one), or the latest value. */
  private legendValue(u: uPlot, value: number | null, line: number, idx: number | null): string {
    const smoothingOn = this.view.smoothing.getWeight() > 0;
    const smoothIndex = 1 + this.lines.length + line;
    const rawIndex = 1 + line;
    let at = idx;
    if (at === null) at = lastNonNull(u.data[smoothIndex]);
    if (at === null) return '–';
    const smooth = idx === null ? u.data[smoothIndex][at] : value;
    // Not hovering, each line shows its own latest value: say its step when it is not the header's
    // (a shorter run in a comparison).
    const x = u.data[0];
    const ownStep =
      idx === null && at !== x.length - 1
        ? ` at ${this.view.xAxis === 'time' ? formatAxisTime(x[at]) : `step ${formatCount(x[at])}`}`
        : '';
    if (!smoothingOn) return `${formatMetric(smooth)}${ownStep}`;
    return `${formatMetric(smooth)} (raw ${formatMetric(u.data[rawIndex][at])})${ownStep}`;
  }
}

function lastNonNull(values: ArrayLike<number | null | undefined>): number | null {
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null && values[i] !== undefined) return i;
  return null;
}
