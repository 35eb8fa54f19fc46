// Hover on a model name: its latest run (status, step, last losses) and the newest sample grid as an
// image. VS Code merges it with the language server's hover for the same word.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { parse } from '../../language/index';
import { bestFid } from '../../training/eval/evalRecords';
import { featureLabel } from '../../training/eval/featureLabel';
import { METRICS_JSONL, MODEL_GAN } from '../../training/runs/paths';
import { listSamples } from '../../training/runs/reader';
import { commands, type RunsTarget } from './commandIds';
import { runHoverMarkdown, type HoverRun } from './format';
import { readLastMetricRow } from './runFeed';
import { latestRunOf } from './runGroups';
import type { RunsStore } from './runsStore';
import { resolveRunModel } from './summaries';

/** Larger grids are linked rather than inlined, to keep hovers light. */
const MAX_INLINE_PNG_BYTES = 1_500_000;

/** The model whose name (in its declaration or an `extends`) is at this offset. */
export function modelNameAt(text: string, offset: number): string | undefined {
  for (const decl of parse(text).models) {
    for (const name of [decl.name, decl.base]) {
      if (name && offset >= name.start && offset <= name.end) return name.name;
    }
  }
  return undefined;
}

function pngDataUri(path: string): string | undefined {
  try {
    if (statSync(path).size > MAX_INLINE_PNG_BYTES) return vscode.Uri.file(path).toString();
    return `data:image/png;base64,${readFileSync(path).toString('base64')}`;
  } catch {
    return undefined;
  }
}

function bestFidOf(dir: string, model: string): HoverRun['bestFid'] {
  const best = bestFid(dir);
  if (!best) return undefined;
  let resolved = null;
  try {
    resolved = resolveRunModel(readFileSync(join(dir, MODEL_GAN), 'utf8'), model);
  } catch {
    // model.gan unreadable: the features stay unnamed
  }
  return { ...best, features: resolved ? featureLabel(resolved) : 'classifier' };
}

export class LatestRunHoverProvider implements vscode.HoverProvider {
  constructor(private readonly store: RunsStore) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const model = modelNameAt(document.getText(), document.offsetAt(position));
    if (!model) return undefined;
    const run = latestRunOf(
      this.store.all().filter((r) => r.info.sourceFile === document.uri.fsPath),
      model,
    );
    if (!run) return undefined;
    const sample = listSamples(run.dir).at(-1);
    const lastRow = readLastMetricRow(join(run.dir, METRICS_JSONL));
    const target: RunsTarget = { runDirs: [run.dir] };
    const dashboardCommand = `command:${commands.openDashboard}?${encodeURIComponent(JSON.stringify([target]))}`;
    const markdown = new vscode.MarkdownString(
      runHoverMarkdown(
        {
          id: run.id,
          status: run.status,
          step: run.step,
          totalSteps: run.totalSteps,
          startedAt: run.startedAt,
          device: run.info.device,
          error: run.info.error,
          metrics: lastRow ? [lastRow] : [],
          bestFid: bestFidOf(run.dir, run.info.model),
          ...(sample ? { sampleUri: pngDataUri(sample.path), sampleStep: sample.step } : {}),
          dashboardCommand,
        },
        new Date(),
      ),
    );
    markdown.isTrusted = { enabledCommands: [commands.openDashboard] };
    markdown.supportHtml = false;
    return new vscode.Hover(markdown);
  }
}
