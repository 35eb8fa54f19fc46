// Optimizers from the model's `optimizer` sections, and their state for checkpoints.
import * as tf from '@tensorflow/tfjs';
import type { NamedTensor } from '@tensorflow/tfjs-core/dist/tensor_types';
import type { ResolvedOptimizer } from '../../language/model';

/** PyTorch's defaults, which the usual GAN recipes were tuned with. */
const EPSILON = 1e-8;
const RMSPROP_DECAY = 0.99;

export function createOptimizer(spec: ResolvedOptimizer): tf.Optimizer {
  switch (spec.kind) {
    case 'adam':
      return tf.train.adam(spec.lr, spec.beta1, spec.beta2, EPSILON);
    case 'rmsprop':
      return tf.train.rmsprop(spec.lr, RMSPROP_DECAY, spec.momentum, EPSILON);
    case 'sgd':
      return spec.momentum > 0 ? tf.train.momentum(spec.lr, spec.momentum) : tf.train.sgd(spec.lr);
  }
}

/** Adam's running powers of beta live outside getWeights(); tfjs recomputes them with pow() on
 *  setWeights, which can differ in the last bit from the repeated products, so they are saved too. */
interface AdamPowers {
  accBeta1?: tf.Variable;
  accBeta2?: tf.Variable;
}

const POWER_NAMES = ['accBeta1', 'accBeta2'] as const;
const POWER_PREFIX = '__gan_studio_';

export async function optimizerState(optimizer: tf.Optimizer): Promise<NamedTensor[]> {
  const weights = await optimizer.getWeights();
  const powers = optimizer as unknown as AdamPowers;
  for (const name of POWER_NAMES) {
    const v = powers[name];
    if (v) weights.push({ name: POWER_PREFIX + name, tensor: v });
  }
  return weights;
}

export async function restoreOptimizerState(optimizer: tf.Optimizer, state: NamedTensor[]): Promise<void> {
  const slots = state.filter((w) => !w.name.startsWith(POWER_PREFIX));
  await optimizer.setWeights(slots);
  const powers = optimizer as unknown as AdamPowers;
  for (const w of state) {
    if (!w.name.startsWith(POWER_PREFIX)) continue;
    const v = powers[w.name.slice(POWER_PREFIX.length) as (typeof POWER_NAMES)[number]];
    if (v) v.assign(w.tensor);
  }
  for (const w of state) w.tensor.dispose();
}
