// The sample grid of the focused run: the latest image, and a slider back through every grid written.
import type { SampleGrid } from '../../protocol/webview';
import { ClipPlayer } from '../clipPlayer';
import { el } from '../dom';
import { formatCount } from '../../protocol/format';
import { PRESENTATION_FAMILIES } from '../families';
import { RowLabels, rowLabelsFor } from '../rowLabels';
import type { RunData } from './runStore';

export interface SampleSelection {
  /** The step picked by the user, or null to follow the latest grid. */
  readonly step: number | null;
}

export class SamplesPanel {
  readonly element: HTMLElement;
  private readonly image = el('img', { className: 'sample-image', attrs: { alt: '' } });
  /** A video run's clips, played beside their strip of frames. */
  private readonly player = new ClipPlayer();
  private frames: number | null = null;
  private readonly empty = el('p', { className: 'empty', text: 'No sample grids yet.' });
  private readonly slider = el('input', {
    attrs: {
      id: 'sample-step',
      type: 'range',
      min: '0',
      max: '0',
      step: '1',
      'aria-label': 'Sample grid step',
    },
  });
  private readonly caption = el('span', { className: 'sample-caption', attrs: { 'aria-live': 'polite' } });
  private grids: readonly SampleGrid[] = [];
  private readonly comparedTitle = el('h3', { className: 'compared-title' });
  private readonly comparedGrid = el('div', { className: 'compared-grid' });
  private readonly compared = el('div', { className: 'compared-samples', attrs: { hidden: '' } }, [
    this.comparedTitle,
    this.comparedGrid,
  ]);
  private comparedKey = '';
  private readonly rowLabels = new RowLabels();
  private pickedStep: number | null = null;

  constructor(private readonly onPick: (step: number | null) => void) {
    this.slider.addEventListener('input', () => {
      const index = Number(this.slider.value);
      const grid = this.grids[index];
      if (!grid) return;
      this.pickedStep = index === this.grids.length - 1 ? null : grid.step;
      this.show(index);
      this.onPick(this.pickedStep);
    });
    this.element = el('section', { className: 'samples', attrs: { 'aria-label': 'Sample grids' } }, [
      el('h2', { text: 'Samples' }),
      el('div', { className: 'sample-frame' }, [
        el('div', { className: 'labelled-grid' }, [this.rowLabels.element, this.image, this.player.element]),
        this.empty,
      ]),
      el('div', { className: 'sample-controls' }, [this.slider, this.caption]),
      this.compared,
    ]);
  }

  /**
   * Comparing runs: each other run's grid at the step shown above, side by side; a run with no grid
   * at that step shows its nearest one, and its caption says which step that is. Every run draws its
   * grids from its own `sample { seed }`, so runs with the same seed show the same noise through
   * different weights.
   */
  renderCompared(
    others: readonly { readonly run: RunData; readonly label: string; readonly color: string }[],
  ): void {
    const step = this.shownStep();
    const cells =
      step === null ? [] : others.map((o) => ({ ...o, grid: nearestGrid(o.run.sampleGrids(), step) }));
    const key = JSON.stringify([step, cells.map((c) => [c.label, c.grid?.uri ?? null])]);
    if (key === this.comparedKey) return;
    this.comparedKey = key;
    this.compared.hidden = cells.length === 0;
    this.comparedTitle.textContent = step === null ? '' : `Compared runs at step ${formatCount(step)}`;
    this.comparedGrid.replaceChildren(
      ...cells.map(({ label, color, grid }) => {
        const swatch = el('span', { className: 'swatch', attrs: { 'aria-hidden': 'true' } });
        swatch.style.background = color;
        const differs = grid !== null && grid.step !== step;
        const shown = el('span', {
          className: differs ? 'shown-step differs' : 'shown-step',
          text: !grid
            ? 'no grid yet'
            : differs
              ? `step ${formatCount(grid.step)} (no grid at ${formatCount(step ?? 0)})`
              : `step ${formatCount(grid.step)}`,
        });
        const caption = el('figcaption', {}, [swatch, `${label} · `, shown]);
        const image = grid
          ? el('img', {
              className: 'compared-image',
              attrs: { src: grid.uri, alt: `${label} at step ${grid.step}` },
            })
          : el('div', { className: 'compared-empty', text: '—' });
        return el('figure', { className: 'compared-run' }, [image, caption]);
      }),
    );
  }

  private shownStep(): number | null {
    const index = Number(this.slider.value);
    return this.grids[index]?.step ?? null;
  }

  render(run: RunData | undefined, pickedStep: number | null): void {
    this.grids = run?.sampleGrids() ?? [];
    this.rowLabels.set(run ? trainingRowLabels(run) : null);
    this.pickedStep = pickedStep;
    this.frames = run?.summary.rows?.frames ?? null;
    const hasGrids = this.grids.length > 0;
    this.image.hidden = !hasGrids;
    this.empty.hidden = hasGrids;
    this.slider.disabled = this.grids.length < 2;
    this.slider.hidden = !hasGrids;
    this.slider.max = String(Math.max(0, this.grids.length - 1));
    if (!hasGrids) {
      this.caption.textContent = '';
      this.image.removeAttribute('src');
      this.player.show(null, null);
      return;
    }
    let index = this.grids.length - 1;
    if (pickedStep !== null) {
      const found = this.grids.findIndex((g) => g.step === pickedStep);
      if (found >= 0) index = found;
    }
    this.slider.value = String(index);
    this.show(index);
  }

  private show(index: number): void {
    const grid = this.grids[index];
    if (!grid) return;
    if (this.image.getAttribute('src') !== grid.uri) this.image.src = grid.uri;
    this.player.show(grid.uri, this.frames);
    const latest = index === this.grids.length - 1;
    this.image.alt = `Sample grid at step ${grid.step}`;
    this.caption.textContent = `Step ${formatCount(grid.step)} · ${index + 1} of ${this.grids.length}${latest ? ' (latest)' : ''}`;
    this.slider.setAttribute('aria-valuetext', `step ${grid.step}`);
  }
}

/** Training grids are drawn in the family's first preview mode with the model's own request. */
function trainingRowLabels(run: RunData): readonly string[] | null {
  const rows = run.summary.rows;
  if (!rows) return null;
  const family = run.summary.family;
  return rowLabelsFor(family, PRESENTATION_FAMILIES[family].previewModes[0], {
    rows: rows.grid[0],
    request: {},
    classes: rows.classes,
    classNames: rows.classNames,
    latent: rows.latent,
  });
}

/** The grid written at `step`, else the one nearest to it (the earlier of two as near); none: null. */
export function nearestGrid(grids: readonly SampleGrid[], step: number): SampleGrid | null {
  let found: SampleGrid | null = null;
  for (const grid of grids)
    if (!found || Math.abs(grid.step - step) < Math.abs(found.step - step)) found = grid;
  return found;
}
