// stackgan (Zhang et al. 2017): the text encoder (averaged word embeddings over the vocabulary of
// the training captions), conditioning augmentation per generator (μ and log σ² from the text
// embedding, c = μ + σ·ε, with its KL term), stage I (z + c → the stage-I size) and stage II
// (stage-I image + c as planes → the data size), each with a matching-aware discriminator that
// sees the caption embedding compressed to `augment` planes. Until `stage1 steps` only stage I
// trains (its discriminator trains the text encoder); then stage II trains with stage I, its
// augmentation and the encoder frozen. The stage follows from the step, which checkpoints
// restore; the vocabulary is saved with every checkpoint, so a resumed run and sampling use the
// same words.
import * as tf from '@tensorflow/tfjs';
import type { ResolvedModel } from '../../../language/model';
import { requireNetwork } from './gan';
import type { DataSource, StepMetrics } from '../../contract';
import type { SampleRequest } from '../../../protocol/sample';
import { compileNetwork } from '../compile';
import { bceWithLogits } from '../losses';
import { latentValues } from '../noise';
import { createOptimizer } from '../optimizers';
import type { ImageGrid } from '../png';
import { resizeImages } from '../resize';
import { CounterRng } from '../rng';
import { mixSeeds } from '../../seeds';
import { CaptionVocabulary, vocabularyOf, type Vocabulary } from '../text';
import {
  feedDropouts,
  gridOf,
  imageTensor,
  minimize,
  numberParam,
  readScalars,
  trainableVariables,
  type Family,
  type FamilyDeps,
  type TrainingFamily,
} from './family';

/** The settings the trainer reads, with the schema's defaults filled in by the checker. */
export interface StackganSpec {
  readonly embed: number;
  readonly vocab: number;
  readonly augment: number;
  readonly kl: number;
  readonly low: readonly [number, number];
  readonly stage1Steps: number;
}

export function stackganSpec(model: ResolvedModel): StackganSpec {
  const { text, augment, stage1 } = model.settings;
  const size = stage1?.size;
  if (!augment || !stage1 || !Array.isArray(size)) throw new Error(`model ${model.name} is not a stackgan`);
  return {
    embed: numberParam(text ?? {}, 'embed', 64),
    vocab: numberParam(text ?? {}, 'vocab', 1000),
    augment: numberParam(augment, 'size', 16),
    kl: numberParam(augment, 'kl', 1),
    low: [size[0], size[1]],
    stage1Steps: numberParam(stage1, 'steps', 0),
  };
}

/** A dense layer as its own model (the text encoder, augmentations and critics' compressions). */
function denseModel(name: string, input: number, units: number, bias: boolean, seed: number): tf.LayersModel {
  const x = tf.input({ shape: [input], name: `${name}_input` });
  const y = tf.layers
    .dense({
      units,
      useBias: bias,
      name: `${name}_dense`,
      kernelInitializer: tf.initializers.glorotUniform({ seed: mixSeeds(seed, units, input) }),
    })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: y, name });
}

/** The code joined to an image as constant planes: [n, h, w, C + k]. */
function withPlanes(images: tf.Tensor4D, code: tf.Tensor2D): tf.Tensor4D {
  const [n, h, w] = images.shape;
  const planes = code.reshape([n, 1, 1, code.shape[1]]).tile([1, h, w, 1]);
  return tf.concat([images, planes], 3) as tf.Tensor4D;
}

/** The captions of the batch paired with other images (each image gets the next one's caption). */
export function wrongCaptions(captions: readonly string[]): string[] {
  return captions.map((_, i) => captions[(i + 1) % captions.length]);
}

/** The mean and log-variance heads' draw: c = μ + σ·ε. */
function drawCode(ca: tf.LayersModel, embedding: tf.Tensor2D, eps: tf.Tensor2D): tf.Tensor2D {
  const k = eps.shape[1];
  const out = ca.apply(embedding, { training: false }) as tf.Tensor2D;
  return out
    .slice([0, 0], [-1, k])
    .add(out.slice([0, k], [-1, k]).clipByValue(-10, 10).mul(0.5).exp().mul(eps));
}

/** Stage-II images for captions (evaluation), one noise draw each from `seed`. */
export async function generateFromCaptions(
  model: ResolvedModel,
  networks: Readonly<Record<string, tf.LayersModel>>,
  captions: readonly string[],
  seed: number,
): Promise<Float32Array> {
  const { text_encoder: encoder, augment1, augment2, generator, generator2 } = networks;
  const vocabulary = encoder ? vocabularyOf(encoder) : undefined;
  if (!encoder || !augment1 || !augment2 || !generator || !generator2 || !vocabulary)
    throw new Error(
      `${model.name}: stackgan evaluation needs its networks and vocabulary (load a checkpoint)`,
    );
  const latent = model.latent;
  if (!latent) throw new Error('stackgan needs a latent section');
  const k = stackganSpec(model).augment;
  const scale = model.data[0].scale;
  const rng = new CounterRng(seed);
  const parts: Float32Array[] = [];
  for (let start = 0; start < captions.length; start += 64) {
    const chunk = captions.slice(start, start + 64);
    const n = chunk.length;
    const z = latentValues(rng, n, latent);
    const eps1 = rng.fillNormal(new Float32Array(n * k));
    const eps2 = rng.fillNormal(new Float32Array(n * k));
    const out = tf.tidy(() => {
      const e = encoder.apply(vocabulary.bags(chunk)) as tf.Tensor2D;
      const c1 = drawCode(augment1, e, tf.tensor2d(eps1, [n, k]));
      const low = generator.apply(tf.concat([tf.tensor2d(z, [n, latent.size]), c1], 1), {
        training: false,
      }) as tf.Tensor4D;
      const c2 = drawCode(augment2, e, tf.tensor2d(eps2, [n, k]));
      return (generator2.apply(withPlanes(low, c2), { training: false }) as tf.Tensor).clipByValue(
        scale[0],
        scale[1],
      );
    });
    parts.push((await out.data()) as Float32Array);
    out.dispose();
  }
  const all = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    all.set(p, offset);
    offset += p.length;
  }
  return all;
}

export class StackganFamily implements Family {
  readonly networks: Readonly<Record<string, tf.LayersModel>>;
  readonly optimizers: Readonly<Record<string, tf.Optimizer>>;
  readonly imagesPerStep: number;
  readonly batchesPerStep = 1;
  readonly spec: StackganSpec;
  private readonly model: ResolvedModel;
  private readonly source: DataSource;
  private readonly rng: CounterRng;
  private readonly net: {
    readonly g1: tf.LayersModel;
    readonly d1: tf.LayersModel;
    readonly g2: tf.LayersModel;
    readonly d2: tf.LayersModel;
    readonly encoder: tf.LayersModel;
    readonly ca1: tf.LayersModel;
    readonly ca2: tf.LayersModel;
    readonly code1: tf.LayersModel;
    readonly code2: tf.LayersModel;
  };
  private readonly vocabulary: CaptionVocabulary;

  constructor(deps: FamilyDeps) {
    this.model = deps.model;
    this.source = deps.sources[0];
    this.rng = deps.rng;
    this.spec = stackganSpec(this.model);
    const seed = this.model.train.seed;
    const { embed, augment, vocab } = this.spec;
    const compiled = (['generator', 'discriminator', 'generator2', 'discriminator2'] as const).map((role) =>
      compileNetwork(requireNetwork(deps, role), role, seed),
    );
    feedDropouts(
      compiled.flatMap((c) => c.dropouts),
      deps.rng,
    );
    const [g1, d1, g2, d2] = compiled.map((c) => c.model);
    this.net = {
      g1,
      d1,
      g2,
      d2,
      encoder: denseModel('text_encoder', vocab + 1, embed, false, mixSeeds(seed, 1)),
      ca1: denseModel('augment1', embed, 2 * augment, true, mixSeeds(seed, 2)),
      ca2: denseModel('augment2', embed, 2 * augment, true, mixSeeds(seed, 3)),
      code1: denseModel('text_code1', embed, augment, true, mixSeeds(seed, 4)),
      code2: denseModel('text_code2', embed, augment, true, mixSeeds(seed, 5)),
    };
    const n = this.net;
    this.networks = {
      generator: g1,
      discriminator: d1,
      generator2: g2,
      discriminator2: d2,
      text_encoder: n.encoder,
      augment1: n.ca1,
      augment2: n.ca2,
      text_code1: n.code1,
      text_code2: n.code2,
    };
    const opt = this.model.optimizers;
    const pick = (...specs: (typeof opt.generator)[]) => {
      const spec = specs.find((s) => s);
      if (!spec) throw new Error('the model has no optimizer');
      return createOptimizer(spec);
    };
    this.optimizers = {
      generator: pick(opt.generator, opt.discriminator),
      discriminator: pick(opt.discriminator, opt.generator),
      generator2: pick(opt.generator2, opt.generator, opt.discriminator),
      discriminator2: pick(opt.discriminator2, opt.discriminator, opt.generator),
    };
    this.imagesPerStep = this.model.data[0].batch;
    this.vocabulary = new CaptionVocabulary(this.source, vocab, 'a stackgan');
    this.vocabulary.serve(this.net.encoder);
    this.state = this.vocabulary.state;
  }

  private words(): Vocabulary {
    return this.vocabulary.get();
  }

  /** Captions as the text encoder reads them (normalised bags of words, [n × (vocab + 1)]). */
  wordBags(captions: readonly string[]): Float32Array {
    const bags = this.words().bags(captions);
    const values = bags.dataSync() as Float32Array;
    bags.dispose();
    return values;
  }

  /** The vocabulary travels with each checkpoint (checkpoint.ts calls these). */
  readonly state: CaptionVocabulary['state'];

  /** Conditioning augmentation: the code drawn around the embedding, and its KL to N(0, I). */
  private augment(
    ca: tf.LayersModel,
    embedding: tf.Tensor2D,
    eps: tf.Tensor2D,
  ): { code: tf.Tensor2D; kl: tf.Scalar } {
    const k = this.spec.augment;
    const out = ca.apply(embedding, { training: true }) as tf.Tensor2D;
    const mu = out.slice([0, 0], [-1, k]);
    const logVar = out.slice([0, k], [-1, k]).clipByValue(-10, 10);
    const code = mu.add(logVar.mul(0.5).exp().mul(eps)) as tf.Tensor2D;
    const kl = mu.square().add(logVar.exp()).sub(1).sub(logVar).sum(1).mean().mul(0.5) as tf.Scalar;
    return { code, kl };
  }

  private stage1Images(
    z: tf.Tensor2D,
    embedding: tf.Tensor2D,
    eps: tf.Tensor2D,
    training: boolean,
  ): { images: tf.Tensor4D; kl: tf.Scalar } {
    const { code, kl } = this.augment(this.net.ca1, embedding, eps);
    const images = this.net.g1.apply(tf.concat([z, code], 1), { training }) as tf.Tensor4D;
    return { images, kl };
  }

  private stage2Images(
    low: tf.Tensor4D,
    embedding: tf.Tensor2D,
    eps: tf.Tensor2D,
    training: boolean,
  ): { images: tf.Tensor4D; kl: tf.Scalar } {
    const { code, kl } = this.augment(this.net.ca2, embedding, eps);
    const images = this.net.g2.apply(withPlanes(low, code), { training }) as tf.Tensor4D;
    return { images, kl };
  }

  /** Noise for n images: z and the two augmentations' ε, from one stream. */
  private noise(rng: CounterRng, n: number): { z: tf.Tensor2D; eps1: tf.Tensor2D; eps2: tf.Tensor2D } {
    const latent = this.model.latent;
    if (!latent) throw new Error('stackgan needs a latent section');
    const k = this.spec.augment;
    const z = tf.tensor2d(latentValues(rng, n, latent), [n, latent.size]);
    const eps1 = tf.tensor2d(rng.fillNormal(new Float32Array(n * k)), [n, k]);
    const eps2 = tf.tensor2d(rng.fillNormal(new Float32Array(n * k)), [n, k]);
    return { z, eps1, eps2 };
  }

  async trainStep(step: number): Promise<StepMetrics> {
    const batch = await this.source.next();
    if (!batch.captions) throw new Error('the data gave images without captions');
    const vocabulary = this.words();
    const first = step < this.spec.stage1Steps;
    const n = batch.count;
    const noise = this.noise(this.rng, n);
    const scalars = tf.tidy(() => {
      const right = vocabulary.bags(batch.captions ?? []);
      const wrong = vocabulary.bags(wrongCaptions(batch.captions ?? []));
      const full = imageTensor(batch, this.source.shape);
      const [h, w] = this.spec.low;
      const scale = this.model.data[0].scale;
      const net = this.net;
      const real = first
        ? (resizeImages(full, h, w, 'area').clipByValue(scale[0], scale[1]) as tf.Tensor4D)
        : full;
      const critic = first ? net.d1 : net.d2;
      const compress = first ? net.code1 : net.code2;
      // The stage's fakes for the critic (no gradient reaches the generators from this update).
      const embedding = net.encoder.apply(right) as tf.Tensor2D;
      const low = this.stage1Images(noise.z, embedding, noise.eps1, first);
      const fake = first ? low.images : this.stage2Images(low.images, embedding, noise.eps2, true).images;
      const dVariables = first
        ? trainableVariables(critic, compress, net.encoder)
        : trainableVariables(critic, compress);
      const outputs: { real?: tf.Scalar; fake?: tf.Scalar; wrong?: tf.Scalar } = {};
      const dLoss = minimize(
        first ? this.optimizers.discriminator : this.optimizers.discriminator2,
        dVariables,
        () => {
          const e = net.encoder.apply(right) as tf.Tensor2D;
          const ew = net.encoder.apply(wrong) as tf.Tensor2D;
          const c = compress.apply(e) as tf.Tensor2D;
          const cw = compress.apply(ew) as tf.Tensor2D;
          const onReal = critic.apply(withPlanes(real, c), { training: true }) as tf.Tensor;
          const onFake = critic.apply(withPlanes(fake, c), { training: true }) as tf.Tensor;
          const onWrong = critic.apply(withPlanes(real, cw), { training: true }) as tf.Tensor;
          outputs.real = tf.keep(tf.sigmoid(onReal).mean() as tf.Scalar);
          outputs.fake = tf.keep(tf.sigmoid(onFake).mean() as tf.Scalar);
          outputs.wrong = tf.keep(tf.sigmoid(onWrong).mean() as tf.Scalar);
          return bceWithLogits(onReal, 1).add(
            bceWithLogits(onFake, 0).add(bceWithLogits(onWrong, 0)).mul(0.5),
          );
        },
      );
      const kept: { kl?: tf.Scalar } = {};
      const gVariables = first ? trainableVariables(net.g1, net.ca1) : trainableVariables(net.g2, net.ca2);
      const gLoss = minimize(
        first ? this.optimizers.generator : this.optimizers.generator2,
        gVariables,
        () => {
          const e = net.encoder.apply(right) as tf.Tensor2D;
          const c = compress.apply(e) as tf.Tensor2D;
          const one = this.stage1Images(noise.z, e, noise.eps1, first);
          const drawn = first ? one : this.stage2Images(one.images, e, noise.eps2, true);
          kept.kl = tf.keep(drawn.kl);
          const onFake = critic.apply(withPlanes(drawn.images, c), { training: true }) as tf.Tensor;
          return bceWithLogits(onFake, 1).add(drawn.kl.mul(this.spec.kl));
        },
      );
      if (!outputs.real || !outputs.fake || !outputs.wrong || !kept.kl)
        throw new Error('stackgan losses were not evaluated');
      return {
        g_loss: gLoss,
        d_loss: dLoss,
        kl: kept.kl,
        d_real: outputs.real,
        d_fake: outputs.fake,
        d_wrong: outputs.wrong,
        stage: tf.scalar(first ? 1 : 2),
      };
    });
    tf.dispose(noise);
    return readScalars(scalars);
  }

  /** The captions a grid shows: the request's prompts, else held-out captions (one per row). */
  private async rowCaptions(request: SampleRequest, rows: number): Promise<string[]> {
    if (request.text?.length) return [...request.text];
    const held = await this.source.heldOut(rows);
    if (!held.captions) throw new Error('the held-out images have no captions');
    return [...held.captions];
  }

  /** One row per caption; columns in pairs (stage I enlarged, stage II) for ⌊cols / 2⌋ noise draws. */
  async render(request: SampleRequest): Promise<ImageGrid> {
    const [askedRows, askedCols] = gridOf(request, this.model);
    const rows = request.text?.length ? request.text.length : askedRows;
    const draws = Math.max(1, Math.floor(askedCols / 2));
    const cols = draws * 2;
    const data = this.model.data[0];
    const [h, w, c] = data.shape;
    const captions = await this.rowCaptions(request, rows);
    const vocabulary = this.words();
    const noise = this.noise(new CounterRng(request.seed ?? this.model.sample.seed), draws);
    const size = h * w * c;
    const pixels = new Float32Array(rows * cols * size);
    for (let r = 0; r < rows; r++) {
      const pair = tf.tidy(() => {
        const e = this.net.encoder.apply(
          vocabulary.bags(Array.from({ length: draws }, () => captions[r])),
        ) as tf.Tensor2D;
        const low = this.stage1Images(noise.z, e, noise.eps1, false).images;
        const high = this.stage2Images(low, e, noise.eps2, false).images;
        const shown = tf.image.resizeNearestNeighbor(low, [h, w]);
        // [draws, 2, h, w, c]: stage I beside stage II for each draw.
        return tf.stack([shown, high], 1).clipByValue(data.scale[0], data.scale[1]);
      });
      pixels.set(await pair.data(), r * cols * size);
      pair.dispose();
    }
    tf.dispose(noise);
    return { rows, cols, pixels, shape: data.shape, scale: data.scale };
  }

  dispose(): void {
    for (const o of Object.values(this.optimizers)) o.dispose();
    for (const m of Object.values(this.networks)) m.dispose();
  }
}

export const stackganTraining: TrainingFamily = {
  create: (deps) => new StackganFamily(deps),
  metrics: ['g_loss', 'd_loss', 'kl', 'd_real', 'd_fake', 'd_wrong', 'stage'],
  sampleModes: ['grid'],
  divergenceAdvice: 'a larger `augment kl` weight or a smaller stage-I size',
};
