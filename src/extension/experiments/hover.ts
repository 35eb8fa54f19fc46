// Hover on a model name: its latest run (status, step, last losses) and the newest sample grid as an
// image. VS Code merges it with the language server's hover for the same word, whose gan/models
// answer says which model name is under the pointer.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { featureLabel } from '../../protocol/featureLabel';
import { bestFid } from '../../training/runs/evalRecords';
import { METRICS_JSONL } from '../../training/runs/paths';
import { listSamples } from '../../training/runs/reader';
import { commands, type RunsTarget } from './commandIds';
import { runHoverMarkdown, type HoverRun } from './format';
import { readLastMetricRow } from './runFeed';
import { latestRunOf } from './runGroups';
import type { ServerModels } from '../serverModels';
import { modelNameAt } from './modelLookup';
import type { RunsStore } from './runsStore';
import { readRunModel } from './runModel';

/** Larger grids are linked rather than inlined, to keep hovers light. */
const MAX_INLINE_PNG_BYTES = 1_500_000;

function pngDataUri(path: string): string | undefined {
  try {
    if (statSync(path).size > MAX_INLINE_PNG_BYTES) return vscode.Uri.file(path).toString();
    return `data:image/png;base64,${readFileSync(path).toString('base64')}`;
  } catch {
    return undefined;
  }
}

/** The run's best FID, named by the features its model was measured in (the server resolves model.gan). */
async function bestFidOf(dir: string, model: string, models: ServerModels): Promise<HoverRun['bestFid']> {
  const best = bestFid(dir);
  if (!best) return undefined;
  const resolved = await readRunModel(dir, model, models);
  return { ...best, features: resolved ? featureLabel(resolved) : 'classifier' };
}

export class LatestRunHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly store: RunsStore,
    private readonly models: ServerModels,
  ) {}

  async provideHover(
    document: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.Hover | undefined> {
    const models = await this.models.models(document, token);
    const model = models ? modelNameAt(models.models, position) : undefined;
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
          bestFid: await bestFidOf(run.dir, run.info.model, this.models),
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
