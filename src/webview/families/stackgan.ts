import type { PresentationFamily } from './family';

export const stackganPresentation: PresentationFamily = {
  previewModes: ['grid'],
  chartGroups: [
    {
      id: 'stackgan-critic',
      title: 'Matching-aware discriminator: D(real, caption), D(fake, caption), D(real, wrong caption)',
      metrics: ['d_real', 'd_fake', 'd_wrong'],
      unit: 'D(x)',
    },
    { id: 'stackgan-kl', title: 'Conditioning augmentation KL', metrics: ['kl'], unit: 'nats' },
    {
      id: 'stackgan-stage',
      title: 'Stage (1: stage I, 2: stage II with stage I frozen)',
      metrics: ['stage'],
    },
  ],
  prompt: { placeholder: 'red apple; smiling cat face' },
  // Rows are captions: the prompt asked for, else the held-out images' captions.
  rowLabels: (_mode, { request }) => (request.text?.length ? [...request.text] : null),
};
