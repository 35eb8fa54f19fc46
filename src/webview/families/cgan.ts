import { rowClasses } from '../../protocol/sample';
import type { PresentationFamily } from './family';
import { className, DISCRIMINATOR_OUTPUTS } from './family';

export const cganPresentation: PresentationFamily = {
  previewModes: ['grid', 'interpolate'],
  chartGroups: [DISCRIMINATOR_OUTPUTS],
  rowLabels: (_mode, { rows, request, classes, classNames }) =>
    classes === null ? null : rowClasses(request, rows, classes).map((k) => className(classNames, k)),
};
