// Where the preview panel writes the grids it renders: a file in its output folder named after
// the panel's run folder, checked to stay inside that folder. No vscode import.
import { basename } from 'node:path';
import { isRunId } from '../../protocol/ids';
import { resolveInside } from '../../training/runs/paths';

export function previewImagePath(outputDir: string, runDir: string, requestId: number, now: number): string {
  const name = basename(runDir);
  const id = isRunId(name) ? name : 'run';
  return resolveInside(outputDir, `${id}-${now}-${Math.trunc(requestId)}.png`);
}
