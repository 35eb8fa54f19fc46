// What a family declares to the panels: the preview modes it offers and the chart groups of the
// metrics it logs (losses and throughput are charted for every family).
import { rowClasses, type SampleRequest } from '../../protocol/sample';
import type { PreviewMode } from '../../protocol/webview';

export interface ChartGroup {
  readonly id: string;
  readonly title: string;
  readonly metrics: readonly string[];
  /** What the y axis measures, e.g. "nats", "images/s" (the axis label). */
  readonly unit?: string;
}

/** What a grid's rows show, for labels beside it. */
export interface RowContext {
  readonly rows: number;
  readonly request: SampleRequest;
  /** Label classes of the data and their names (names null: not known). */
  readonly classes: number | null;
  readonly classNames: readonly string[] | null;
  /** Size of z, where the model has one. */
  readonly latent: number | null;
}

export interface PresentationFamily {
  /** Preview modes, the default first (the mode training grids are written in); each must be one
   *  the family's trainer renders. */
  readonly previewModes: readonly PreviewMode[];
  readonly chartGroups: readonly ChartGroup[];
  /** A label for each row of a grid in `mode`, or null when rows mean nothing in particular. */
  readonly rowLabels?: (mode: PreviewMode, context: RowContext) => readonly string[] | null;
  /** A logged metric whose changes mark stages (progan: resolution): every chart draws a vertical
   *  line at each step where it changes. */
  readonly stageMetric?: string;
  /** Text-conditioned families: the preview's prompt box (its placeholder); captions separated by
   *  `;` draw one row each. `optional`: only some of the family's models draw from captions (cgan's
   *  `condition text`), so the box shows only for runs known to. */
  readonly prompt?: { readonly placeholder: string; readonly optional?: boolean };
}

export function className(classNames: readonly string[] | null, k: number): string {
  return classNames?.[k] ?? `class ${k}`;
}

/** Conditional families' grids: each row's class name (null when the model has no classes). */
export function classRowLabels({ rows, request, classes, classNames }: RowContext): readonly string[] | null {
  return classes === null ? null : rowClasses(request, rows, classes).map((k) => className(classNames, k));
}

export const DISCRIMINATOR_OUTPUTS: ChartGroup = {
  id: 'd-outputs',
  title: 'Discriminator outputs',
  metrics: ['d_real', 'd_fake'],
  unit: 'D(x)',
};
