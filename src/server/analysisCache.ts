// One Analysis per document version, so hover, completion and inlay hints never re-analyse.
// Huge or binary buffers are not analysed at all.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../language';
import { analyze } from '../language';

export type DocumentState =
  | { readonly kind: 'analyzed'; readonly version: number; readonly analysis: Analysis }
  | { readonly kind: 'skipped'; readonly version: number; readonly reason: string };

export class AnalysisCache {
  private readonly states = new Map<string, DocumentState>();

  constructor(private readonly maxFileSize: () => number) {}

  /** The state for this exact version, analysing now if needed. */
  get(document: TextDocument): DocumentState {
    const cached = this.states.get(document.uri);
    if (cached && cached.version === document.version) return cached;
    const state = this.compute(document, cached?.kind === 'analyzed' ? cached.analysis : undefined);
    this.states.set(document.uri, state);
    return state;
  }

  /** The analysis of this exact version, or null when the document is skipped. */
  analysis(document: TextDocument): Analysis | null {
    const state = this.get(document);
    return state.kind === 'analyzed' ? state.analysis : null;
  }

  forget(uri: string): void {
    this.states.delete(uri);
  }

  /** `previous` (the last analysis of this document) lets the checker reuse what did not change. */
  private compute(document: TextDocument, previous: Analysis | undefined): DocumentState {
    const text = document.getText();
    const limit = this.maxFileSize();
    if (text.length > limit) {
      const size = (text.length / (1024 * 1024)).toFixed(1);
      const max = (limit / (1024 * 1024)).toFixed(1);
      return {
        kind: 'skipped',
        version: document.version,
        reason: `This file is too large to check (${size} MB; the limit is ${max} MB).`,
      };
    }
    if (text.includes('\u0000')) {
      return {
        kind: 'skipped',
        version: document.version,
        reason: 'This file looks binary (it contains NUL characters); it is not checked.',
      };
    }
    return { kind: 'analyzed', version: document.version, analysis: analyze(text, previous) };
  }
}
