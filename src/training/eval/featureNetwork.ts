// The network whose features evaluation compares, chosen per data source: a shipped classifier
// (mnist, fashion_mnist, emoji, shapes); for labelled folder data a classifier trained on the
// folder on first use and cached in the workspace; for unlabelled folder data a fixed, randomly
// initialised network of the same architecture (random-network features: they still separate
// image statistics, but no classes, so no class metrics). `label` says which, in every metric name.
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { ResolvedData } from '../../language/model';
import { buildClassifier, featureModel, FEATURE_SIZE } from './classifierNet';
import { CLASSIFIER_OF_SOURCE, CLASSIFIERS, type ShippedClassifierId } from './classifiers';
import { FEATURE_LABELS } from '../../protocol/featureLabel';
import { hasClassifier, loadClassifier, shippedClassifierRoot, weightsDigest } from './classifierStore';
import type { ClassProbabilities } from './classStats';
import type { FeatureRows } from './linalg';
import { toClassifierInput } from './preprocess';
import { trainFolderClassifier } from './folderClassifier';

export interface Embedding {
  readonly features: FeatureRows;
  /** Class probabilities, when the network is a classifier. */
  readonly probabilities: ClassProbabilities | null;
}

export interface FeatureNetwork {
  /** Which weights produce the features (name and weights digest): caches are keyed by it. */
  readonly id: string;
  /** How metric names describe the features, e.g. "MNIST classifier". */
  readonly label: string;
  readonly classNames: readonly string[] | null;
  /** Held-out accuracy of the classifier, when known. */
  readonly testAccuracy: number | null;
  embed(images: Float32Array, count: number, data: ResolvedData): Embedding;
  dispose(): void;
}

const CHUNK = 500;
const RANDOM_SEED = 0x72616e64;

function networkFrom(
  model: tf.LayersModel,
  meta: Pick<FeatureNetwork, 'id' | 'label' | 'classNames' | 'testAccuracy'>,
  inputShape: readonly [number, number, number],
): FeatureNetwork {
  const both = featureModel(model);
  return {
    ...meta,
    embed(images, count, data) {
      const [h, w, c] = data.shape;
      const size = h * w * c;
      const features = new Float32Array(count * FEATURE_SIZE);
      const classes = meta.classNames?.length ?? 0;
      const probabilities = new Float32Array(count * classes);
      for (let start = 0; start < count; start += CHUNK) {
        const n = Math.min(CHUNK, count - start);
        const [f, p] = tf.tidy(() => {
          const x = tf.tensor4d(images.subarray(start * size, (start + n) * size), [n, h, w, c]);
          const outputs = both.predict(toClassifierInput(x, data.scale, inputShape)) as tf.Tensor[];
          return [outputs[0], outputs[1]];
        });
        features.set(f.dataSync(), start * FEATURE_SIZE);
        if (classes) probabilities.set(p.dataSync(), start * classes);
        tf.dispose([f, p]);
      }
      return {
        features: { count, dim: FEATURE_SIZE, values: features },
        probabilities: classes ? { count, classes, values: probabilities } : null,
      };
    },
    dispose() {
      model.dispose();
    },
  };
}

/** Cache folder of a workspace-trained classifier: one per folder path, size and channels. */
function folderKey(data: ResolvedData): string {
  const text = JSON.stringify([data.options.path, data.shape]);
  return `folder-${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
}

/** One of the classifiers GAN Studio ships (assets/classifiers/<id>), labelled `label`. */
export async function openShippedClassifier(id: ShippedClassifierId, label: string): Promise<FeatureNetwork> {
  const dir = join(shippedClassifierRoot(), id);
  const { model, info } = await loadClassifier(dir);
  return networkFrom(
    model,
    {
      id: `${id}-${weightsDigest(dir)}`,
      label,
      classNames: info.classNames,
      testAccuracy: info.testAccuracy,
    },
    CLASSIFIERS[id].shape,
  );
}

export interface FeatureNetworkOptions {
  /** Where .gan/ lives (workspace-trained classifiers are cached under .gan/classifiers/). */
  readonly ganDir: string;
  /** Directory `folder "path"` is relative to. */
  readonly baseDir: string;
  readonly log?: (line: string) => void;
}

export async function openFeatureNetwork(
  data: ResolvedData,
  options: FeatureNetworkOptions,
): Promise<FeatureNetwork> {
  const shipped = CLASSIFIER_OF_SOURCE[data.source];
  if (shipped) return openShippedClassifier(shipped, FEATURE_LABELS[data.source](data));
  const shape: [number, number, number] = [
    Math.min(data.shape[0], 64),
    Math.min(data.shape[1], 64),
    data.shape[2],
  ];
  if (data.classes !== null) {
    const key = folderKey(data);
    const dir = join(options.ganDir, 'classifiers', key);
    if (!hasClassifier(dir)) await trainFolderClassifier(data, shape, dir, options);
    const { model, info } = await loadClassifier(dir);
    return networkFrom(
      model,
      {
        id: `${key}-${weightsDigest(dir)}`,
        label: FEATURE_LABELS.folder(data),
        classNames: info.classNames,
        testAccuracy: info.testAccuracy,
      },
      info.shape,
    );
  }
  const model = buildClassifier(shape, 1, RANDOM_SEED);
  return networkFrom(
    model,
    {
      id: `random-${shape.join('x')}`,
      label: FEATURE_LABELS.folder(data),
      classNames: null,
      testAccuracy: null,
    },
    shape,
  );
}
