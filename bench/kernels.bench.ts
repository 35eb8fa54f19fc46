// Median ms per DCGAN training step (D update + G update) on the wasm backend with the project's
// kernels vs the plain JavaScript cpu backend. The networks are those of examples/mnist-dcgan.gan
// (model dcgan, or dcgan_small), built with plain tf.layers; the data is random.
//
//   node --import tsx bench/kernels.bench.ts [--model dcgan|dcgan_small|all] [--batch 64]
//        [--steps 5] [--cpu-steps 1] [--threads N] [--backends wasm,cpu]
//
// The cpu backend needs minutes per full-size DCGAN step, hence its own (small) step count.
import * as tf from '@tensorflow/tfjs';
import { parseArgs } from 'node:util';
import { initBackend } from '../src/training/backend';

interface DcganSpec {
  readonly name: string;
  readonly latent: number;
  /** Generator: dense to 7x7xseed, then (filters, stride) transposed convolutions. */
  readonly seedChannels: number;
  readonly deconvs: ReadonlyArray<readonly [number, number]>;
  readonly kernel: number;
  /** Discriminator: (filters, stride) convolutions. */
  readonly convs: ReadonlyArray<readonly [number, number]>;
  readonly dropout: number;
}

const specs: Record<string, DcganSpec> = {
  dcgan: {
    name: 'dcgan',
    latent: 100,
    seedChannels: 256,
    deconvs: [
      [128, 1],
      [64, 2],
    ],
    kernel: 5,
    convs: [
      [64, 2],
      [128, 2],
    ],
    dropout: 0.3,
  },
  dcgan_small: {
    name: 'dcgan_small',
    latent: 64,
    seedChannels: 64,
    deconvs: [[32, 2]],
    kernel: 4,
    convs: [
      [32, 2],
      [64, 2],
    ],
    dropout: 0,
  },
};

function buildGenerator(spec: DcganSpec): tf.Sequential {
  const g = tf.sequential();
  g.add(tf.layers.dense({ inputShape: [spec.latent], units: 7 * 7 * spec.seedChannels, useBias: false }));
  g.add(tf.layers.batchNormalization());
  g.add(tf.layers.leakyReLU({ alpha: 0.3 }));
  g.add(tf.layers.reshape({ targetShape: [7, 7, spec.seedChannels] }));
  for (const [filters, strides] of spec.deconvs) {
    g.add(
      tf.layers.conv2dTranspose({
        filters,
        kernelSize: spec.kernel,
        strides,
        padding: 'same',
        useBias: false,
      }),
    );
    g.add(tf.layers.batchNormalization());
    g.add(tf.layers.leakyReLU({ alpha: 0.3 }));
  }
  g.add(
    tf.layers.conv2dTranspose({
      filters: 1,
      kernelSize: spec.kernel,
      strides: 2,
      padding: 'same',
      activation: 'tanh',
    }),
  );
  return g;
}

function buildDiscriminator(spec: DcganSpec): tf.Sequential {
  const d = tf.sequential();
  spec.convs.forEach(([filters, strides], i) => {
    d.add(
      tf.layers.conv2d({
        ...(i === 0 ? { inputShape: [28, 28, 1] } : {}),
        filters,
        kernelSize: spec.kernel,
        strides,
        padding: 'same',
      }),
    );
    d.add(tf.layers.leakyReLU({ alpha: 0.3 }));
    if (spec.dropout > 0) d.add(tf.layers.dropout({ rate: spec.dropout }));
  });
  d.add(tf.layers.flatten());
  d.add(tf.layers.dense({ units: 1 }));
  return d;
}

/** Returns a function doing one full GAN step (nonsaturating loss, Adam 2e-4, beta1 0.5). */
function makeTrainingStep(spec: DcganSpec, batch: number): { step: () => void; dispose: () => void } {
  const g = buildGenerator(spec);
  const d = buildDiscriminator(spec);
  const gOptimizer = tf.train.adam(2e-4, 0.5);
  const dOptimizer = tf.train.adam(2e-4, 0.5);
  const real = tf.randomUniform([batch, 28, 28, 1], -1, 1);
  const logits = (model: tf.Sequential, x: tf.Tensor): tf.Tensor =>
    model.apply(x, { training: true }) as tf.Tensor;
  const bce = (target: number, x: tf.Tensor): tf.Scalar =>
    tf.losses.sigmoidCrossEntropy(tf.fill(x.shape, target), x) as tf.Scalar;
  const dVars = d.trainableWeights.map((w) => w.read() as tf.Variable);
  const gVars = g.trainableWeights.map((w) => w.read() as tf.Variable);
  const step = (): void => {
    dOptimizer.minimize(
      () => {
        const fake = logits(g, tf.randomNormal([batch, spec.latent]));
        return bce(1, logits(d, real)).add(bce(0, logits(d, fake)));
      },
      false,
      dVars,
    );
    const gLoss = gOptimizer.minimize(
      () => bce(1, logits(d, logits(g, tf.randomNormal([batch, spec.latent])))),
      true,
      gVars,
    );
    gLoss?.dataSync();
    gLoss?.dispose();
  };
  const dispose = (): void => {
    g.dispose();
    d.dispose();
    gOptimizer.dispose();
    dOptimizer.dispose();
    real.dispose();
  };
  return { step, dispose };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface Measurement {
  readonly steps: number;
  /** Median wall-clock ms per step. */
  readonly wallMs: number;
  /** Median CPU ms per step (all threads of the process), a steadier figure on a busy machine. */
  readonly cpuMs: number;
}

async function measure(backend: string, spec: DcganSpec, batch: number, steps: number): Promise<Measurement> {
  await tf.setBackend(backend);
  const { step, dispose } = makeTrainingStep(spec, batch);
  // One untimed step builds the XNNPACK operators and the optimizers' slots (too slow on cpu
  // to be worth it: there the setup is a rounding error).
  if (backend !== 'cpu') step();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < steps; i++) {
    const startCpu = process.cpuUsage();
    const start = performance.now();
    step();
    wall.push(performance.now() - start);
    const used = process.cpuUsage(startCpu);
    cpu.push((used.user + used.system) / 1000);
  }
  dispose();
  return { steps, wallMs: median(wall), cpuMs: median(cpu) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string', default: 'all' },
      batch: { type: 'string', default: '64' },
      steps: { type: 'string', default: '5' },
      'cpu-steps': { type: 'string', default: '1' },
      threads: { type: 'string' },
      backends: { type: 'string', default: 'wasm,cpu' },
    },
  });
  const batch = Number(values.batch);
  const backends = (values.backends ?? '').split(',').filter(Boolean);
  const models = values.model === 'all' ? Object.values(specs) : [specs[values.model ?? '']];
  if (models.some((m) => !m))
    throw new Error(`unknown --model ${values.model}; use dcgan, dcgan_small or all`);
  const wasm = await initBackend('wasm', values.threads ? { threads: Number(values.threads) } : {});
  const label: Record<string, string> = { wasm: wasm.device, cpu: 'CPU (JavaScript)' };

  for (const spec of models) {
    console.log(
      `\n${spec.name} (examples/mnist-dcgan.gan), batch ${batch}: median ms per training step (D + G)`,
    );
    const results = new Map<string, Measurement>();
    for (const backend of backends) {
      const steps = backend === 'cpu' ? Number(values['cpu-steps']) : Number(values.steps);
      const result = await measure(backend, spec, batch, steps);
      results.set(backend, result);
      console.log(
        `  ${(label[backend] ?? backend).padEnd(30)} ${result.wallMs.toFixed(1).padStart(11)} ms wall` +
          `  ${result.cpuMs.toFixed(1).padStart(11)} ms cpu time  (${steps} timed steps)`,
      );
    }
    const cpu = results.get('cpu');
    const fast = results.get('wasm');
    if (cpu && fast) {
      console.log(
        `  wasm vs cpu: ${(cpu.wallMs / fast.wallMs).toFixed(1)}x faster (wall), ` +
          `${(cpu.cpuMs / fast.cpuMs).toFixed(1)}x less cpu time`,
      );
    }
  }
  process.exit(0);
}

void main();
