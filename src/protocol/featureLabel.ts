// Which features a model's quality metrics are measured in, as words for metric names
// ("FID (MNIST classifier features)"). Pure: the editor and the dashboard read it too.
import type { DataSourceName, FamilyName, ResolvedData, ResolvedModel } from '../language/model';

/** Index in model.data of the source a family's outputs are compared with (cyclegan: domain b). */
export const EVAL_TARGET: Readonly<Record<FamilyName, number>> = {
  gan: 0,
  cgan: 0,
  vae: 0,
  cyclegan: 1,
  srgan: 0,
  pixelcnn: 0,
  progan: 0,
  stackgan: 0,
  video: 0,
};

export const FEATURE_LABELS: Readonly<
  Record<DataSourceName, (data: Pick<ResolvedData, 'classes' | 'options'>) => string>
> = {
  mnist: () => 'MNIST classifier',
  fashion_mnist: () => 'Fashion-MNIST classifier',
  emoji: () => 'emoji category classifier',
  shapes: () => 'shapes classifier',
  moving_mnist: () => 'MNIST classifier',
  moving_shapes: () => 'shapes classifier',
  folder: (data) =>
    data.classes !== null ? `classifier trained on ${String(data.options.path)}` : 'random-network',
  clips: () => 'random-network',
};

export function featureLabel(model: Pick<ResolvedModel, 'family' | 'data'>): string {
  const data = model.data[EVAL_TARGET[model.family]] ?? model.data[0];
  return FEATURE_LABELS[data.source](data);
}

/** "FID (MNIST classifier features)": how a distance is named wherever it is shown. */
export function metricTitle(metric: string, features: string): string {
  return `${metric} (${features} features)`;
}
