// Whole-number command-line flags, bounded by the same schema limits the language applies to the
// setting they override (a `--steps 1e20` is refused exactly as `train { steps 1e20 }` is).
import { DATA_COMMON_PARAMS, type ParamSpec, sectionByName } from '../language/schema';

export interface Bounds {
  readonly min: number;
  readonly max: number;
}

export class FlagError extends Error {}

function intBounds(params: readonly ParamSpec[] | undefined, name: string): Bounds {
  const type = params?.find((p) => p.name === name)?.type;
  if (type?.kind !== 'int') throw new Error(`schema: ${name} is not a whole-number setting`);
  return { min: type.min ?? 0, max: type.max ?? Number.MAX_SAFE_INTEGER };
}

/** `train { steps }`: also bounds checkpoint steps. */
export const STEPS_BOUNDS = intBounds(sectionByName.get('train')?.params, 'steps');
/** `train { threads }`. */
export const THREADS_BOUNDS = intBounds(sectionByName.get('train')?.params, 'threads');
/** `data { limit }`. */
export const LIMIT_BOUNDS = intBounds(DATA_COMMON_PARAMS, 'limit');
/** `sample { seed }`. */
export const SEED_BOUNDS = intBounds(sectionByName.get('sample')?.params, 'seed');
/** A checkpoint's step: 0 (before any training) up to the largest step budget. */
export const CHECKPOINT_BOUNDS: Bounds = { min: 0, max: STEPS_BOUNDS.max };
/** `gan train --nproc`: data-parallel processes of the torch engine on one machine. */
export const PROCESSES_BOUNDS: Bounds = { min: 1, max: 64 };

/** The flag's value as a whole number within bounds; undefined when the flag is absent. */
export function wholeNumberFlag(name: string, text: string | undefined, bounds: Bounds): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (!/^-?\d+$/.test(trimmed) || value < bounds.min || value > bounds.max)
    throw new FlagError(
      `--${name} must be a whole number from ${bounds.min} to ${bounds.max.toLocaleString('en-US')}, got "${text}"`,
    );
  return value;
}
