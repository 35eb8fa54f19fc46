// Chart controls: x axis (step / wall time), smoothing, log scale and, comparing runs, the x range
// they all cover.
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import { el } from '../dom';
import type { XAxis } from './runStore';

export interface ToolbarValues {
  readonly smoothing: number;
  readonly xAxis: XAxis;
  readonly logScale: boolean;
  readonly alignX: boolean;
}

export class ChartToolbar {
  readonly element: HTMLElement;
  private readonly xAxis = el('vscode-single-select', { attrs: { id: 'x-axis', 'aria-label': 'X axis' } });
  private readonly smoothing = el('input', {
    attrs: { id: 'smoothing', type: 'range', min: '0', max: '0.99', step: '0.01', 'aria-label': 'Smoothing' },
  });
  private readonly smoothingValue = el('output', {
    className: 'smoothing-value',
    attrs: { for: 'smoothing' },
  });
  private readonly logScale = el('vscode-checkbox', { attrs: { id: 'log-scale' } });
  private readonly alignX = el('vscode-checkbox', {
    attrs: { id: 'align-x', title: 'Show only the steps every compared run has reached' },
  });
  private readonly alignControl = el('div', { className: 'control' }, [this.alignX]);

  constructor(initial: ToolbarValues, onChange: (values: ToolbarValues) => void) {
    const step = el('vscode-option', { text: 'Step', attrs: { value: 'step' } });
    const time = el('vscode-option', { text: 'Wall time', attrs: { value: 'time' } });
    this.xAxis.append(step, time);
    this.xAxis.value = initial.xAxis;
    this.smoothing.value = String(initial.smoothing);
    this.smoothingValue.textContent = initial.smoothing.toFixed(2);
    this.logScale.label = 'Log scale';
    this.logScale.checked = initial.logScale;
    this.alignX.label = 'Align x range';
    this.alignX.checked = initial.alignX;
    this.alignControl.hidden = true;

    const emit = () => onChange(this.values());
    this.xAxis.addEventListener('change', emit);
    this.logScale.addEventListener('change', emit);
    this.alignX.addEventListener('change', emit);
    this.smoothing.addEventListener('input', () => {
      this.smoothingValue.textContent = Number(this.smoothing.value).toFixed(2);
      emit();
    });

    this.element = el(
      'div',
      { className: 'chart-toolbar', attrs: { role: 'toolbar', 'aria-label': 'Chart options' } },
      [
        el('label', { className: 'control', attrs: { for: 'x-axis' } }, ['X axis', this.xAxis]),
        el('label', { className: 'control smoothing', attrs: { for: 'smoothing' } }, [
          'Smoothing',
          this.smoothing,
          this.smoothingValue,
        ]),
        el('div', { className: 'control' }, [this.logScale]),
        this.alignControl,
        el('span', { className: 'hint', text: 'Drag to zoom · double-click to reset' }),
      ],
    );
  }

  values(): ToolbarValues {
    return {
      smoothing: Number(this.smoothing.value),
      xAxis: this.xAxis.value === 'time' ? 'time' : 'step',
      logScale: this.logScale.checked,
      alignX: this.alignX.checked,
    };
  }

  /** The x-range toggle only means something while runs are compared. */
  setComparing(comparing: boolean): void {
    this.alignControl.hidden = !comparing;
  }
}
