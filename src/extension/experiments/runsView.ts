// The Runs view, in GAN Studio's own view container: runs grouped by model, each named by when it
// started, with a status icon (a warning when it learned badly), step, best FID and note tags;
// item actions (package.json menus) open the dashboard or preview, resume, stop, note, reveal, delete.
import * as vscode from 'vscode';
import { commands, type RunsTarget } from './commandIds';
import { formatAge } from '../../protocol/format';
import { healthSummary } from '../../protocol/health';
import { runRowText, statusWord } from './format';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { type BestFid, bestFid } from '../../training/runs/evalRecords';
import { noteTags, readRunNote } from '../../training/runs/notes';
import { groupRunsByModel, statusIcon } from './runGroups';
import type { IndexedRun } from './runIndex';
import type { RunManager } from './runManager';
import type { RunsStore } from './runsStore';

export const runsViewId = 'gan.runs';

export interface ModelNode {
  readonly kind: 'model';
  readonly model: string;
  readonly runs: readonly IndexedRun[];
}

export interface RunNode extends RunsTarget {
  readonly kind: 'run';
  readonly run: IndexedRun;
}

export type RunsTreeNode = ModelNode | RunNode;

export function isRunNode(value: unknown): value is RunNode {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'run';
}

export class RunsTreeProvider implements vscode.TreeDataProvider<RunsTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunsTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private lastProgress = 0;
  private readonly bestFids = new Map<string, { stamp: string; best: BestFid | null }>();

  constructor(
    private readonly store: RunsStore,
    private readonly manager: RunManager,
  ) {
    this.subscriptions = [
      store.onDidChange(() => this.changed.fire(undefined)),
      manager.onDidChange((event) => {
        // Live steps in the tree, at most once a second.
        if (event.kind !== 'progress' || Date.now() - this.lastProgress < 1000) return;
        this.lastProgress = Date.now();
        this.changed.fire(undefined);
      }),
    ];
  }

  getChildren(node?: RunsTreeNode): RunsTreeNode[] {
    if (!node) {
      return groupRunsByModel(this.store.all()).map((group) => ({
        kind: 'model',
        model: group.model,
        runs: group.runs,
      }));
    }
    if (node.kind === 'model') return node.runs.map((run) => ({ kind: 'run', run, runDirs: [run.dir] }));
    return [];
  }

  getTreeItem(node: RunsTreeNode): vscode.TreeItem {
    if (node.kind === 'model') {
      const item = new vscode.TreeItem(node.model, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `model:${node.model}`;
      item.iconPath = new vscode.ThemeIcon('symbol-class');
      item.description = `${node.runs.length} run${node.runs.length === 1 ? '' : 's'}`;
      item.contextValue = 'ganModel';
      return item;
    }
    const run = node.run;
    const live = this.manager.findByRunDir(run.dir)?.progress;
    const step = live?.step ?? run.step;
    const total = live?.totalSteps ?? run.totalSteps;
    const item = new vscode.TreeItem(run.id, vscode.TreeItemCollapsibleState.None);
    item.id = `run:${run.dir}`;
    const health = healthSummary(run.info.health);
    const note = readRunNote(run.dir);
    const best = this.bestFid(run.dir);
    const text = runRowText(
      { ...run, step, totalSteps: total, health, note, tags: noteTags(note), bestFid: best },
      new Date(),
    );
    item.label = text.label;
    item.iconPath = new vscode.ThemeIcon(statusIcon(run.status, health !== ''));
    const status = health ? `${statusWord(run.status)} — ${health}` : statusWord(run.status);
    item.description = text.description;
    // Screen readers (and tests) get the run's id, which the label leaves to the tooltip.
    item.accessibilityInformation = { label: `${run.id}, started ${text.label}, ${text.description}` };
    item.tooltip = new vscode.MarkdownString(
      [
        `**${run.id}** (${run.info.family}), started ${formatAge(new Date(run.startedAt), new Date())}`,
        `${status} at step ${step}/${total}`,
        `${run.info.device}`,
        best ? `Best FID ${best.value} at step ${best.step}` : '',
        note ? `Note: ${note}` : '',
        run.info.error ? `Error: ${run.info.error}` : '',
        ...(run.info.health ?? []).map((p) => `⚠ From step ${p.step}: ${p.message}. ${p.advice}`),
        `Checkpoints: ${run.checkpoints.length ? run.checkpoints.join(', ') : 'none'}`,
      ]
        .filter(Boolean)
        .join('\n\n'),
    );
    const running = run.status === 'running' && this.manager.findByRunDir(run.dir) !== undefined;
    const preview = run.checkpoints.length > 0 ? '.previewable' : '';
    item.contextValue = running ? `ganRun.running${preview}` : `ganRun.idle${preview}`;
    item.command = { title: 'Open Dashboard', command: commands.openDashboard, arguments: [node] };
    return item;
  }

  /** The best FID of a run, re-read only when its metrics or evaluations changed. */
  private bestFid(dir: string): BestFid | null {
    const stamp = ['metrics.jsonl', 'eval.jsonl']
      .map((name) => {
        try {
          const s = statSync(join(dir, name));
          return `${s.size}:${s.mtimeMs}`;
        } catch {
          return '-';
        }
      })
      .join('|');
    const known = this.bestFids.get(dir);
    if (known?.stamp === stamp) return known.best;
    const best = bestFid(dir);
    this.bestFids.set(dir, { stamp, best });
    return best;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }
}
