// The language server: document sync, settings, diagnostics as the user types, and the feature adapters.
import type { Connection, InitializeResult, ServerCapabilities } from 'vscode-languageserver';
import { TextDocumentSyncKind, TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisCache } from './analysisCache';
import type { ServerContext } from './context';
import { DiagnosticsScheduler } from './diagnosticsScheduler';
import { features } from './features';
import { describe } from './guard';
import type { ServerSettings } from './settings';
import { defaultSettings, readSettings } from './settings';

export const serverName = 'GAN Language Server';

export function startServer(connection: Connection): void {
  let settings: ServerSettings = defaultSettings;
  const documents = new TextDocuments(TextDocument);
  const logger = connection.console;
  const cache = new AnalysisCache(() => settings.maxFileSize);
  const context: ServerContext = { connection, documents, cache, logger, settings: () => settings };
  const scheduler = new DiagnosticsScheduler(
    documents,
    cache,
    () => settings,
    {
      publish: (uri, version, diagnostics) => void connection.sendDiagnostics({ uri, version, diagnostics }),
    },
    logger,
  );

  connection.onInitialize((params): InitializeResult => {
    settings = readSettings(params.initializationOptions, settings);
    const capabilities: ServerCapabilities = { textDocumentSync: TextDocumentSyncKind.Incremental };
    for (const feature of features) Object.assign(capabilities, feature.capabilities);
    return { capabilities, serverInfo: { name: serverName } };
  });
  connection.onInitialized(() => logger.info(`${serverName} started (pid ${process.pid})`));
  connection.onDidChangeConfiguration((params) => {
    settings = readSettings(params.settings, settings);
    scheduler.scheduleAll();
  });

  // Fires on open too.
  documents.onDidChangeContent((event) => scheduler.schedule(event.document));
  documents.onDidClose((event) => scheduler.close(event.document.uri));
  connection.onShutdown(() => scheduler.dispose());

  for (const feature of features) {
    try {
      feature.register(context);
    } catch (error) {
      logger.error(`Registering a feature failed: ${describe(error)}`);
    }
  }
  documents.listen(connection);
  connection.listen();
}
