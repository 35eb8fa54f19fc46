// Starts each feature once, now or (for trust-requiring ones) when the user trusts the workspace, and
// stops them all, waiting for each, when the extension deactivates.
import * as vscode from 'vscode';
import type { ExtensionFeature, FeatureHandle, FeatureHost } from './features';

export class FeatureRegistry {
  private readonly started = new Map<string, FeatureHandle | void>();

  constructor(
    private readonly host: FeatureHost,
    private readonly features: readonly ExtensionFeature[],
  ) {}

  activate(): void {
    for (const feature of this.features) this.start(feature);
    if (!vscode.workspace.isTrusted) {
      this.host.context.subscriptions.push(
        vscode.workspace.onDidGrantWorkspaceTrust(() => {
          for (const feature of this.features) this.start(feature);
        }),
      );
    }
  }

  async deactivate(): Promise<void> {
    const handles = [...this.started.values()];
    this.started.clear();
    await Promise.all(handles.map(async (handle) => handle?.dispose()));
  }

  private start(feature: ExtensionFeature): void {
    if (this.started.has(feature.id)) return;
    if (feature.requiresTrust && !vscode.workspace.isTrusted) return;
    try {
      this.started.set(feature.id, feature.activate(this.host));
    } catch (error) {
      this.started.set(feature.id, undefined);
      this.host.log.error(
        `Feature ${feature.id} failed to start: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
