// Layers the conditional GAN's networks share between class and caption conditions: joining the
// condition to an input, and the projection discriminator's logit.
import * as tf from '@tensorflow/tfjs';
import type { ResolvedNetwork } from '../../../language/model';
import type { NetworkBuilder } from '../compile';

type Sym = tf.SymbolicTensor;

export function concat(builder: NetworkBuilder, parts: Sym[]): Sym {
  return tf.layers.concatenate({ axis: -1, name: builder.name('concat') }).apply(parts) as Sym;
}

/**
 * Projection discriminator: logit = last layer(φ(x)) + ⟨embedding(y), φ(x)⟩, φ = every layer but
 * the last; `embedding(width)` makes the condition's vector of φ's width (built after φ, so the
 * builder's seeds follow the network's layers).
 */
export function projectedLogit(
  builder: NetworkBuilder,
  network: ResolvedNetwork,
  image: Sym,
  embedding: (width: number) => Sym,
): Sym {
  const last = network.layers[network.layers.length - 1];
  if (!last || last.kind !== 'dense' || last.inputShape.length !== 1)
    throw new Error('discriminator=projection needs a discriminator that ends in `dense 1` on flat features');
  const features = builder.buildStack(network.layers.slice(0, -1), image);
  const projection = tf.layers
    .dot({ axes: -1, name: builder.name('project') })
    .apply([features, embedding(last.inputShape[0])]) as Sym;
  const logit = builder.buildStack([last], features);
  return tf.layers.add({ name: builder.name('logit') }).apply([logit, projection]) as Sym;
}
