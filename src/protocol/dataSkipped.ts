// One line saying what a run's data sources skipped as unreadable, the same in the CLI, the
// worker's log, and the dashboard header.
/** Images (or folders) a data source could not read: how many, and the first few `name: reason`. */
export interface SkippedFiles {
  readonly count: number;
  readonly examples: readonly string[];
}

export function describeDataSkipped(skipped: SkippedFiles): string {
  const images =
    skipped.count === 1 ? '1 unreadable image or folder' : `${skipped.count} unreadable images or folders`;
  const more = skipped.count > skipped.examples.length ? ', …' : '';
  return `skipped ${images}: ${skipped.examples.join('; ')}${more}`;
}

/** run.json's `dataSkipped` when it has the expected shape (run.json is read, not trusted). */
export function asSkippedFiles(value: unknown): SkippedFiles | null {
  if (typeof value !== 'object' || value === null) return null;
  const { count, examples } = value as Record<string, unknown>;
  if (typeof count !== 'number' || !Array.isArray(examples)) return null;
  return { count, examples: examples.filter((e): e is string => typeof e === 'string') };
}
