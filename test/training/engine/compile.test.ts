// Compiled networks against the checker: every layer's output shape and every network's
// trainable parameter count must equal what the language inferred, for every example model.
import { rgbParams } from '../../../src/language/families/progan';
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyze } from '../../../src/language/analyze';
import type { ResolvedLayer, ResolvedModel } from '../../../src/language/model';
import { LAYERS } from '../../../src/language/schema';
import {
  compileClassConditional,
  compileNetwork,
  trainableCount,
} from '../../../src/training/engine/compile';
import { BatchNorm } from '../../../src/training/engine/custom/batchNorm';
import { InstanceNorm } from '../../../src/training/engine/custom/instanceNorm';
import { SpectralNormLinear } from '../../../src/training/engine/custom/spectralNorm';
import {
  compileConditionalDiscriminator,
  compileConditionalGenerator,
} from '../../../src/training/engine/families/cgan';
import {
  compileTextDiscriminator,
  compileTextGenerator,
} from '../../../src/training/engine/families/cganText';
import { compileEncoder } from '../../../src/training/engine/families/vae';
import { LAYER_BUILDERS } from '../../../src/training/engine/layers';
import { directoryIO } from '../../../src/training/engine/modelFiles';
import { resolveModel, useBackend } from './helpers';

const EXAMPLES = join(process.cwd(), 'examples');

function exampleModels(): ResolvedModel[] {
  return readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.gan'))
    .flatMap((f) => analyze(readFileSync(join(EXAMPLES, f), 'utf8')).models.map((m) => m.resolved))
    .filter((m): m is ResolvedModel => m !== null);
}

function countLayers(layers: readonly ResolvedLayer[]): number {
  return layers.reduce((n, l) => n + 1 + countLayers(l.body ?? []), 0);
}

describe('compile', () => {
  before(useBackend);

  it('has a builder for every schema layer (repeat is expanded by the resolver)', () => {
    const missing = LAYERS.map((l) => l.name).filter((n) => n !== 'repeat' && !LAYER_BUILDERS[n]);
    assert.deepEqual(missing, []);
  });

  const models = exampleModels();
  it('finds the example models', () => assert.ok(models.length >= 7, `${models.length} models`));

  for (const model of models) {
    it(`${model.name}: compiled shapes and parameter counts equal the checker's`, () => {
      for (const [role, network] of Object.entries(model.networks)) {
        if (!network) continue;
        // The checker counts the vae encoder's mean and log-variance heads as part of it, and a
        // conditional pixelcnn's class biases.
        // A caption-conditioned cgan's networks include their text encoders.
        const text = model.textCondition;
        const compiled =
          role === 'encoder' && model.latent
            ? compileEncoder(network, model.latent.size, model.train.seed)
            : role === 'network' && model.condition
              ? compileClassConditional(network, model.condition.classes, role, model.train.seed)
              : text && role === 'generator' && model.latent
                ? compileTextGenerator(network, text, model.latent.size, role, model.train.seed)
                : text && role === 'discriminator'
                  ? compileTextDiscriminator(network, text, model.data[0].shape, role, model.train.seed)
                  : compileNetwork(network, role, model.train.seed);
        try {
          assert.equal(compiled.shapes.length, countLayers(network.layers));
          for (const { layer, shape } of compiled.shapes)
            assert.deepEqual(shape, [...layer.outputShape], `${role} line ${layer.line + 1} ${layer.kind}`);
          if (role !== 'encoder')
            assert.deepEqual(compiled.model.outputs[0].shape.slice(1), [...network.outputShape], role);
          // A progan's checker counts the to-RGB / from-RGB layers the trainer adds per stage
          // (test/training/engine/progan.test.ts compares the full networks).
          const added = model.family === 'progan' ? rgbParams(role, model, network.layers) : 0;
          assert.equal(trainableCount(compiled.model) + added, network.paramCount, `${role} parameters`);
        } finally {
          compiled.model.dispose();
        }
      }
    });
  }

  it('builds the family wrappers with the inferred inputs and outputs', () => {
    const cgan = models.find((m) => m.family === 'cgan' && m.condition);
    const vae = models.find((m) => m.family === 'vae');
    assert.ok(cgan?.condition && cgan.latent && cgan.networks.generator && cgan.networks.discriminator);
    const g = compileConditionalGenerator(cgan.networks.generator, cgan.condition, cgan.latent.size, 'g', 1);
    const d = compileConditionalDiscriminator(
      cgan.networks.discriminator,
      cgan.condition,
      cgan.data[0].shape,
      'd',
      1,
    );
    const out = tf.tidy(() => {
      const z = tf.zeros([2, cgan.latent?.size ?? 0]);
      const labels = tf.tensor2d([[3], [7]], [2, 1], 'int32');
      const images = g.model.predict([z, labels]) as tf.Tensor;
      const logits = d.model.predict([images, labels]) as tf.Tensor;
      return [images.shape, logits.shape];
    });
    assert.deepEqual(out, [
      [2, ...cgan.networks.generator.outputShape],
      [2, 1],
    ]);
    assert.deepEqual(g.shapes[0].shape, [...cgan.networks.generator.layers[0].outputShape]);
    assert.ok(vae?.latent && vae.networks.encoder);
    const e = compileEncoder(vae.networks.encoder, vae.latent.size, 1);
    assert.deepEqual(
      e.model.outputs.map((o) => o.shape),
      [
        [null, vae.latent.size],
        [null, vae.latent.size],
      ],
    );
    for (const m of [g.model, d.model, e.model]) m.dispose();
  });
});

describe('custom layers', () => {
  let dir = '';
  before(() => (dir = mkdtempSync(join(tmpdir(), 'gan-engine-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('save in the layers format and load back with tf.loadLayersModel, computing the same outputs', async () => {
    const model = resolveModel(`
model sn: gan {
  data shapes size=8x8 channels=1 { scale [-1, 1]; batch 4 }
  latent 4
  generator {
    dense 4*4*3 sn=true
    reshape [4, 4, 3]
    deconv 3 kernel=3 stride=2 sn=true norm=instance activation=relu
    instancenorm
    conv 2 kernel=3 norm=layer activation=leakyrelu sn=true
    dropout 0.5
    conv 1 kernel=3 activation=tanh
  }
  discriminator { flatten; dense 1 }
  loss hinge
  optimizer adam lr=1e-3
  train { steps 1; seed 3 }
  sample { every 1; grid 2x2 }
}`);
    const network = model.networks.generator;
    assert.ok(network);
    const compiled = compileNetwork(network, 'generator', 3);
    // A training call moves the spectral-norm vectors off their initial values.
    tf.tidy(() => {
      compiled.model.apply(tf.ones([2, 4]), { training: true });
    });
    await compiled.model.save(directoryIO(dir));
    const loaded = await tf.loadLayersModel(directoryIO(dir));
    const [a, b] = tf.tidy(() => {
      const z = tf.linspace(-1, 1, 8).reshape([2, 4]);
      return [
        (compiled.model.predict(z) as tf.Tensor).arraySync(),
        (loaded.predict(z) as tf.Tensor).arraySync(),
      ];
    });
    assert.deepEqual(b, a);
    assert.equal(
      loaded.getLayer(compiled.model.layers[1].name).getClassName(),
      'GanStudioSpectralNormLinear',
    );
    compiled.model.dispose();
    loaded.dispose();
  });
});

describe('normalisation layers', () => {
  before(useBackend);

  it('spectral norm divides the kernel by its largest singular value', () => {
    const input = tf.input({ shape: [6] });
    const layer = new SpectralNormLinear({
      op: 'dense',
      units: 5,
      kernelSize: 1,
      strides: 1,
      padding: 'same',
      useBias: false,
      seed: 7,
    });
    const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
    const x = tf.eye(6);
    // Each training call is one power-iteration step; after a few the estimate has converged.
    for (let i = 0; i < 30; i++) tf.tidy(() => void model.apply(x, { training: true }));
    // With identity inputs the output is the normalised kernel itself.
    const normalised = tf.tidy(() => model.predict(x) as tf.Tensor2D);
    let v = tf.ones([5, 1]) as tf.Tensor2D;
    for (let i = 0; i < 200; i++) {
      const next = tf.tidy(() => {
        const w = normalised.transpose().matMul(normalised.matMul(v));
        return w.div(tf.norm(w)) as tf.Tensor2D;
      });
      v.dispose();
      v = next;
    }
    const sigma = tf.tidy(() => tf.norm(normalised.matMul(v)).dataSync()[0]);
    assert.ok(Math.abs(sigma - 1) < 1e-3, `largest singular value ${sigma}`);
    const raw = tf.tidy(() => tf.norm(layer.getWeights()[0]).dataSync()[0]);
    assert.ok(raw > 1.2, `the raw kernel is not already normalised (Frobenius norm ${raw})`);
    tf.dispose([x, v, normalised]);
    model.dispose();
  });

  it('instance norm normalises each image and channel over its positions', () => {
    const input = tf.input({ shape: [4, 4, 2] });
    const model = tf.model({
      inputs: input,
      outputs: new InstanceNorm({ epsilon: 1e-5 }).apply(input) as tf.SymbolicTensor,
    });
    const [means, variances] = tf.tidy(() => {
      const x = tf.randomUniform([3, 4, 4, 2], -5, 9, 'float32', 3).mul(tf.tensor([1, 4]));
      const { mean, variance } = tf.moments(model.predict(x) as tf.Tensor, [1, 2]);
      return [mean.dataSync(), variance.dataSync()];
    });
    for (const m of means) assert.ok(Math.abs(m) < 1e-4);
    for (const v of variances) assert.ok(Math.abs(v - 1) < 1e-2);
    model.dispose();
  });

  it('batch norm matches tfjs batchNormalization: outputs, gradients and moving statistics', () => {
    const build = (layer: tf.layers.Layer): tf.LayersModel => {
      const input = tf.input({ shape: [3, 3, 2] });
      return tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
    };
    const ours = build(new BatchNorm({ momentum: 0.9, epsilon: 1e-3 }));
    const reference = build(tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-3 }));
    const gammaBeta = [tf.tensor1d([1.5, -0.7]), tf.tensor1d([0.2, 0.4])];
    for (const m of [ours, reference]) {
      m.weights.find((w) => w.name.includes('gamma'))?.write(gammaBeta[0]);
      m.weights.find((w) => w.name.includes('beta'))?.write(gammaBeta[1]);
    }
    const x = tf.randomNormal([4, 3, 3, 2], 1, 2, 'float32', 5);
    const mix = tf.randomNormal([4, 3, 3, 2], 0, 1, 'float32', 6);
    const run = (m: tf.LayersModel): number[][] =>
      tf.tidy(() => {
        const vars = m.trainableWeights.map((w) => w.read() as tf.Variable);
        const loss = (input: tf.Tensor): tf.Scalar =>
          (m.apply(input, { training: true }) as tf.Tensor).mul(mix).sum() as tf.Scalar;
        const dx = tf.grad(loss)(x);
        const { grads } = tf.variableGrads(() => loss(x), vars);
        const moving = m.weights.filter((w) => !w.trainable).map((w) => Array.from(w.read().dataSync()));
        return [
          Array.from((m.apply(x, { training: true }) as tf.Tensor).dataSync()),
          Array.from(dx.dataSync()),
          ...vars.map((v) => Array.from(grads[v.name].dataSync())),
          ...moving,
        ];
      });
    const [a, b] = [run(ours), run(reference)];
    assert.equal(a.length, b.length);
    a.forEach((values, i) =>
      values.forEach((v, j) =>
        assert.ok(Math.abs(v - b[i][j]) < 1e-4, `part ${i}[${j}]: ${v} vs ${b[i][j]}`),
      ),
    );
    tf.dispose([x, mix, ...gammaBeta]);
    ours.dispose();
    reference.dispose();
  });
});
