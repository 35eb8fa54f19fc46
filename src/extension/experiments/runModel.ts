// The model a run trained, for the dashboard's settings table and the preview's grid and classes:
// its model.gan, resolved by the language server (the extension host runs no checker).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedModel } from '../../language/model';
import { MODEL_GAN } from '../../training/runs/paths';
import type { ServerModels } from '../serverModels';

/** The model a run trained, from its model.gan (null when unreadable or it no longer resolves). */
export async function readRunModel(
  dir: string,
  model: string,
  models: ServerModels,
): Promise<ResolvedModel | null> {
  let text: string;
  try {
    text = readFileSync(join(dir, MODEL_GAN), 'utf8');
  } catch {
    return null;
  }
  return models.resolveModel(text, model);
}
