// The language client: starts dist/server.js in its own Node process and restarts it if it dies.
// Loaded lazily (it pulls in vscode-languageclient) so activation stays fast.
import * as vscode from 'vscode';
import type {
  CancellationToken,
  LanguageClientOptions,
  MessageSignature,
  ServerOptions,
} from 'vscode-languageclient/node';
import { ErrorCodes, LanguageClient, ResponseError, TransportKind } from 'vscode-languageclient/node';
import { isShuttingDown } from './lifecycle';

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
  return new GanLanguageClient(clientId, clientName, serverOptions, clientOptions);
}

/**
 * While a window reloads or closes, editors still ask for code actions, hovers and lenses after the
 * server's connection is gone; those requests get their empty default instead of an error in the
 * logs. A server that crashes is still reported (and restarted) by the client's error handler.
 */
class GanLanguageClient extends LanguageClient {
  override handleFailedRequest<T>(
    type: MessageSignature,
    token: CancellationToken | undefined,
    error: unknown,
    defaultValue: T,
    showNotification?: boolean,
    throwOnCancel?: boolean,
  ): T {
    if (isShuttingDown() || connectionGone(error)) return defaultValue;
    return super.handleFailedRequest(type, token, error, defaultValue, showNotification, throwOnCancel);
  }
}

function connectionGone(error: unknown): boolean {
  if (error instanceof ResponseError) return error.code === ErrorCodes.ConnectionInactive;
  return error instanceof Error && error.message === 'Starting server failed';
}

/** The `gan` settings the server reads, plus where the diagnostic codes are documented. */
function serverSettings(context: vscode.ExtensionContext): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration('gan');
  return {
    diagnostics: { delay: config.get<number>('diagnostics.delay', 150) },
    docsUrl: vscode.Uri.joinPath(context.extensionUri, 'docs', 'language.md').toString(),
  };
}
