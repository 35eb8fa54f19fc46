// `gan export FILE --model M --to pytorch DIR`: a standalone PyTorch project of one model, with
// its training images, that trains on one process or under torchrun (src/training/export/).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ResolvedData, ResolvedModel } from '../language/model';
import { openDataSource } from '../training/data';
import { clipFrames } from '../language/families/video';
import { torchExportProblems } from '../language/schema';
import {
  budgetSteps,
  derivedParts,
  ExportError,
  exportsCaptions,
  writePytorchProject,
  type ExportedImages,
} from '../training/export/pytorchProject';
import { analyzeModels, formatDiagnostic } from '../training/runs/models';
import { LIMIT_BOUNDS, wholeNumberFlag } from './numberFlags';

export const EXPORT_USAGE = `usage: gan export FILE --to pytorch DIR [--model NAME] [--limit N]
  --to pytorch DIR  write a standalone PyTorch project (model.py, train.py, the training images, a README)
                    that trains with \`python train.py\` or \`torchrun --nproc_per_node=N train.py\`
  --model NAME      which model of the file (default: the first)
  --limit N         export at most N training images`;

class UsageError extends Error {}

/** One epoch of a data section's training split, in the source's order, as bytes (the scale undone). */
async function trainingImages(
  model: ResolvedModel,
  own: ResolvedData,
  baseDir: string,
  limit?: number,
): Promise<ExportedImages> {
  // --limit also makes an endless source (shapes) a fixed set, as its own `limit` does.
  const cap = Math.min(own.limit ?? Infinity, limit ?? Infinity);
  const spec = { ...own, limit: Number.isFinite(cap) ? cap : null };
  const source = await openDataSource(spec, { seed: model.train.seed, baseDir, limit });
  try {
    if (source.batchesPerEpoch === null)
      throw new ExportError(
        `line ${spec.line + 1}: ${spec.source} data is endless; give its data section a \`limit\` (or pass --limit) to export a fixed set`,
      );
    const [h, w, c] = source.shape;
    const perImage = h * w * c;
    // A batch is `batch` items: images, or clips of `frames` consecutive frames.
    const frames = clipFrames([spec]) ?? 1;
    const count = source.batchesPerEpoch * spec.batch * frames;
    const bytes = new Uint8Array(count * perImage);
    const labels = model.condition ? new Uint8Array(count) : null;
    const captions: string[] | null = exportsCaptions(model) ? [] : null;
    const [lo, hi] = spec.scale;
    let offset = 0;
    for (let b = 0; b < source.batchesPerEpoch; b++) {
      const batch = await source.next();
      if (labels) {
        if (!batch.labels)
          throw new ExportError(`line ${spec.line + 1}: ${spec.source} data has no labels to condition on`);
        labels.set(batch.labels, offset / perImage);
      }
      if (captions) {
        if (!batch.captions)
          throw new ExportError(`line ${spec.line + 1}: ${spec.source} data has no captions to train on`);
        captions.push(...batch.captions);
      }
      for (const v of batch.images) bytes[offset++] = Math.round(((v - lo) / (hi - lo)) * 255);
    }
    return { name: own.domain ?? 'images', count, frames, shape: [h, w, c], bytes, labels, captions };
  } finally {
    source.dispose();
  }
}

export async function exportCommand(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { to: { type: 'string' }, model: { type: 'string' }, limit: { type: 'string' } },
    });
    // `--to pytorch DIR`: the target is the option's value, DIR the positional after FILE.
    if (values.to !== 'pytorch') throw new UsageError('--to pytorch DIR is the one export target');
    if (positionals.length !== 2)
      throw new UsageError(
        positionals.length < 2 ? 'expected FILE and --to pytorch DIR' : 'expected one FILE and one DIR',
      );
    const dir = positionals[1];
    const limit = wholeNumberFlag('limit', values.limit, LIMIT_BOUNDS);
    const file = resolve(positionals[0]);
    const text = readFileSync(file, 'utf8');
    const { models, diagnostics } = analyzeModels(text);
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (errors.length) {
      for (const d of errors) console.error(formatDiagnostic(positionals[0], d));
      console.error(`gan export: ${positionals[0]} has ${errors.length} error(s); fix them first`);
      return 1;
    }
    const model = values.model ? models.find((m) => m.name === values.model) : models[0];
    if (!model) {
      console.error(
        `gan export: ${positionals[0]}: no model "${values.model ?? ''}" (models: ${models.map((m) => m.name).join(', ')})`,
      );
      return 1;
    }
    const problems = torchExportProblems(model);
    if (problems.length) {
      console.error(`gan export: ${model.name} cannot be exported to PyTorch yet:`);
      for (const p of problems)
        console.error(`  ${positionals[0]}${p.line === null ? '' : `:${p.line + 1}`}: ${p.message}`);
      return 1;
    }
    const out = resolve(dir);
    if (existsSync(out) && readdirSync(out).length)
      throw new UsageError(`${dir} is not empty; export into a new folder`);
    const images: ExportedImages[] = [];
    for (const section of model.data) images.push(await trainingImages(model, section, dirname(file), limit));
    images.push(...(await derivedParts(model, images)));
    const steps = budgetSteps(model, images[0].count / (images[0].frames ?? 1));
    const written = writePytorchProject(out, {
      model,
      sourceFile: relative(out, file) || file,
      images,
      steps,
    });
    console.log(`exported ${model.name} to ${dir}: ${written.join(', ')}`);
    console.log(`train it: cd ${dir} && python3 train.py   (or torchrun --nproc_per_node=N train.py)`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`gan export: ${error.message}\n${EXPORT_USAGE}`);
      return 2;
    }
    if (error instanceof ExportError || (error as NodeJS.ErrnoException).code) {
      console.error(`gan export: ${(error as Error).message}`);
      return 1;
    }
    throw error;
  }
}
