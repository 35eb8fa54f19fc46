// The language server's answer to `gan/models` for open .gan documents: what CodeLenses, commands
// and the run hover know about a file's models. The server owns the checker and its incremental
// cache (json-language-features keeps language work in its server the same way); this asks once per
// document version and keeps the answer.
import * as vscode from 'vscode';
import type { ResolvedModel } from '../language/model';
import type {
  DocumentModels,
  ModelsParams,
  ModelsResult,
  ResolveModelParams,
  ResolveModelResult,
} from '../protocol/language';
import { modelsRequest, resolveModelRequest } from '../protocol/language';

/** Run folders' resolved models kept (a dashboard re-reads its runs whenever it is shown again). */
const RESOLVED_KEPT = 32;

/** The part of a LanguageClient this needs (a fake in tests). */
export interface RequestSender {
  sendRequest<R>(method: string, params: unknown, token?: vscode.CancellationToken): Promise<R>;
}

export class ServerModels implements vscode.Disposable {
  private readonly answers = new Map<string, DocumentModels>();
  private readonly resolved = new Map<string, Promise<ResolvedModel | null>>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly subscriptions: vscode.Disposable[];
  private settleSender: (sender: RequestSender | undefined) => void = () => undefined;
  /** Settles once the language feature has started (or failed to start) its client. */
  private readonly sender = new Promise<RequestSender | undefined>(
    (resolve) => (this.settleSender = resolve),
  );

  /** A .gan document the server may now describe differently: it published diagnostics for it
   *  (it re-checked it, or it has just started or restarted). */
  readonly onDidChange = this.changed.event;

  constructor() {
    this.subscriptions = [
      vscode.languages.onDidChangeDiagnostics((event) => {
        for (const uri of event.uris) if (uri.path.endsWith('.gan')) this.changed.fire(uri);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.answers.delete(document.uri.toString())),
    ];
  }

  /** Called once by the language feature with its starting client (undefined if it cannot start). */
  connect(sender: Promise<RequestSender | undefined>): void {
    sender.then(this.settleSender, () => this.settleSender(undefined));
  }

  /** The models of an open document, or null when the server cannot say (not started, skipped the
   *  file). While the server restarts, the last answer for the document stands in. */
  async models(
    document: vscode.TextDocument,
    token?: vscode.CancellationToken,
  ): Promise<DocumentModels | null> {
    const key = document.uri.toString();
    const known = this.answers.get(key);
    if (known?.version === document.version) return known;
    const sender = await this.sender;
    if (!sender) return known ?? null;
    try {
      const params: ModelsParams = { textDocument: { uri: key } };
      // No token, no argument: vscode-jsonrpc would send an `undefined` one as a second parameter.
      const answer = token
        ? await sender.sendRequest<ModelsResult>(modelsRequest, params, token)
        : await sender.sendRequest<ModelsResult>(modelsRequest, params);
      if (answer) this.answers.set(key, answer);
      return answer ?? known ?? null;
    } catch {
      return known ?? null;
    }
  }

  /** A model of a text that is no open document (a run's model.gan), resolved by the server; null
   *  when it has errors or the server cannot answer. */
  resolveModel(text: string, model: string): Promise<ResolvedModel | null> {
    const key = `${model}\n${text}`;
    const known = this.resolved.get(key);
    if (known) return known;
    const answer = this.sender.then(async (sender) => {
      if (!sender) return null;
      const params: ResolveModelParams = { text, model };
      return sender.sendRequest<ResolveModelResult>(resolveModelRequest, params);
    });
    const settled = answer.catch(() => null);
    this.resolved.set(key, settled);
    // A failed request (the server restarting) is asked again next time.
    void answer.catch(() => this.resolved.delete(key));
    while (this.resolved.size > RESOLVED_KEPT)
      this.resolved.delete(this.resolved.keys().next().value as string);
    return settled;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }
}
