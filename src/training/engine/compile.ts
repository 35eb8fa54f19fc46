// Compiles resolved networks into tfjs functional models, driven by the LAYER_BUILDERS table.
import * as tf from '@tensorflow/tfjs';
import type { ResolvedLayer, ResolvedNetwork, Shape } from '../../language/model';
import { OneHotLabel } from './custom/labelEncoding';
import type { SeededDropout } from './custom/seededDropout';
import { LAYER_BUILDERS, type BuildContext } from './layers';
import { mixSeeds } from '../seeds';

type Sym = tf.SymbolicTensor;

export interface LayerShape {
  readonly layer: ResolvedLayer;
  /** The compiled layer's output shape, batch dimension removed. */
  readonly shape: readonly number[];
}

/** A build context that also records each resolved layer's compiled output shape. */
export class NetworkBuilder implements BuildContext {
  readonly dropouts: SeededDropout[] = [];
  readonly shapes: LayerShape[] = [];
  classLabel?: { readonly onehot: Sym; readonly classes: number };
  private seedCounter = 0;
  private nameCounter = 0;

  constructor(
    readonly prefix: string,
    private readonly seed: number,
  ) {}

  nextSeed(): number {
    return mixSeeds(this.seed, this.seedCounter++) % 2147483647;
  }

  name(kind: string): string {
    return `${this.prefix}_${this.nameCounter++}_${kind}`;
  }

  input(shape: Shape, dtype: 'float32' | 'int32' = 'float32'): Sym {
    return tf.input({ shape: [...shape], dtype, name: this.name('input') });
  }

  buildStack(layers: readonly ResolvedLayer[], input: Sym): Sym {
    let x = input;
    for (const layer of layers) {
      const build = LAYER_BUILDERS[layer.kind];
      if (!build)
        throw new Error(`layer ${layer.kind} (line ${layer.line + 1}) has no TensorFlow.js builder`);
      x = build(x, layer, this);
      this.shapes.push({ layer, shape: x.shape.slice(1) as number[] });
    }
    return x;
  }

  /** The network from its inputs to its outputs, with the dropouts and layer shapes built on the way. */
  compiled(inputs: Sym | Sym[], outputs: Sym | Sym[], name: string): CompiledNetwork {
    return { model: tf.model({ inputs, outputs, name }), dropouts: this.dropouts, shapes: this.shapes };
  }
}

export interface CompiledNetwork {
  readonly model: tf.LayersModel;
  readonly dropouts: readonly SeededDropout[];
  readonly shapes: readonly LayerShape[];
}

/** Builds a network on its own input (the data shape, latent size, ...). */
export function compileNetwork(network: ResolvedNetwork, name: string, seed: number): CompiledNetwork {
  const builder = new NetworkBuilder(name, mixSeeds(seed, hashName(name)));
  const input = builder.input(network.inputShape);
  const output = builder.buildStack(network.layers, input);
  return builder.compiled(input, output, name);
}

/**
 * Builds a network on [image, label (int32, [1])] whose class-conditioned layers (maskedconv,
 * gated) add a learned bias per class (pixelcnn with `condition`). Its other weights are those
 * compileNetwork gives for the same seed, and its class biases start at zero.
 */
export function compileClassConditional(
  network: ResolvedNetwork,
  classes: number,
  name: string,
  seed: number,
): CompiledNetwork {
  const builder = new NetworkBuilder(name, mixSeeds(seed, hashName(name)));
  const input = builder.input(network.inputShape);
  const label = builder.input([1], 'int32');
  const onehot = new OneHotLabel({ classes, name: builder.name('onehot') }).apply(label) as Sym;
  builder.classLabel = { onehot, classes };
  const output = builder.buildStack(network.layers, input);
  return builder.compiled([input, label], output, name);
}

export function hashName(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(h, 31) + name.charCodeAt(i)) >>> 0;
  return h;
}

export function trainableCount(model: tf.LayersModel): number {
  return model.trainableWeights.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
}
