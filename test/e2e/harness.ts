/**
 * End-to-end harness: a real VS Code (code-server 4.100.3 = VS Code 1.100.3) driven by Playwright
 * through the system Chromium, offline. Recipe: /work/shared/recipes/vscode-e2e/README.md.
 *
 * Usage in a `test/e2e/NAME.e2e.ts` file (node:test; `node scripts/test.mjs e2e` runs them one at a time):
 *
 *   const vscode = await startVSCode({
 *     workspace: await makeWorkspace({ 'model.gan': source }),   // or any folder
 *     extensionDevelopmentPath: repoRoot,                         // unpackaged (needs `node scripts/build.mjs`)
 *     // vsix: 'dist/gan-studio.vsix',                            // or a packaged extension
 *   });
 *   try {
 *     await openFile(vscode.page, 'model.gan');
 *     await waitForSquiggle(vscode.page, 'error');
 *     await goToLine(vscode.page, 3, 5);
 *     const labels = await triggerCompletion(vscode.page);
 *   } finally {
 *     await vscode.screenshot('my-scenario');   // test-results/e2e/my-scenario.png, pass or fail
 *     await vscode.stop();                      // closes the browser, kills code-server's process group
 *   }
 *
 * startVSCode(options) → VSCodeSession { page, context, baseUrl, userDataDir, logsDir, serverLog, consoleMessages,
 *   readLogs(), screenshot(name), stop() }
 *   options: workspace (folder to open), extensionDevelopmentPath | vsix, settings (merged over quiet defaults),
 *   name (prefix of the server log), viewport, headless (false needs a display), workspaceTrust (keep Workspace
 *   Trust on: VS Code asks "Do you trust the authors…" on open, and "No" opens Restricted Mode, with a vsix or
 *   an extensionDevelopmentPath alike; without it `--disable-workspace-trust` trusts every folder whatever the
 *   settings say; see trust.e2e.ts).
 *   It installs code-server on first use (scripts/install-code-server.sh, ~40 s; cached in .e2e/code-server),
 *   gives code-server its own HOME/XDG/user-data/extensions dirs in a temp folder, starts it in its own
 *   process group, waits for /healthz, opens URL/?folder=WORKSPACE and waits for the workbench and Explorer.
 *   Debugging: session.readLogs() returns VS Code's server-side logs (extension host: exthost1/remoteexthost.log;
 *   log output channels, createOutputChannel(name, { log: true }): exthost1/PUBLISHER.NAME/NAME.log);
 *   session.consoleMessages holds the page's console errors and warnings; serverLog is code-server's own output.
 *   Set GAN_E2E_KEEP=1 to keep the temp folder after stop() for debugging.
 *
 * Helpers (all take the page): openFile (Quick Open), openFileFromExplorer, waitForActiveTab, runCommand
 * (Command Palette, by title), goToLine, typeInEditor, saveActiveFile, visibleEditorText, statusBarLanguage,
 * tokenColor, waitForSquiggle, waitForNoSquiggle, waitForCodeLens, waitForLightBulb, triggerCompletion (Ctrl+Space → labels), triggerQuickFix
 * (Ctrl+. → titles), pickListItem, hoverText, problemCounts, waitForProblemCounts, webviewFrame, waitForNotification; `selectors`
 * lists the VS Code selectors they use, for anything the helpers do not cover.
 */
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './harness/browser';
import {
  ensureCodeServer,
  installVsix,
  prepareDirs,
  startCodeServer,
  type RunningServer,
} from './harness/codeServer';
import { resultsDir } from './harness/paths';
import { waitForWorkbench } from './harness/workbench';

export * from './harness/workbench';
export { ensureCodeServer } from './harness/codeServer';
export { languageExtension } from './harness/languageExtension';
export { repoRoot, resultsDir } from './harness/paths';

export interface VSCodeOptions {
  /** The folder VS Code opens. */
  readonly workspace: string;
  /** Loads this folder as an unpackaged extension (VS Code's extensionDevelopmentPath, via the URL payload). */
  readonly extensionDevelopmentPath?: string;
  /** Installs this packaged extension first (`code-server --install-extension`). */
  readonly vsix?: string;
  /** User settings, merged over the quiet defaults below. */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Names the server log file: test-results/e2e/NAME-server.log. */
  readonly name?: string;
  readonly viewport?: { readonly width: number; readonly height: number };
  readonly headless?: boolean;
  /**
   * Keeps Workspace Trust on: code-server starts without `--disable-workspace-trust` and
   * `security.workspace.trust.enabled` is true, so VS Code asks whether to trust the folder (a modal dialog
   * the scenario answers). Default false: every folder is trusted and no dialog appears.
   */
  readonly workspaceTrust?: boolean;
}

export interface VSCodeSession {
  readonly page: Page;
  /** The browser context (a persistent one, so there is no separate Browser object). */
  readonly context: BrowserContext;
  readonly baseUrl: string;
  readonly userDataDir: string;
  /** VS Code's own logs: the extension host, output channels, the window. */
  readonly logsDir: string;
  readonly serverLog: string;
  /** Errors and warnings the workbench page printed to its console, in order. */
  readonly consoleMessages: readonly string[];
  /** Every file under logsDir, each under a `=== path` header (extension host, output channels, server). */
  readLogs(): string;
  /** Saves a PNG of the page to test-results/e2e/NAME.png and returns its path. */
  screenshot(name: string): Promise<string>;
  /** Closes the browser and kills code-server's whole process group; safe to call twice. */
  stop(): Promise<void>;
}

const quietSettings: Readonly<Record<string, unknown>> = {
  'workbench.colorTheme': 'Default Dark Modern',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.commandCenter.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'files.autoSave': 'off',
  'editor.minimap.enabled': false,
};

export async function startVSCode(options: VSCodeOptions): Promise<VSCodeSession> {
  ensureCodeServer();
  const root = await mkdtemp(join(tmpdir(), 'gan-e2e-'));
  const trustSettings = options.workspaceTrust ? { 'security.workspace.trust.enabled': true } : {};
  const dirs = await prepareDirs(root, { ...quietSettings, ...trustSettings, ...options.settings });
  if (options.vsix) installVsix(dirs, resolve(options.vsix));
  await mkdir(resultsDir, { recursive: true });
  const serverLog = join(resultsDir, `${options.name ?? 'vscode'}-server.log`);

  let server: RunningServer | undefined;
  let context: BrowserContext | undefined;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await context?.close().catch(() => undefined);
    await server?.stop();
    if (!process.env.GAN_E2E_KEEP) rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };
  try {
    server = await startCodeServer(dirs, serverLog, { workspaceTrust: options.workspaceTrust });
    context = await launchBrowser({
      profileDir: join(root, 'chromium'),
      viewport: options.viewport ?? { width: 1400, height: 900 },
      headless: options.headless ?? true,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const consoleMessages: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') {
        consoleMessages.push(`${message.type()}: ${message.text()}`);
      }
    });
    await page.goto(workbenchUrl(server.baseUrl, options));
    await waitForWorkbench(page);
    return {
      page,
      context,
      baseUrl: server.baseUrl,
      userDataDir: dirs.userDataDir,
      logsDir: join(dirs.userDataDir, 'logs'),
      serverLog,
      consoleMessages,
      readLogs: () => readLogFiles(join(dirs.userDataDir, 'logs')),
      async screenshot(name: string) {
        const file = join(resultsDir, `${name}.png`);
        await page.screenshot({ path: file });
        return file;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function readLogFiles(logsDir: string): string {
  if (!existsSync(logsDir)) return '';
  const files = readdirSync(logsDir, { recursive: true, encoding: 'utf8' })
    .map((relative) => join(logsDir, relative))
    .filter((file) => statSync(file).isFile())
    .sort();
  return files.map((file) => `=== ${file}\n${readFileSync(file, 'utf8')}`).join('\n');
}

function workbenchUrl(baseUrl: string, options: VSCodeOptions): string {
  const url = new URL(baseUrl);
  url.searchParams.set('folder', resolve(options.workspace));
  if (options.extensionDevelopmentPath) {
    // The workbench reads the path as a URI on the server side: vscode-remote://HOST:PORT/absolute/path.
    const developmentUri = `vscode-remote://${url.host}${resolve(options.extensionDevelopmentPath)}`;
    url.searchParams.set('payload', JSON.stringify([['extensionDevelopmentPath', developmentUri]]));
  }
  return url.toString();
}

/** Creates a temp folder holding `files` (relative path → content) for a scenario to open. */
export async function makeWorkspace(files: Readonly<Record<string, string>>): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'gan-e2e-workspace-'));
  for (const [relativePath, content] of Object.entries(files)) {
    const file = join(folder, relativePath);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content);
  }
  return folder;
}

/** Copies files or folders (paths relative to `from`) into a new temp workspace. */
export async function copyToWorkspace(from: string, paths: readonly string[]): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'gan-e2e-workspace-'));
  for (const path of paths) {
    if (!existsSync(join(from, path))) throw new Error(`${join(from, path)} does not exist`);
    cpSync(join(from, path), join(folder, path), { recursive: true });
  }
  return folder;
}
