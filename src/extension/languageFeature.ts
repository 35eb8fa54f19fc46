// Language features for .gan files (in every workspace, trusted or not): the language server and its
// restart command.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { ExtensionFeature, FeatureHost } from './features';

export const restartLanguageServerCommand = 'gan.restartLanguageServer';

export const languageFeature: ExtensionFeature = {
  id: 'language',
  requiresTrust: false,
  activate(host) {
    const client = startClient(host);
    host.models.connect(client);
    const restart = vscode.commands.registerCommand(restartLanguageServerCommand, async () => {
      const running = await client;
      await running?.restart();
      host.log.info('Language server restarted.');
    });
    return {
      async dispose() {
        restart.dispose();
        await (await client)?.stop();
      },
    };
  },
};

async function startClient(host: FeatureHost): Promise<LanguageClient | undefined> {
  try {
    const { createLanguageClient } = await import('./languageClient.js');
    const client = createLanguageClient(host.context);
    const started = Date.now();
    await client.start();
    host.log.info(`Language server started in ${Date.now() - started} ms.`);
    return client;
  } catch (error) {
    host.log.error(
      `The language server did not start: ${error instanceof Error ? error.message : String(error)}`,
    );
    return undefined;
  }
}
