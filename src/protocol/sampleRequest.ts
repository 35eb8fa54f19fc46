// The bounds of a sample request, checked wherever one arrives: the CLI's flags, a webview
// message at the extension host, and the worker itself (the last line of defence).
import type { SampleMode, SampleRequest } from './sample';

/** Images in one grid (the CLI's --n, the preview's grid, the worker's cap). */
export const MAX_SAMPLE_IMAGES = 1024;
/** Seeds are 31-bit, as `sample { seed }` in the language. */
export const MAX_SEED = 2 ** 31 - 1;
/** Class ids beyond any plausible `condition classes=N`. */
export const MAX_CLASS = 100_000;

/** Every sample mode, in the order help texts list them. */
export const SAMPLE_MODES: readonly SampleMode[] = [
  'grid',
  'interpolate',
  'motion',
  'reconstruct',
  'walk',
  'translate',
  'complete',
  'superres',
];
const MODES: ReadonlySet<string> = new Set(SAMPLE_MODES);

function wholeIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** Null when `value` is a well-formed SampleRequest within bounds; else what is wrong. */
/** The longest caption a sample request may ask for (stackgan prompts). */
export const MAX_PROMPT_LENGTH = 500;

export function sampleRequestProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const r = value as Record<string, unknown>;
  for (const name of Object.keys(r))
    if (!['grid', 'seed', 'seed2', 'classes', 'mode', 'text'].includes(name))
      return `unknown field "${name}"`;
  let rows = MAX_SAMPLE_IMAGES;
  if (r.grid !== undefined) {
    const grid = r.grid;
    if (
      !Array.isArray(grid) ||
      grid.length !== 2 ||
      !wholeIn(grid[0], 1, MAX_SAMPLE_IMAGES) ||
      !wholeIn(grid[1], 1, MAX_SAMPLE_IMAGES)
    )
      return 'grid must be [rows, cols] of whole numbers from 1';
    if (grid[0] * grid[1] > MAX_SAMPLE_IMAGES) return `grid has more than ${MAX_SAMPLE_IMAGES} images`;
    rows = grid[0];
  }
  for (const name of ['seed', 'seed2'])
    if (r[name] !== undefined && !wholeIn(r[name], 0, MAX_SEED))
      return `${name} must be a whole number from 0 to ${MAX_SEED}`;
  if (r.classes !== undefined) {
    const classes = Array.isArray(r.classes) ? r.classes : [r.classes];
    if (Array.isArray(r.classes) && (classes.length === 0 || classes.length > rows))
      return 'classes must name one class per grid row';
    if (!classes.every((c) => wholeIn(c, 0, MAX_CLASS)))
      return `classes must be whole numbers from 0 to ${MAX_CLASS}`;
  }
  if (r.text !== undefined) {
    const text = r.text;
    if (
      !Array.isArray(text) ||
      text.length === 0 ||
      text.length > MAX_SAMPLE_IMAGES ||
      !text.every((t) => typeof t === 'string' && t.trim().length > 0 && t.length <= MAX_PROMPT_LENGTH)
    )
      return `text must be 1 to ${MAX_SAMPLE_IMAGES} non-empty captions of at most ${MAX_PROMPT_LENGTH} characters`;
  }
  if (r.mode !== undefined && (typeof r.mode !== 'string' || !MODES.has(r.mode)))
    return `mode must be one of ${[...MODES].join(', ')}`;
  return null;
}

/** A copy holding only the request's known fields, or null when it is malformed. */
export function parseSampleRequest(value: unknown): SampleRequest | null {
  if (sampleRequestProblem(value) !== null) return null;
  const r = value as SampleRequest;
  return {
    ...(r.grid !== undefined && { grid: [r.grid[0], r.grid[1]] as const }),
    ...(r.seed !== undefined && { seed: r.seed }),
    ...(r.seed2 !== undefined && { seed2: r.seed2 }),
    ...(r.text !== undefined && { text: [...r.text] }),
    ...(r.classes !== undefined && { classes: Array.isArray(r.classes) ? [...r.classes] : r.classes }),
    ...(r.mode !== undefined && { mode: r.mode }),
  };
}
