// The language client: starts dist/server.js in its own Node process and restarts it if it dies.
// Loaded lazily (it pulls in vscode-languageclient) so activation stays fast.
import * as vscode from 'vscode';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';

export const clientId = 'gan';
export const clientName = 'GAN Language Server';

export function createLanguageClient(context: vscode.ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'gan' }],
    synchronize: { configurationSection: 'gan' },
    initializationOptions: () => ({ gan: serverSettings(context) }),
    // The default error handler restarts a server that dies, up to this many times in three minutes.
    connectionOptions: { maxRestartCount: 4 },
  };
  return new LanguageClient(clientId, clientName, serverOptions, clientOptions);
}

/** The `gan` settings the server reads, plus where the diagnostic codes are documented. */
function serverSettings(context: vscode.ExtensionContext): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration('gan');
  return {
    diagnostics: { delay: config.get<number>('diagnostics.delay', 150) },
    docsUrl: vscode.Uri.joinPath(context.extensionUri, 'docs', 'language.md').toString(),
  };
}
