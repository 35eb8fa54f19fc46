// cgan's `condition text`: both networks take the caption as a normalised bag of words over the
// vocabulary and learn their own text encoder (a dense layer without bias: the average of the
// caption's word embeddings). The generator joins the embedding to z; the discriminator sees it as
// constant planes, as one learned plane, or as the projection of its features onto a linear map
// of it (Miyato & Koyama 2018 with the caption in place of the class).
import * as tf from '@tensorflow/tfjs';
import type { ResolvedNetwork, ResolvedTextCondition } from '../../../language/model';
import { NetworkBuilder, hashName, type CompiledNetwork } from '../compile';
import { vocabularyOf } from '../text';
import { mixSeeds } from '../../seeds';
import { concat, projectedLogit } from './cganLayers';

type Sym = tf.SymbolicTensor;

/** Captions as a text-conditioned network's second input: [n, vocab + 1] bags of words. */
export function captionInput(network: tf.LayersModel, captions: readonly string[]): tf.Tensor2D {
  const vocabulary = vocabularyOf(network);
  if (!vocabulary)
    throw new Error(`${network.name} has no vocabulary: load a checkpoint of a text-conditioned run`);
  return vocabulary.bags(captions);
}

function dense(builder: NetworkBuilder, x: Sym, units: number, bias: boolean, name: string): Sym {
  return tf.layers
    .dense({
      units,
      useBias: bias,
      kernelInitializer: tf.initializers.glorotUniform({ seed: builder.nextSeed() }),
      name: builder.name(name),
    })
    .apply(x) as Sym;
}

function encoded(builder: NetworkBuilder, condition: ResolvedTextCondition): { bags: Sym; embedding: Sym } {
  const bags = builder.input([condition.vocab + 1]);
  return { bags, embedding: dense(builder, bags, condition.embed, false, 'text_encoder') };
}

export function compileTextGenerator(
  network: ResolvedNetwork,
  condition: ResolvedTextCondition,
  latentSize: number,
  name: string,
  seed: number,
): CompiledNetwork {
  const builder = new NetworkBuilder(name, mixSeeds(seed, hashName(name)));
  const z = builder.input([latentSize]);
  const { bags, embedding } = encoded(builder, condition);
  const output = builder.buildStack(network.layers, concat(builder, [z, embedding]));
  return builder.compiled([z, bags], output, name);
}

/** The caption joined to the image: its embedding as constant planes, or one learned plane. */
function captionPlanes(
  builder: NetworkBuilder,
  embedding: Sym,
  condition: ResolvedTextCondition,
  [h, w]: readonly [number, number, number],
): Sym {
  if (condition.discriminator === 'planes') {
    const pixel = tf.layers
      .reshape({ targetShape: [1, 1, condition.embed], name: builder.name('caption_pixel') })
      .apply(embedding) as Sym;
    return tf.layers.upSampling2d({ size: [h, w], name: builder.name('caption_planes') }).apply(pixel) as Sym;
  }
  return tf.layers
    .reshape({ targetShape: [h, w, 1], name: builder.name('caption_plane') })
    .apply(dense(builder, embedding, h * w, true, 'caption_dense')) as Sym;
}

export function compileTextDiscriminator(
  network: ResolvedNetwork,
  condition: ResolvedTextCondition,
  imageShape: readonly [number, number, number],
  name: string,
  seed: number,
): CompiledNetwork {
  const builder = new NetworkBuilder(name, mixSeeds(seed, hashName(name)));
  const image = builder.input(imageShape);
  const { bags, embedding } = encoded(builder, condition);
  const output =
    condition.discriminator === 'projection'
      ? projectedLogit(builder, network, image, (width) =>
          dense(builder, embedding, width, false, 'projection'),
        )
      : builder.buildStack(
          network.layers,
          concat(builder, [image, captionPlanes(builder, embedding, condition, imageShape)]),
        );
  return builder.compiled([image, bags], output, name);
}
