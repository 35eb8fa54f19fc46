// Spectrally normalised dense, conv and transposed conv (tfjs has none); registered for serialisation.
import * as tf from '@tensorflow/tfjs';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';
import { single, singleShape, stopGradient, type ConfigDict, type LayerVariable, type Shape } from './common';

export type LinearOp = 'dense' | 'conv' | 'deconv';

export interface SpectralNormArgs extends LayerArgs {
  op: LinearOp;
  /** Units (dense) or filters (conv, deconv). */
  units: number;
  kernelSize: number;
  strides: number;
  padding: 'same' | 'valid';
  useBias: boolean;
  seed: number;
}

function l2normalize(x: tf.Tensor2D): tf.Tensor2D {
  return x.div(tf.norm(x).add(1e-12));
}

/**
 * A dense, conv or transposed conv whose kernel is divided by its largest singular value, estimated
 * by one power-iteration step per training call (Miyato et al. 2018). `u` is stored as a
 * non-trainable weight, so it is checkpointed like batch-norm statistics.
 */
export class SpectralNormLinear extends tf.layers.Layer {
  static readonly className = 'GanStudioSpectralNormLinear';
  private readonly args: Omit<SpectralNormArgs, keyof LayerArgs>;
  private kernel: LayerVariable | null = null;
  private bias: LayerVariable | null = null;
  private u: LayerVariable | null = null;

  constructor(args: SpectralNormArgs) {
    super(args);
    const { op, units, kernelSize, strides, padding, useBias, seed } = args;
    this.args = { op, units, kernelSize, strides, padding, useBias, seed };
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = singleShape(inputShape);
    const inDim = shape[shape.length - 1] ?? 1;
    const { op, units, kernelSize: k, seed } = this.args;
    const kernelShape =
      op === 'dense' ? [inDim, units] : op === 'conv' ? [k, k, inDim, units] : [k, k, units, inDim];
    this.kernel = this.addWeight('kernel', kernelShape, 'float32', tf.initializers.glorotUniform({ seed }));
    if (this.args.useBias) this.bias = this.addWeight('bias', [units], 'float32', tf.initializers.zeros());
    const uInit = tf.initializers.randomNormal({ mean: 0, stddev: 1, seed: seed + 1 });
    this.u = this.addWeight('u', [units], 'float32', uInit, undefined, false);
    this.built = true;
  }

  /** The kernel as a matrix whose columns are the output units. */
  private matrix(kernel: tf.Tensor): tf.Tensor2D {
    const units = this.args.units;
    const byOutput = this.args.op === 'deconv' ? kernel.transpose([0, 1, 3, 2]) : kernel;
    return byOutput.reshape([-1, units]);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      if (!this.kernel || !this.u) throw new Error('SpectralNormLinear used before build');
      const x = single(inputs);
      const kernel = this.kernel.read();
      const w = this.matrix(kernel);
      const training = kwargs['training'] === true;
      const wConst = stopGradient(w) as tf.Tensor2D;
      let u = this.u.read().reshape([-1, 1]) as tf.Tensor2D;
      const v = l2normalize(tf.matMul(wConst, u));
      if (training) {
        u = l2normalize(tf.matMul(wConst, v, true, false));
        this.u.write(u.reshape([-1]));
      }
      const sigma = tf.matMul(tf.matMul(v, w, true, false), u).reshape([]);
      const scaled = kernel.div(sigma);
      const y = this.linear(x, scaled);
      return this.bias ? y.add(this.bias.read()) : y;
    });
  }

  private linear(x: tf.Tensor, kernel: tf.Tensor): tf.Tensor {
    const { op, strides, padding, units } = this.args;
    if (op === 'dense') {
      const flat = x.reshape([-1, x.shape[x.shape.length - 1]]);
      return tf.matMul(flat, kernel as tf.Tensor2D).reshape([...x.shape.slice(0, -1), units]);
    }
    const x4 = x as tf.Tensor4D;
    if (op === 'conv') return tf.conv2d(x4, kernel as tf.Tensor4D, strides, padding);
    const [n, h, w] = x4.shape;
    const k = this.args.kernelSize;
    const outH = padding === 'same' ? h * strides : (h - 1) * strides + k;
    const outW = padding === 'same' ? w * strides : (w - 1) * strides + k;
    return tf.conv2dTranspose(x4, kernel as tf.Tensor4D, [n, outH, outW, units], strides, padding);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(inputShape);
    const { op, units, strides, padding, kernelSize: k } = this.args;
    if (op === 'dense') return [...shape.slice(0, -1), units];
    const spatial = (size: number | null): number | null => {
      if (size === null) return null;
      if (op === 'conv')
        return padding === 'same' ? Math.ceil(size / strides) : Math.floor((size - k) / strides) + 1;
      return padding === 'same' ? size * strides : (size - 1) * strides + k;
    };
    return [shape[0], spatial(shape[1]), spatial(shape[2]), units];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), ...this.args };
  }
}

tf.serialization.registerClass(SpectralNormLinear);
