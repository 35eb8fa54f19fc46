// The one table from a schema layer kind to TensorFlow.js: compile walks a resolved network and
// asks this table to build each layer. Adding a layer to the schema means one entry here.
import * as tf from '@tensorflow/tfjs';
import { numericDefault } from '../../language/schema';
import { boolParam, numParam, strParam, type ResolvedLayer } from '../../language/model';
import { BatchNorm } from './custom/batchNorm';
import { InstanceNorm } from './custom/instanceNorm';
import { PixelShuffle } from './custom/pixelShuffle';
import { MinibatchStd, PixelNorm } from './custom/progan';
import { GatedPixel, MaskedConv2D } from './custom/pixelcnn';
import { SeededDropout } from './custom/seededDropout';
import { SpectralNormLinear } from './custom/spectralNorm';

type Sym = tf.SymbolicTensor;

/** What a layer builder needs from the network being compiled. */
export interface BuildContext {
  /** A fresh deterministic seed for the next initialiser. */
  nextSeed(): number;
  /** A unique layer name inside this network. */
  name(kind: string): string;
  /** Every dropout layer built, so the trainer can feed it seeds from its stream. */
  readonly dropouts: SeededDropout[];
  /** Builds a nested block of layers (residual bodies). */
  buildStack(layers: readonly ResolvedLayer[], input: Sym): Sym;
  /** Class-conditional networks (pixelcnn with `condition`): the one-hot label that the
   *  conditioned layers (maskedconv, gated) take as a second input. */
  readonly classLabel?: { readonly onehot: Sym; readonly classes: number };
  /** Builds batch normalisation in place of BatchNorm (cgan `generator=batchnorm`: conditional on the label). */
  batchNorm?(x: Sym, momentum: number, epsilon: number): Sym;
}

/** x, or [x, one-hot label] for a layer conditioned on the class. */
function withLabel(x: Sym, ctx: BuildContext): Sym | Sym[] {
  return ctx.classLabel ? [x, ctx.classLabel.onehot] : x;
}

export type LayerBuilder = (x: Sym, layer: ResolvedLayer, ctx: BuildContext) => Sym;

function apply(layer: tf.layers.Layer, x: Sym | Sym[]): Sym {
  return layer.apply(x) as Sym;
}

const defaultOf = numericDefault;

function activation(x: Sym, name: string, ctx: BuildContext): Sym {
  switch (name) {
    case 'linear':
      return x;
    case 'leakyrelu':
      return apply(
        tf.layers.leakyReLU({ alpha: defaultOf('leakyrelu', 'alpha'), name: ctx.name('leakyrelu') }),
        x,
      );
    case 'elu':
      return apply(tf.layers.elu({ alpha: 1, name: ctx.name('elu') }), x);
    case 'relu':
    case 'tanh':
    case 'sigmoid':
      return apply(tf.layers.activation({ activation: name, name: ctx.name(name) }), x);
    default:
      throw new Error(`unknown activation ${name}`);
  }
}

function batchNorm(x: Sym, momentum: number, epsilon: number, ctx: BuildContext): Sym {
  return (
    ctx.batchNorm?.(x, momentum, epsilon) ??
    apply(new BatchNorm({ momentum, epsilon, name: ctx.name('batchnorm') }), x)
  );
}

function instanceNorm(x: Sym, epsilon: number, ctx: BuildContext): Sym {
  return apply(new InstanceNorm({ epsilon, name: ctx.name('instancenorm') }), x);
}

function layerNorm(x: Sym, epsilon: number, ctx: BuildContext): Sym {
  return apply(tf.layers.layerNormalization({ axis: -1, epsilon, name: ctx.name('layernorm') }), x);
}

function normalization(x: Sym, norm: string, ctx: BuildContext): Sym {
  switch (norm) {
    case 'none':
      return x;
    case 'batch':
      return batchNorm(x, defaultOf('batchnorm', 'momentum'), defaultOf('batchnorm', 'epsilon'), ctx);
    case 'instance':
      return instanceNorm(x, defaultOf('instancenorm', 'epsilon'), ctx);
    case 'layer':
      return layerNorm(x, defaultOf('layernorm', 'epsilon'), ctx);
    default:
      throw new Error(`unknown norm ${norm}`);
  }
}

function spectral(
  x: Sym,
  op: 'dense' | 'conv' | 'deconv',
  layer: ResolvedLayer,
  units: number,
  ctx: BuildContext,
): Sym {
  const conv = op !== 'dense';
  const sn = new SpectralNormLinear({
    op,
    units,
    kernelSize: conv ? numParam(layer, 'kernel') : 1,
    strides: conv ? numParam(layer, 'stride') : 1,
    padding: conv ? (strParam(layer, 'padding') as 'same' | 'valid') : 'same',
    useBias: boolParam(layer, 'bias'),
    seed: ctx.nextSeed(),
    name: ctx.name(`sn_${op}`),
  });
  return apply(sn, x);
}

const convLike =
  (transposed: boolean): LayerBuilder =>
  (x, layer, ctx) => {
    const filters = numParam(layer, 'filters');
    let y: Sym;
    if (boolParam(layer, 'sn')) {
      y = spectral(x, transposed ? 'deconv' : 'conv', layer, filters, ctx);
    } else {
      const args = {
        filters,
        kernelSize: numParam(layer, 'kernel'),
        strides: numParam(layer, 'stride'),
        padding: strParam(layer, 'padding') as 'same' | 'valid',
        useBias: boolParam(layer, 'bias'),
        kernelInitializer: tf.initializers.glorotUniform({ seed: ctx.nextSeed() }),
        name: ctx.name(transposed ? 'deconv' : 'conv'),
      };
      y = apply(transposed ? tf.layers.conv2dTranspose(args) : tf.layers.conv2d(args), x);
    }
    y = normalization(y, strParam(layer, 'norm'), ctx);
    return activation(y, strParam(layer, 'activation'), ctx);
  };

export const LAYER_BUILDERS: Readonly<Record<string, LayerBuilder>> = {
  dense: (x, layer, ctx) => {
    const units = numParam(layer, 'units');
    const y = boolParam(layer, 'sn')
      ? spectral(x, 'dense', layer, units, ctx)
      : apply(
          tf.layers.dense({
            units,
            useBias: boolParam(layer, 'bias'),
            kernelInitializer: tf.initializers.glorotUniform({ seed: ctx.nextSeed() }),
            name: ctx.name('dense'),
          }),
          x,
        );
    return activation(y, strParam(layer, 'activation'), ctx);
  },
  conv: convLike(false),
  deconv: convLike(true),
  batchnorm: (x, layer, ctx) => batchNorm(x, numParam(layer, 'momentum'), numParam(layer, 'epsilon'), ctx),
  instancenorm: (x, layer, ctx) => instanceNorm(x, numParam(layer, 'epsilon'), ctx),
  layernorm: (x, layer, ctx) => layerNorm(x, numParam(layer, 'epsilon'), ctx),
  relu: (x, _layer, ctx) => activation(x, 'relu', ctx),
  tanh: (x, _layer, ctx) => activation(x, 'tanh', ctx),
  sigmoid: (x, _layer, ctx) => activation(x, 'sigmoid', ctx),
  elu: (x, _layer, ctx) => activation(x, 'elu', ctx),
  leakyrelu: (x, layer, ctx) =>
    apply(tf.layers.leakyReLU({ alpha: numParam(layer, 'alpha'), name: ctx.name('leakyrelu') }), x),
  dropout: (x, layer, ctx) => {
    const dropout = new SeededDropout({ rate: numParam(layer, 'rate'), name: ctx.name('dropout') });
    ctx.dropouts.push(dropout);
    return apply(dropout, x);
  },
  gru: (x, layer, ctx) =>
    apply(
      tf.layers.gru({
        units: numParam(layer, 'units'),
        returnSequences: true,
        kernelInitializer: tf.initializers.glorotUniform({ seed: ctx.nextSeed() }),
        recurrentInitializer: tf.initializers.orthogonal({ seed: ctx.nextSeed() }),
        name: ctx.name('gru'),
      }),
      x,
    ),
  lstm: (x, layer, ctx) =>
    apply(
      tf.layers.lstm({
        units: numParam(layer, 'units'),
        returnSequences: true,
        kernelInitializer: tf.initializers.glorotUniform({ seed: ctx.nextSeed() }),
        recurrentInitializer: tf.initializers.orthogonal({ seed: ctx.nextSeed() }),
        name: ctx.name('lstm'),
      }),
      x,
    ),
  flatten: (x, _layer, ctx) => apply(tf.layers.flatten({ name: ctx.name('flatten') }), x),
  reshape: (x, layer, ctx) =>
    apply(
      tf.layers.reshape({
        targetShape: [...(layer.params.dims as readonly number[])],
        name: ctx.name('reshape'),
      }),
      x,
    ),
  upsample: (x, layer, ctx) => {
    const f = numParam(layer, 'factor');
    return apply(tf.layers.upSampling2d({ size: [f, f], name: ctx.name('upsample') }), x);
  },
  pixelshuffle: (x, layer, ctx) =>
    apply(new PixelShuffle({ factor: numParam(layer, 'factor'), name: ctx.name('pixelshuffle') }), x),
  // One slope per channel, shared over height and width (as in SRGAN); per unit on flat tensors.
  prelu: (x, layer, ctx) =>
    apply(
      tf.layers.prelu({
        alphaInitializer: tf.initializers.constant({ value: numParam(layer, 'alpha') }),
        sharedAxes: x.shape.length === 4 ? [1, 2] : undefined,
        name: ctx.name('prelu'),
      }),
      x,
    ),
  maxpool: (x, layer, ctx) => {
    const s = numParam(layer, 'size');
    return apply(
      tf.layers.maxPooling2d({ poolSize: s, strides: s, padding: 'valid', name: ctx.name('maxpool') }),
      x,
    );
  },
  avgpool: (x, layer, ctx) => {
    const s = numParam(layer, 'size');
    return apply(
      tf.layers.averagePooling2d({ poolSize: s, strides: s, padding: 'valid', name: ctx.name('avgpool') }),
      x,
    );
  },
  maskedconv: (x, layer, ctx) => {
    const y = apply(
      new MaskedConv2D({
        filters: numParam(layer, 'filters'),
        kernelSize: numParam(layer, 'kernel'),
        maskA: strParam(layer, 'mask') === 'A',
        useBias: boolParam(layer, 'bias'),
        seed: ctx.nextSeed(),
        classes: ctx.classLabel?.classes ?? 0,
        name: ctx.name('maskedconv'),
      }),
      withLabel(x, ctx),
    );
    return activation(y, strParam(layer, 'activation'), ctx);
  },
  gated: (x, layer, ctx) =>
    apply(
      new GatedPixel({
        filters: numParam(layer, 'filters'),
        kernelSize: numParam(layer, 'kernel'),
        maskA: strParam(layer, 'mask') === 'A',
        seed: ctx.nextSeed(),
        classes: ctx.classLabel?.classes ?? 0,
        name: ctx.name('gated'),
      }),
      withLabel(x, ctx),
    ),
  pixelnorm: (x, layer, ctx) =>
    apply(new PixelNorm({ epsilon: numParam(layer, 'epsilon'), name: ctx.name('pixelnorm') }), x),
  minibatchstd: (x, layer, ctx) =>
    apply(new MinibatchStd({ group: numParam(layer, 'group'), name: ctx.name('minibatchstd') }), x),
  stage: (x, layer, ctx) => ctx.buildStack(layer.body ?? [], x),
  residual: (x, layer, ctx) => {
    const body = ctx.buildStack(layer.body ?? [], x);
    return apply(tf.layers.add({ name: ctx.name('residual') }), [x, body]);
  },
};
