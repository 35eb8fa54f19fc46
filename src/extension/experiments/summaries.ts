// Turns a run folder (as the reader returns it) into what the webviews show: the dashboard's
// RunSummary (with a flat settings table for comparing runs) and the preview's PreviewRun. Pure.
// The resolved model of a run comes from the language server (ServerModels.resolveModel).
import { asSkippedFiles, describeDataSkipped } from '../../protocol/dataSkipped';
import type { ResolvedModel } from '../../language/model';
import type { PreviewRun, RunSummary } from '../../protocol/webview';
import { featureLabel } from '../../protocol/featureLabel';
import type { RunInfo } from '../../training/runs/runInfo';

type Setting = string | number | boolean;

function addParams(out: Record<string, Setting>, prefix: string, params: Readonly<Record<string, unknown>>) {
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean')
      out[`${prefix}.${name}`] = value;
    else if (Array.isArray(value)) out[`${prefix}.${name}`] = value.join('x');
  }
}

/** The settings that tell runs apart, as flat `section.name` pairs. */
export function flattenSettings(model: ResolvedModel): Record<string, Setting> {
  const out: Record<string, Setting> = { family: model.family };
  model.data.forEach((data, i) => {
    const prefix = model.data.length > 1 ? `data.${data.domain ?? i}` : 'data';
    out[`${prefix}.source`] = data.source;
    out[`${prefix}.batch`] = data.batch;
    out[`${prefix}.size`] = data.shape.join('x');
  });
  if (model.latent) out['latent'] = model.latent.size;
  if (model.condition) {
    // Only what this family's `condition` reads (pixelcnn: classes alone).
    for (const setting of model.condition.reads) out[`condition.${setting}`] = model.condition[setting];
  }
  if (model.textCondition) {
    out['condition'] = 'text';
    for (const [name, value] of Object.entries(model.textCondition)) out[`condition.${name}`] = value;
  }
  out['loss'] = model.loss.kind;
  addParams(out, 'loss', model.loss.params);
  for (const [role, optimizer] of Object.entries(model.optimizers)) {
    if (!optimizer) continue;
    out[`optimizer.${role}`] = optimizer.kind;
    out[`optimizer.${role}.lr`] = optimizer.lr;
    if (optimizer.kind === 'adam') {
      out[`optimizer.${role}.beta1`] = optimizer.beta1;
      out[`optimizer.${role}.beta2`] = optimizer.beta2;
    }
  }
  for (const [role, network] of Object.entries(model.networks)) {
    if (network) out[`${role}.params`] = network.paramCount;
  }
  const train = model.train;
  if (train.steps !== null) out['train.steps'] = train.steps;
  if (train.epochs !== null) out['train.epochs'] = train.epochs;
  out['train.d_steps'] = train.dSteps;
  out['train.seed'] = train.seed;
  if (train.ema !== null) out['train.ema'] = train.ema;
  if (Object.keys(model.evaluate).length) out['eval.features'] = featureLabel(model);
  return out;
}

export function runSummary(
  info: RunInfo,
  model: ResolvedModel | null,
  live?: { readonly imagesPerSec?: number; readonly etaSeconds?: number | null },
): RunSummary {
  return {
    id: info.id,
    model: info.model,
    family: info.family,
    backend: info.engine ? info.engine.name : info.backend,
    device: info.device,
    status: info.status,
    step: info.step,
    totalSteps: info.totalSteps,
    settings: model ? flattenSettings(model) : { family: info.family },
    ...(live?.imagesPerSec !== undefined ? { imagesPerSec: live.imagesPerSec } : {}),
    ...(live?.etaSeconds !== undefined && live.etaSeconds !== null ? { etaSeconds: live.etaSeconds } : {}),
    ...(info.error ? { error: info.error } : {}),
    ...(info.health?.length ? { health: info.health } : {}),
    ...(model?.loss.readout ? { criticReadout: model.loss.readout } : {}),
    ...(model
      ? {
          rows: {
            grid: model.sample.grid,
            classes: model.condition?.classes ?? null,
            classNames: info.classNames ?? null,
            latent: model.latent?.size ?? null,
            frames: clipFramesOf(model),
          },
        }
      : {}),
    ...dataSkippedOf(info),
  };
}

function dataSkippedOf(info: RunInfo): { dataSkipped?: string } {
  const skipped = asSkippedFiles(info.dataSkipped);
  return skipped?.count ? { dataSkipped: describeDataSkipped(skipped) } : {};
}

export function previewRun(
  info: RunInfo,
  model: ResolvedModel | null,
  checkpoints: readonly number[],
): PreviewRun {
  return {
    id: info.id,
    model: info.model,
    family: info.family,
    classes: model?.condition?.classes ?? null,
    ...(model ? { captions: model.captioned } : {}),
    ...(info.classNames ? { classNames: info.classNames } : {}),
    latent: model?.latent?.size ?? null,
    checkpoints,
    grid: model?.sample.grid ?? [4, 4],
    seed: model?.sample.seed ?? info.seed,
    frames: model ? clipFramesOf(model) : null,
  };
}

/** Frames per clip of a model trained on clips (its data's `frames`), else null. */
function clipFramesOf(model: ResolvedModel): number | null {
  const frames = model.data[0]?.options.frames;
  return typeof frames === 'number' ? frames : null;
}
