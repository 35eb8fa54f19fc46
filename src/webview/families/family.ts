// What a family declares to the panels: the preview modes it offers and the chart groups of the
// metrics it logs (losses and throughput are charted for every family).
import type { PreviewMode } from '../../protocol/webview';

export interface ChartGroup {
  readonly id: string;
  readonly title: string;
  readonly metrics: readonly string[];
}

export interface PresentationFamily {
  /** Preview modes, the default first; each must be one the family's trainer renders. */
  readonly previewModes: readonly PreviewMode[];
  readonly chartGroups: readonly ChartGroup[];
}

export const DISCRIMINATOR_OUTPUTS: ChartGroup = {
  id: 'd-outputs',
  title: 'Discriminator outputs',
  metrics: ['d_real', 'd_fake'],
};
