// Evaluates a model's networks: makes fresh outputs, embeds them with the data source's feature
// network and compares them with the held-out real images. FID, KID and precision/recall/density/
// coverage are computed when asked (each on its own number of samples); class statistics, the
// discriminator's accuracy and the VAE's held-out measures come with every evaluation.
import { join } from 'node:path';
import type { EvalMetricName, ResolvedModel } from '../../language/model';
import type { DataSource } from '../contract';
import { openDataSource } from '../data';
import { chanceAccuracy, classHistogram, entropy, inceptionScore, labelAccuracy } from './classStats';
import { discriminatorAccuracy } from './discriminatorAccuracy';
import { withinClassDiversity } from './diversity';
import { FAMILY_EVALUATION, type EvalContext, type Networks } from './familyEval';
import { openFeatureNetwork, type FeatureNetwork, type FeatureNetworkOptions } from './featureNetwork';
import { frechetDistance } from './fid';
import { kernelDistance } from './kid';
import { gaussianStats, type FeatureRows } from './linalg';
import { manifoldMetrics } from './manifold';
import { referenceFor } from './reference';

export const EVAL_PREFIX = 'eval/';
/** Class histogram entries are logged as eval/class/<class name>. */
export const CLASS_PREFIX = 'eval/class/';

export interface EvalRequest {
  /** The metrics to compute and how many generated images each uses. */
  readonly samples: Readonly<Partial<Record<EvalMetricName, number>>>;
  readonly seed?: number;
}

export interface EvalResult {
  /** eval/fid, eval/kid, eval/precision, …, eval/class/<name>. */
  readonly values: Readonly<Record<string, number>>;
  /** Which features the distances were measured in, e.g. "MNIST classifier". */
  readonly features: string;
  readonly seconds: number;
}

/** Held-out images per VAE measure and for the discriminator's accuracy. */
const HELD_OUT_CHECK = 1000;
const DEFAULT_SEED = 0x65766c;

function firstRows(rows: FeatureRows, n: number): FeatureRows {
  if (n >= rows.count) return rows;
  return { count: n, dim: rows.dim, values: rows.values.subarray(0, n * rows.dim) };
}

export class Evaluator {
  private constructor(
    readonly model: ResolvedModel,
    readonly network: FeatureNetwork,
    private readonly sources: readonly DataSource[],
    private readonly baseDir: string,
    private readonly cacheDir: string,
  ) {}

  static async open(model: ResolvedModel, options: FeatureNetworkOptions): Promise<Evaluator> {
    const family = FAMILY_EVALUATION[model.family];
    const network = await openFeatureNetwork(model.data[family.target], options);
    const sources = await Promise.all(
      model.data.map((spec) =>
        openDataSource({ ...spec, limit: null }, { seed: 0, baseDir: options.baseDir }),
      ),
    );
    return new Evaluator(model, network, sources, options.baseDir, join(options.ganDir, 'eval-cache'));
  }

  /** The feature description metric names carry: "FID (MNIST classifier features)". */
  get features(): string {
    return this.network.label;
  }

  async evaluate(networks: Networks, request: EvalRequest): Promise<EvalResult> {
    const started = performance.now();
    const model = this.model;
    const family = FAMILY_EVALUATION[model.family];
    const target = model.data[family.target];
    const ctx: EvalContext = {
      model,
      networks,
      heldOut: (source, n) => this.sources[source].heldOut(n),
    };
    const reference = await referenceFor(target, this.network, this.baseDir, this.cacheDir);
    const { nll: measured, ...sampled } = request.samples;
    const wanted = Object.values(sampled).filter((n): n is number => typeof n === 'number');
    // Sequential families draw each pixel with its own network pass: only what a metric asks for.
    const n = family.sequential ? Math.max(0, ...wanted) : Math.max(HELD_OUT_CHECK, ...wanted);
    const values: Record<string, number> = {};
    const generated = n > 0 ? await family.generate(ctx, n, request.seed ?? DEFAULT_SEED) : null;
    const check = await this.sources[family.target].heldOut(HELD_OUT_CHECK);
    if (generated) {
      const embedding = this.network.embed(generated.images, generated.count, target);
      const fake = embedding.features;
      const real = reference.embedding.features;
      if (request.samples.fid)
        values[`${EVAL_PREFIX}fid`] = frechetDistance(
          gaussianStats(firstRows(fake, request.samples.fid)),
          reference.stats,
        );
      if (request.samples.kid) {
        const kid = kernelDistance(firstRows(fake, request.samples.kid), real, {
          subsetSize: Math.min(1000, request.samples.kid),
        });
        values[`${EVAL_PREFIX}kid`] = kid.mean;
        values[`${EVAL_PREFIX}kid_std`] = kid.std;
      }
      if (request.samples.pr) {
        const m = manifoldMetrics(real, firstRows(fake, request.samples.pr), {
          maxSamples: request.samples.pr,
        });
        values[`${EVAL_PREFIX}precision`] = m.precision;
        values[`${EVAL_PREFIX}recall`] = m.recall;
        values[`${EVAL_PREFIX}density`] = m.density;
        values[`${EVAL_PREFIX}coverage`] = m.coverage;
      }
      if (embedding.probabilities) {
        const histogram = classHistogram(embedding.probabilities);
        values[`${EVAL_PREFIX}class_entropy`] = entropy(histogram);
        if (reference.classEntropy !== null)
          values[`${EVAL_PREFIX}data_class_entropy`] = reference.classEntropy;
        values[`${EVAL_PREFIX}is`] = inceptionScore(embedding.probabilities);
        if (generated.labels) {
          values[`${EVAL_PREFIX}cond_acc`] = labelAccuracy(embedding.probabilities, generated.labels);
          values[`${EVAL_PREFIX}cond_acc_chance`] = chanceAccuracy(embedding.probabilities, generated.labels);
          // The classifier's own accuracy on labelled real images: the ceiling cond_acc is read against.
          const real = this.network.embed(check.images, check.count, target).probabilities;
          if (real && check.labels) values[`${EVAL_PREFIX}cond_acc_real`] = labelAccuracy(real, check.labels);
        }
        const names = this.network.classNames ?? [];
        histogram.forEach((share, c) => (values[`${CLASS_PREFIX}${names[c] ?? c}`] = share));
      }
    }
    if (family.discriminate && generated) {
      const fakes = {
        ...generated,
        count: HELD_OUT_CHECK,
        images: generated.images.subarray(0, HELD_OUT_CHECK * pixels(target.shape)),
        labels: generated.labels?.subarray(0, HELD_OUT_CHECK) ?? null,
      };
      const acc = discriminatorAccuracy(model.loss.kind, await family.discriminate(ctx, check, fakes));
      values[`${EVAL_PREFIX}d_acc`] = acc.accuracy;
      values[`${EVAL_PREFIX}d_acc_real`] = acc.real;
      values[`${EVAL_PREFIX}d_acc_fake`] = acc.fake;
    }
    if (generated?.labels && check.labels) {
      const diversity = withinClassDiversity(
        { images: generated.images, labels: generated.labels },
        { images: check.images, labels: check.labels },
        pixels(target.shape),
      );
      if (Number.isFinite(diversity)) values[`${EVAL_PREFIX}class_diversity`] = diversity;
    }
    // `nll` asks for its own number of held-out images; other measures use the check set.
    const held = measured ? await this.sources[family.target].heldOut(measured) : check;
    if (family.measure) Object.assign(values, await family.measure(ctx, held, this.network));
    const seconds = (performance.now() - started) / 1000;
    values[`${EVAL_PREFIX}seconds`] = Math.round(seconds * 1000) / 1000;
    return { values, features: this.network.label, seconds };
  }

  dispose(): void {
    this.network.dispose();
    for (const s of this.sources) s.dispose();
  }
}

function pixels(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
