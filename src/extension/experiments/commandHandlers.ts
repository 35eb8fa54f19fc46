// The experiments commands: train, stop, dashboards, preview, resume, reveal, delete, GPU check.
// What a file's models are (and whether it has errors) comes from the language server.
import { existsSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import type { ServerModels } from '../serverModels';
import { commands, type ModelTarget } from './commandIds';
import { readWindowSettings } from './config';
import { comparePickItem } from './format';
import { healthSummary } from '../../protocol/health';
import { bestFid } from '../../training/runs/evalRecords';
import { readRunNote, writeRunNote } from '../../training/runs/notes';
import type { DashboardPanels } from './dashboardPanel';
import { checkGpuBackendCommand } from './gpuCheck';
import { modelAt } from './modelLookup';
import type { PreviewPanels } from './previewPanel';
import type { RunManager } from './runManager';
import type { RunsStore } from './runsStore';
import type { SampleWorker } from './sampleWorker';
import { isRunNode } from './runsView';
import {
  dashboardRunDirs,
  isModelTarget,
  isRunsTarget,
  latestRunOfModel,
  previewRunOfModel,
} from './targets';
import { relatedModels } from './variants';
import { runsDirForFile } from './workspaceRuns';
import { UPSCALE_INPUT, UPSCALES_IMAGES, upscaledPath } from '../../protocol/upscale';

export interface CommandDeps {
  readonly manager: RunManager;
  readonly store: RunsStore;
  readonly dashboards: DashboardPanels;
  readonly previews: PreviewPanels;
  readonly models: ServerModels;
  readonly cliPath: string;
  readonly gpuChannel: vscode.OutputChannel;
  readonly sampler: SampleWorker;
}

/** A file's document: the open one, or loaded now (which opens it in the language server too). */
function documentOf(file: string): Thenable<vscode.TextDocument> {
  return vscode.workspace.openTextDocument(vscode.Uri.file(file));
}

/** The model under the cursor of the active .gan editor, or the one the user picks. */
async function modelFromEditor(models: ServerModels): Promise<ModelTarget | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'gan') {
    void vscode.window.showWarningMessage('Open a .gan file to train one of its models.');
    return undefined;
  }
  const known = await models.models(editor.document);
  if (!known) {
    void vscode.window.showWarningMessage(
      'The GAN language server has not checked this file yet: try again.',
    );
    return undefined;
  }
  const file = editor.document.uri.fsPath;
  const here = modelAt(known.models, editor.selection.active);
  if (here) return { file, model: here.name };
  const picked = await vscode.window.showQuickPick(
    known.models.map((m) => m.name),
    { placeHolder: 'Which model?' },
  );
  return picked ? { file, model: picked } : undefined;
}

/** The run folders a command argument names (one run node, run folders, or a model's latest run). */
function runDirsOf(arg: unknown, deps: CommandDeps): string[] {
  if (isRunNode(arg)) return [arg.run.dir];
  if (isRunsTarget(arg)) return [...arg.runDirs];
  if (isModelTarget(arg)) {
    const run = latestRunOfModel(deps.store.all(), arg);
    return run ? [run.dir] : [];
  }
  return [];
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const { manager, store, dashboards, previews, models } = deps;

  /** The models that extend or are extended by the target's, for its dashboard (none if unknown). */
  const variantsOf = async (target: ModelTarget): Promise<string[]> => {
    try {
      const known = await models.models(await documentOf(target.file));
      return known ? relatedModels(known.models, target.model).slice(1) : [];
    } catch {
      return [];
    }
  };

  const train = async (arg?: unknown): Promise<void> => {
    const target = isModelTarget(arg) ? arg : await modelFromEditor(models);
    if (!target) return;
    const document = await documentOf(target.file);
    const text = document.getText();
    // Unknown while the server (re)starts: the worker checks the text itself and refuses errors.
    const errors = (await models.models(document))?.fileErrors ?? 0;
    if (errors > 0) {
      const choice = await vscode.window.showErrorMessage(
        `Cannot train ${target.model}: the file has ${errors} error${errors === 1 ? '' : 's'}.`,
        'Show Problems',
      );
      if (choice) await vscode.commands.executeCommand('workbench.actions.view.problems');
      return;
    }
    const running = manager.find(target.file, target.model);
    if (running) {
      if (running.runDir) dashboards.open([running.runDir]);
      return;
    }
    const runsDir = runsDirForFile(vscode.Uri.file(target.file));
    const run = manager.start({ file: target.file, text, model: target.model, runsDir });
    openDashboardWhenStarted(run.handle, target, runsDir);
  };

  const openDashboardWhenStarted = (
    handle: ReturnType<RunManager['start']>['handle'],
    target: ModelTarget,
    runsDir: string,
  ): void => {
    if (!readWindowSettings().openDashboardOnTrain) return;
    // The page loads while the worker starts; it gets the run (and the variants' latest runs) then.
    const pending = dashboards.openPending(target.model, runsDir);
    handle.on('started', async (message) => {
      store.refresh();
      const variants = await variantsOf(target);
      const others = dashboardRunDirs(store.all(), target, variants).filter((dir) => dir !== message.runDir);
      pending.attach([message.runDir, ...others]);
    });
    handle.on('done', (outcome) => {
      if (outcome.type === 'failed' && !outcome.runDir) pending.cancel();
    });
  };

  const stop = (arg?: unknown): void => {
    const runs = isModelTarget(arg)
      ? manager.active().filter((run) => run.file === arg.file && run.model === arg.model)
      : runDirsOf(arg, deps).flatMap((dir) => manager.findByRunDir(dir) ?? []);
    const targets = runs.length || arg !== undefined ? runs : manager.active();
    for (const run of targets) manager.stop(run);
  };

  const openDashboard = async (arg?: unknown): Promise<void> => {
    let dirs: string[];
    if (isModelTarget(arg)) {
      dirs = dashboardRunDirs(store.all(), arg, await variantsOf(arg));
    } else dirs = runDirsOf(arg, deps);
    if (dirs.length === 0 && arg === undefined) {
      void compareRuns();
      return;
    }
    if (dirs.length === 0) {
      void vscode.window.showInformationMessage('No run yet: train the model first.');
      return;
    }
    dashboards.open(dirs);
  };

  /** Each model's base (`extends`) in the files the runs came from, as the files read now; a file
   *  that is gone or unanswered contributes nothing. */
  const basesOf = async (files: ReadonlySet<string>): Promise<Map<string, string>> => {
    const bases = new Map<string, string>();
    await Promise.all(
      [...files].map(async (file) => {
        try {
          if (!existsSync(file)) return;
          for (const model of (await models.models(await documentOf(file)))?.models ?? [])
            if (model.base) bases.set(`${file}\n${model.name}`, model.base);
        } catch {
          // Unreadable: its runs show no base.
        }
      }),
    );
    return bases;
  };

  const compareRuns = async (): Promise<void> => {
    store.refresh();
    const now = new Date();
    const runs = store.all();
    // The pick shows at once (busy) while the language server names the variants' bases.
    const items = basesOf(new Set(runs.map((run) => run.info.sourceFile))).then((bases) =>
      runs.map((run) => ({
        ...comparePickItem(
          {
            ...run,
            family: run.info.family,
            sourceFile: run.info.sourceFile,
            health: healthSummary(run.info.health),
            bestFid: bestFid(run.dir),
            base: bases.get(`${run.info.sourceFile}\n${run.model}`) ?? null,
          },
          now,
        ),
        dir: run.dir,
      })),
    );
    const picked = await vscode.window.showQuickPick(items, {
      canPickMany: true,
      placeHolder: 'Runs to compare in one dashboard',
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (picked?.length) dashboards.open(picked.map((item) => item.dir));
  };

  const openPreview = (arg?: unknown): void => {
    const run = isModelTarget(arg) ? previewRunOfModel(store.all(), arg)?.dir : runDirsOf(arg, deps)[0];
    if (!run) {
      void vscode.window.showInformationMessage('No checkpoint yet: samples render from a saved checkpoint.');
      return;
    }
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.languageId === 'gan');
    previews.open(run, editor?.viewColumn);
  };

  const resume = (arg?: unknown): void => {
    const dir = runDirsOf(arg, deps)[0];
    const run = dir ? store.byDir(dir) : undefined;
    if (!run || !dir) return;
    if (run.checkpoints.length === 0) {
      void vscode.window.showWarningMessage(`${run.id} has no checkpoint to resume from.`);
      return;
    }
    manager.start({
      file: run.info.sourceFile,
      text: '',
      model: run.model,
      runsDir: dirname(dir),
      resume: dir,
    });
  };

  const reveal = async (arg?: unknown): Promise<void> => {
    const dir = runDirsOf(arg, deps)[0];
    if (!dir) return;
    const uri = vscode.Uri.file(dir);
    if (vscode.workspace.getWorkspaceFolder(uri))
      await vscode.commands.executeCommand('revealInExplorer', uri);
    else await vscode.commands.executeCommand('revealFileInOS', uri);
  };

  const deleteRun = async (arg?: unknown): Promise<void> => {
    const dir = runDirsOf(arg, deps)[0];
    if (!dir || !existsSync(dir)) return;
    if (manager.findByRunDir(dir)) {
      void vscode.window.showWarningMessage('Stop the run before deleting it.');
      return;
    }
    const name = dir.split(/[\\/]/).pop() ?? dir;
    const choice = await vscode.window.showWarningMessage(
      `Delete run ${name}? Its metrics, samples and checkpoints are removed from disk.`,
      { modal: true },
      'Delete',
    );
    if (choice !== 'Delete') return;
    rmSync(dir, { recursive: true, force: true });
    store.refresh();
  };

  const editNote = async (arg?: unknown): Promise<void> => {
    const dir = runDirsOf(arg, deps)[0];
    if (!dir || !existsSync(dir)) return;
    const note = await vscode.window.showInputBox({
      title: `Note for ${dir.split(/[\\/]/).pop() ?? dir}`,
      value: readRunNote(dir),
      prompt: 'What this run tried and what came of it; #words become tags in the Runs view.',
      placeHolder: 'e.g. #hinge lower D lr: sharper digits, no collapse',
    });
    if (note === undefined) return;
    writeRunNote(dir, note);
    store.refresh();
  };

  /** Explorer "Upscale with model…": an image file, a super-resolution run, the result opened. */
  const upscaleImage = async (arg?: unknown): Promise<void> => {
    let image = arg instanceof vscode.Uri ? arg : undefined;
    if (!image) {
      const picked = await vscode.window.showOpenDialog({
        canSelectMany: false,
        filters: { Images: ['png', 'jpg', 'jpeg', 'webp'] },
        openLabel: 'Upscale',
      });
      image = picked?.[0];
    }
    if (!image) return;
    if (!UPSCALE_INPUT.test(image.fsPath)) {
      void vscode.window.showWarningMessage('Upscale a PNG, JPEG or WebP image.');
      return;
    }
    store.refresh();
    const runs = store.all().filter((run) => UPSCALES_IMAGES[run.info.family] && run.checkpoints.length > 0);
    if (runs.length === 0) {
      void vscode.window.showInformationMessage(
        'No super-resolution run with a checkpoint yet: train an srgan model first (examples/emoji-srgan.gan).',
      );
      return;
    }
    const run = await vscode.window.showQuickPick(
      runs.map((r) => ({
        label: r.id,
        description: `${r.model} · step ${r.checkpoints[r.checkpoints.length - 1]}`,
        detail: r.info.sourceFile,
        dir: r.dir,
      })),
      { placeHolder: 'Upscale with which model run?' },
    );
    if (!run) return;
    const input = image.fsPath;
    try {
      const answer = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `Upscaling ${input.split(/[\\/]/).pop()} with ${run.label}…`,
        },
        () => deps.sampler.upscale({ runDir: run.dir, input, out: upscaledPath(input) }),
      );
      await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(answer.path));
    } catch (error) {
      void vscode.window.showErrorMessage(`Upscaling failed: ${(error as Error).message}`);
    }
  };

  return [
    vscode.commands.registerCommand(commands.editRunNote, editNote),
    vscode.commands.registerCommand(commands.upscaleImage, upscaleImage),
    vscode.commands.registerCommand(commands.train, train),
    vscode.commands.registerCommand(commands.stop, stop),
    vscode.commands.registerCommand(commands.fixProblems, () =>
      vscode.commands.executeCommand('workbench.actions.view.problems'),
    ),
    vscode.commands.registerCommand(commands.openDashboard, openDashboard),
    vscode.commands.registerCommand(commands.compareRuns, compareRuns),
    vscode.commands.registerCommand(commands.openPreview, openPreview),
    vscode.commands.registerCommand(commands.resumeRun, resume),
    vscode.commands.registerCommand(commands.revealRun, reveal),
    vscode.commands.registerCommand(commands.deleteRun, deleteRun),
    vscode.commands.registerCommand(commands.refreshRuns, () => store.refresh()),
    vscode.commands.registerCommand(commands.checkGpu, () =>
      checkGpuBackendCommand(deps.cliPath, deps.gpuChannel),
    ),
  ];
}
