// Starts the built language server (dist/server.js) as a child process and talks LSP to it over stdio.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { buildSync } from 'esbuild';
import { readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializeRequest,
  InitializedNotification,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  createProtocolConnection,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';

export const repoRoot = join(__dirname, '..', '..');
export const serverPath = join(repoRoot, 'dist', 'server.js');

/** Rebuilds dist/server.js (as scripts/build.mjs does) when it is missing or older than its sources. */
export function ensureServerBuilt(): void {
  ensureBundle('src/server/main.ts', serverPath, ['src/server', 'src/language']);
}

/** Rebuilds dist/extension.js and dist/server.js when missing or stale (for the end-to-end tests). */
export function ensureExtensionBuilt(): void {
  ensureServerBuilt();
  ensureBundle('src/extension/main.ts', join(repoRoot, 'dist', 'extension.js'), ['src']);
}

function ensureBundle(entry: string, outfile: string, sourceDirs: readonly string[]): void {
  const newest = Math.max(...sourceDirs.map((dir) => newestMtime(join(repoRoot, dir))));
  if (safeMtime(outfile) > newest) return;
  const result = buildSync({
    absWorkingDir: repoRoot,
    entryPoints: [entry],
    outfile,
    bundle: true,
    sourcemap: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    logLevel: 'warning',
    write: false,
  });
  // Test files run in parallel: write beside and rename, so no one starts a half-written bundle.
  for (const output of result.outputFiles) {
    const temporary = `${output.path}.${process.pid}.tmp`;
    writeFileSync(temporary, output.contents);
    renameSync(temporary, output.path);
  }
}

export function exampleUri(name: string): string {
  return pathToFileURL(join(repoRoot, 'examples', name)).toString();
}

export interface StartOptions {
  readonly initializationOptions?: unknown;
}

export class LspSession {
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams[]>();
  private readonly waiters: Array<() => void> = [];
  private readonly versions = new Map<string, number>();
  readonly stderr: string[] = [];
  initializeResult: InitializeResult | undefined;

  private constructor(
    readonly child: ChildProcessWithoutNullStreams,
    readonly connection: ProtocolConnection,
  ) {
    child.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      const list = this.diagnostics.get(params.uri) ?? [];
      list.push(params);
      this.diagnostics.set(params.uri, list);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static async start(options: StartOptions = {}): Promise<LspSession> {
    ensureServerBuilt();
    const child = spawn(process.execPath, [serverPath, '--stdio'], { stdio: 'pipe' });
    const connection = createProtocolConnection(
      new StreamMessageReader(child.stdout),
      new StreamMessageWriter(child.stdin),
    );
    connection.listen();
    const session = new LspSession(child, connection);
    session.initializeResult = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(repoRoot).toString(),
      capabilities: {
        textDocument: {
          publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true },
          completion: { completionItem: { snippetSupport: true } },
        },
      },
      initializationOptions: options.initializationOptions ?? null,
      workspaceFolders: null,
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return session;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async open(uri: string, text: string): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'gan', version: 1, text },
    });
  }

  /** Replaces the whole text; returns the new version. */
  async change(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
    return version;
  }

  async close(uri: string): Promise<void> {
    this.versions.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** All diagnostics published so far for a document. */
  published(uri: string): readonly PublishDiagnosticsParams[] {
    return this.diagnostics.get(uri) ?? [];
  }

  /** Waits for diagnostics of this document (of one version, when given). */
  async waitForDiagnostics(
    uri: string,
    version?: number,
    timeoutMs = 10_000,
  ): Promise<PublishDiagnosticsParams> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.published(uri).find((p) => version === undefined || p.version === version);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`No diagnostics for ${uri} version ${version} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    if (this.alive) {
      await Promise.race([this.connection.sendRequest(ShutdownRequest.type), delay(2000)]).catch(
        () => undefined,
      );
      await this.connection.sendNotification(ExitNotification.type).catch(() => undefined);
      await Promise.race([new Promise((resolve) => this.child.once('exit', resolve)), delay(2000)]);
    }
    if (this.alive) this.child.kill();
    this.connection.dispose();
  }
}

/** Applies LSP text edits to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///edit.gan', 'gan', 1, text), [...edits]);
}

/** Position (0-based) of the `occurrence`-th match of `needle`, plus `offset` characters. */
export function positionOf(
  text: string,
  needle: string,
  offset = 0,
  occurrence = 1,
): { line: number; character: number } {
  let index = -1;
  for (let i = 0; i < occurrence; i++) {
    index = text.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`${needle} (occurrence ${occurrence}) not found`);
  }
  return TextDocument.create('file:///p.gan', 'gan', 1, text).positionAt(index + offset);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function safeMtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  if (safeMtime(dir) === 0) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : safeMtime(path));
  }
  return newest;
}
