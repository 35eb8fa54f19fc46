// Labels beside a sample grid's rows (a cGAN's class names, "original / reconstruction", a walk's
// latent dimension): one cell per row in a column as tall as the image, so they line up with it.
import { el } from './dom';
import { PRESENTATION_FAMILIES } from './families';
import type { RowContext } from './families/family';
import type { FamilyName, PreviewMode } from '../protocol/webview';

export function rowLabelsFor(
  family: FamilyName,
  mode: PreviewMode,
  context: RowContext,
): readonly string[] | null {
  return PRESENTATION_FAMILIES[family].rowLabels?.(mode, context) ?? null;
}

/** A column of row labels; `set` replaces them (none: the column is hidden). */
export class RowLabels {
  readonly element = el('div', { className: 'row-labels', attrs: { 'aria-hidden': 'true' } });
  private key = '';

  constructor() {
    this.set(null);
  }

  set(labels: readonly string[] | null): void {
    const key = JSON.stringify(labels);
    if (key === this.key) return;
    this.key = key;
    this.element.hidden = !labels?.length;
    this.element.style.gridTemplateRows = labels?.length ? `repeat(${labels.length}, 1fr)` : '';
    this.element.replaceChildren(
      ...(labels ?? []).map((text) => el('span', { className: 'row-label', text, attrs: { title: text } })),
    );
  }
}
