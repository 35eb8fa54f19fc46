// One line saying what a run's data sources skipped as unreadable, the same in the CLI, the
// worker's log, and the dashboard header.
import type { SkippedFiles } from '../training/contract';

export function describeDataSkipped(skipped: SkippedFiles): string {
  const images =
    skipped.count === 1 ? '1 unreadable image or folder' : `${skipped.count} unreadable images or folders`;
  const more = skipped.count > skipped.examples.length ? ', …' : '';
  return `skipped ${images}: ${skipped.examples.join('; ')}${more}`;
}
