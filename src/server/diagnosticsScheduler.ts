// Checks documents as the user types: the first change after a quiet spell is checked at once, a burst of
// keystrokes is debounced, and a result is published only while its version is still the newest.
import type { TextDocuments } from 'vscode-languageserver';
import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import { DiagnosticSeverity } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalysisCache } from './analysisCache';
import { diagnosticSource, toLspDiagnostic } from './convert';
import type { Logger } from './guard';
import { describe } from './guard';
import type { ServerSettings } from './settings';

export interface DiagnosticsPublisher {
  publish(uri: string, version: number | undefined, diagnostics: LspDiagnostic[]): void;
}

interface Pending {
  timer: NodeJS.Timeout;
  version: number;
}

export class DiagnosticsScheduler {
  private readonly pending = new Map<string, Pending>();
  private readonly lastChange = new Map<string, number>();

  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly cache: AnalysisCache,
    private readonly settings: () => ServerSettings,
    private readonly publisher: DiagnosticsPublisher,
    private readonly logger: Logger,
  ) {}

  /** Schedules a check of the document's current version; supersedes any check still waiting. */
  schedule(document: TextDocument): void {
    const now = Date.now();
    const previous = this.lastChange.get(document.uri);
    this.lastChange.set(document.uri, now);
    const delay = this.settings().diagnosticsDelayMs;
    const typing = previous !== undefined && now - previous < delay;
    this.cancel(document.uri);
    const timer = setTimeout(() => this.run(document.uri, document.version), typing ? delay : 0);
    this.pending.set(document.uri, { timer, version: document.version });
  }

  /** Checks every open document again (after a settings change). */
  scheduleAll(): void {
    for (const document of this.documents.all()) this.schedule(document);
  }

  /** Forgets a closed document and clears its diagnostics. */
  close(uri: string): void {
    this.cancel(uri);
    this.lastChange.delete(uri);
    this.cache.forget(uri);
    this.publisher.publish(uri, undefined, []);
  }

  dispose(): void {
    for (const uri of [...this.pending.keys()]) this.cancel(uri);
  }

  private cancel(uri: string): void {
    const pending = this.pending.get(uri);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.pending.delete(uri);
  }

  private run(uri: string, version: number): void {
    this.pending.delete(uri);
    const document = this.documents.get(uri);
    // Closed, or a newer version already has its own check scheduled.
    if (!document || document.version !== version) return;
    try {
      const diagnostics = this.compute(document);
      if (this.documents.get(uri)?.version !== version) return;
      this.publisher.publish(uri, version, diagnostics);
    } catch (error) {
      this.logger.error(`Checking ${uri} failed: ${describe(error)}`);
    }
  }

  private compute(document: TextDocument): LspDiagnostic[] {
    const state = this.cache.get(document);
    if (state.kind === 'skipped') {
      return [
        {
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          severity: DiagnosticSeverity.Information,
          source: diagnosticSource,
          message: state.reason,
        },
      ];
    }
    const docsUrl = this.settings().docsUrl;
    return state.analysis.diagnostics.map((d) => toLspDiagnostic(document, d, docsUrl));
  }
}
