// What the preview can ask a run for, per family, and how the picked options become a SampleRequest.
import type { SampleRequest } from '../../protocol/sample';
import type { FamilyName, PreviewMode, PreviewRun } from '../../protocol/webview';
import { PRESENTATION_FAMILIES } from '../families';
import { MAX_PROMPT_LENGTH } from '../../protocol/sampleRequest';

export interface ModeChoice {
  readonly mode: PreviewMode;
  readonly label: string;
}

const modeLabels: Record<PreviewMode, string> = {
  grid: 'Random samples',
  interpolate: 'Interpolate (seed → seed 2 along each row)',
  motion: 'Motion (one content; motion seed → seed 2 down the rows)',
  reconstruct: 'Reconstructions of held-out images',
  walk: 'Latent walk (one dimension per row)',
  translate: 'Translate A → B and B → A',
  superres: 'Low-res | bicubic | super-resolved | original',
  complete: 'Complete held-out images (bottom half hidden; one image per row)',
};

export function modesFor(family: FamilyName): ModeChoice[] {
  return PRESENTATION_FAMILIES[family].previewModes.map((mode) => ({ mode, label: modeLabels[mode] }));
}

/** cgan class choice: 'rows' gives each row its own class (0, 1, 2, ... wrapping). */
export type ClassChoice = 'rows' | number;

export interface PreviewOptions {
  readonly mode: PreviewMode;
  readonly seed: number;
  readonly seed2: number;
  readonly grid: readonly [number, number];
  readonly classChoice: ClassChoice;
  /** Text-conditioned families: the prompt box, captions separated by `;` ('' draws held-out captions). */
  readonly text: string;
}

export function defaultOptions(run: PreviewRun): PreviewOptions {
  return {
    mode: modesFor(run.family)[0].mode,
    seed: run.seed,
    seed2: run.seed + 1,
    grid: run.grid,
    classChoice: 'rows',
    text: '',
  };
}

/** Keeps saved options that still make sense for this run; the rest come from its defaults. */
export function reconcileOptions(
  run: PreviewRun,
  saved: Partial<PreviewOptions> | undefined,
): PreviewOptions {
  const defaults = defaultOptions(run);
  if (!saved) return defaults;
  const modes = modesFor(run.family).map((m) => m.mode);
  const wholeSeed = (v: unknown, fallback: number) =>
    typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 2 ** 31 ? v : fallback;
  const grid =
    Array.isArray(saved.grid) &&
    saved.grid.length === 2 &&
    saved.grid.every((n) => Number.isInteger(n) && n > 0 && n <= 32)
      ? ([saved.grid[0], saved.grid[1]] as const)
      : defaults.grid;
  const classChoice =
    saved.classChoice === 'rows' ||
    (typeof saved.classChoice === 'number' && run.classes !== null && saved.classChoice < run.classes)
      ? saved.classChoice
      : defaults.classChoice;
  return {
    mode: saved.mode && modes.includes(saved.mode) ? saved.mode : defaults.mode,
    seed: wholeSeed(saved.seed, defaults.seed),
    seed2: wholeSeed(saved.seed2, defaults.seed2),
    grid,
    classChoice,
    text: typeof saved.text === 'string' && takesPrompt(run) ? saved.text.slice(0, MAX_PROMPT_LENGTH) : '',
  };
}

/** Whether the run draws from captions (the prompt box shows): as its model says, else as its family does. */
export function takesPrompt(run: PreviewRun): boolean {
  const prompt = PRESENTATION_FAMILIES[run.family].prompt;
  return prompt !== undefined && (run.captions ?? prompt.optional !== true);
}

/** The prompt box's captions: `;`-separated, trimmed, empty ones dropped. */
export function promptCaptions(text: string): string[] {
  return text
    .split(';')
    .map((t) => t.trim())
    .filter((t) => t.length > 0)
    .map((t) => t.slice(0, MAX_PROMPT_LENGTH));
}

/** Whether the class picker applies: a conditional run, in a mode that draws fresh samples (a
 *  pixelcnn's completions keep their held-out images' own labels). */
export function takesClasses(run: PreviewRun, mode: PreviewMode): boolean {
  return (
    run.classes !== null &&
    mode !== 'reconstruct' &&
    mode !== 'translate' &&
    mode !== 'complete' &&
    mode !== 'superres'
  );
}

/** Whether the mode moves from seed's noise to seed2's (the second seed box shows). */
export function takesSeed2(mode: PreviewMode): boolean {
  return mode === 'interpolate' || mode === 'motion';
}

export function buildRequest(run: PreviewRun, options: PreviewOptions): SampleRequest {
  const [rows, cols] = options.grid;
  const text = takesPrompt(run) ? promptCaptions(options.text) : [];
  const classes = !takesClasses(run, options.mode)
    ? undefined
    : options.classChoice === 'rows'
      ? Array.from({ length: rows }, (_, r) => r % (run.classes ?? 1))
      : options.classChoice;
  return {
    mode: options.mode,
    grid: [rows, cols],
    seed: options.seed,
    ...(takesSeed2(options.mode) && { seed2: options.seed2 }),
    ...(classes !== undefined && { classes }),
    ...(text.length > 0 && { text }),
  };
}

export const gridChoices: readonly (readonly [number, number])[] = [
  [4, 4],
  [6, 6],
  [8, 8],
  [10, 10],
  [4, 8],
  [8, 16],
];
