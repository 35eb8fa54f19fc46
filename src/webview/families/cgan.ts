import type { PresentationFamily } from './family';
import { classRowLabels, DISCRIMINATOR_OUTPUTS } from './family';

export const cganPresentation: PresentationFamily = {
  previewModes: ['grid', 'interpolate'],
  chartGroups: [DISCRIMINATOR_OUTPUTS],
  // `condition text`: rows are the prompts asked for (held-out captions otherwise, unlabelled).
  prompt: { placeholder: 'red apple; smiling cat face', optional: true },
  rowLabels: (_mode, context) =>
    context.request.text?.length ? [...context.request.text] : classRowLabels(context),
};
