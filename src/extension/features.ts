// The extension is a list of features. Each one starts in `activate` and is stopped on deactivation.
// Features that run code from the workspace (training, runs) declare `requiresTrust` and start only once
// the workspace is trusted; untrusted workspaces get the language features alone.
import type * as vscode from 'vscode';
import type { ServerModels } from './serverModels';

export interface FeatureHost {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  /** What the language server knows about open documents' models (connected by the language feature). */
  readonly models: ServerModels;
}

/** What a started feature hands back; `dispose` may be asynchronous (deactivation waits for it). */
export interface FeatureHandle {
  dispose(): unknown;
}

export interface ExtensionFeature {
  readonly id: string;
  readonly requiresTrust: boolean;
  activate(host: FeatureHost): FeatureHandle | void;
}
