// A classifier for labelled folder data, trained on the folder's training images the first time
// a model of that folder is evaluated, and cached (with its held-out accuracy) in the workspace.
import type { ResolvedData } from '../../language/model';
import { openDataSource } from '../data';
import { FEATURE_SIZE } from './classifierNet';
import { saveClassifier } from './classifierStore';
import { classifierAccuracy, trainClassifier } from './trainClassifier';

const SEED = 7;
/** Enough passes for a few hundred images; capped so a big folder trains in minutes. */
const EPOCHS = 20;
const MAX_BATCHES = 3000;
const BATCH = 32;

export async function trainFolderClassifier(
  data: ResolvedData,
  shape: readonly [number, number, number],
  dir: string,
  options: { readonly baseDir: string; readonly log?: (line: string) => void },
): Promise<void> {
  const classes = data.classes;
  if (classes === null) throw new Error('folder data without labels has no classes to learn');
  const base: ResolvedData = {
    ...data,
    shape: [shape[0], shape[1], shape[2]],
    scale: [0, 1],
    batch: 1,
    split: 'train',
    limit: null,
    shuffle: true,
    domain: null,
  };
  const open = (spec: ResolvedData) => openDataSource(spec, { seed: SEED, baseDir: options.baseDir });
  // Opened once with batch 1 to count the images (decoding is cached), then with a batch that fits.
  const counting = await open(base);
  const trainCount = counting.size ?? 0;
  counting.dispose();
  const source = await open({ ...base, batch: Math.max(1, Math.min(BATCH, trainCount)) });
  const test = await open({ ...base, split: 'test' });
  try {
    const perEpoch = Math.max(1, source.batchesPerEpoch ?? 1);
    const epochs = Math.max(1, Math.min(EPOCHS, Math.floor(MAX_BATCHES / perEpoch)));
    options.log?.(`training a classifier on ${String(data.options.path)} for evaluation (${epochs} epochs)`);
    const { model, trainImages } = await trainClassifier({
      sources: [source],
      classes,
      epochs,
      seed: SEED,
      log: options.log,
    });
    const held = await source.heldOut(test.size ?? 0);
    await saveClassifier(model, dir, {
      id: dir,
      label: `classifier trained on ${String(data.options.path)}`,
      shape,
      classNames: Array.from({ length: classes }, (_, i) => `class ${i}`),
      testAccuracy: Math.round(classifierAccuracy(model, held, shape) * 1e4) / 1e4,
      testImages: held.count,
      trainImages,
      seed: SEED,
      featureSize: FEATURE_SIZE,
    });
    model.dispose();
  } finally {
    source.dispose();
    test.dispose();
  }
}
