// The focused run's sample quality beside its grid: the latest class histogram and, when the
// metrics show it, a mode-collapse warning whose link moves the sample slider to the step it began.
import { el } from '../dom';
import { latestHistogram, modeCollapse } from './quality';
import type { RunData } from './runStore';

function bar(fraction: number): HTMLElement {
  const element = el('span', { className: 'histogram-bar' });
  element.style.width = `${(fraction * 100).toFixed(1)}%`;
  return element;
}

export class QualityPanel {
  readonly element: HTMLElement;
  private readonly warning = el('div', { className: 'collapse-warning', attrs: { role: 'alert' } });
  private readonly histogram = el('div', { className: 'class-histogram' });
  private readonly caption = el('p', { className: 'histogram-caption' });
  private lastKey = '';

  constructor(private readonly showStep: (step: number) => void) {
    this.element = el('section', { className: 'quality', attrs: { 'aria-label': 'Sample quality' } }, [
      el('h2', { text: 'Quality' }),
      this.warning,
      this.caption,
      this.histogram,
    ]);
  }

  render(run: RunData | undefined): void {
    const series = run
      ? {
          steps: run.steps.view(),
          values: (m: string) => run.values(m),
          metricNames: () => run.metricNames(),
        }
      : null;
    const histogram = series ? latestHistogram(series) : null;
    const collapse = series ? modeCollapse(series) : null;
    const key = JSON.stringify([run?.id, histogram, collapse]);
    if (key === this.lastKey) return;
    this.lastKey = key;
    this.element.hidden = !histogram && !collapse;
    this.warning.hidden = !collapse;
    if (collapse) {
      const link = el('a', {
        text: `step ${collapse.step}`,
        attrs: { href: '#', 'data-step': String(collapse.step) },
      });
      link.addEventListener('click', (event) => {
        event.preventDefault();
        this.showStep(collapse.step);
      });
      this.warning.replaceChildren(
        el('strong', { text: 'Possible mode collapse' }),
        el('span', { text: ` from ` }),
        link,
        el('span', { text: `: ${collapse.reason}.` }),
      );
    }
    if (!histogram) {
      this.caption.textContent = '';
      this.histogram.replaceChildren();
      return;
    }
    this.caption.textContent = `Classes of the samples at step ${histogram.step}`;
    const max = Math.max(...histogram.classes.map((c) => c.share), 1e-9);
    this.histogram.replaceChildren(
      ...histogram.classes.map((c) =>
        el(
          'div',
          { className: 'histogram-row', attrs: { title: `${c.name}: ${(c.share * 100).toFixed(1)}%` } },
          [
            el('span', { className: 'histogram-label', text: c.name }),
            bar(c.share / max),
            el('span', { className: 'histogram-value', text: `${(c.share * 100).toFixed(1)}%` }),
          ],
        ),
      ),
    );
  }
}
