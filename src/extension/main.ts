// Extension entry point (dist/extension.js). Kept thin: it only starts the features listed below.
// To add a feature (CodeLens, runs view, dashboard…), write an ExtensionFeature and append it here.
import * as vscode from 'vscode';
import { FeatureRegistry } from './featureRegistry';
import type { ExtensionFeature } from './features';
import { experimentsFeature } from './experiments/feature';
import { languageFeature } from './languageFeature';
import { beginShutdown } from './lifecycle';
import { ServerModels } from './serverModels';

const features: readonly ExtensionFeature[] = [languageFeature, experimentsFeature];

let registry: FeatureRegistry | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('GAN', { log: true });
  const models = new ServerModels();
  context.subscriptions.push(log, models);
  registry = new FeatureRegistry({ context, log, models }, features);
  registry.activate();
  const trust = vscode.workspace.isTrusted ? 'trusted' : 'untrusted (language features only)';
  log.info(`GAN Studio activated in ${(performance.now() - started).toFixed(1)} ms; workspace ${trust}.`);
}

export async function deactivate(): Promise<void> {
  beginShutdown();
  await registry?.deactivate();
  registry = undefined;
}
