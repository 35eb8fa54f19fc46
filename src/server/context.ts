// What every feature adapter gets: the open documents, their analyses, settings and a logger.
import type { Connection, ServerCapabilities, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../language';
import type { AnalysisCache } from './analysisCache';
import type { Logger } from './guard';
import type { ServerSettings } from './settings';

export interface ServerContext {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  readonly cache: AnalysisCache;
  readonly logger: Logger;
  settings(): ServerSettings;
}

/** One editor feature: the capabilities it announces and the handlers it installs. */
export interface Feature {
  readonly capabilities: ServerCapabilities;
  register(context: ServerContext): void;
}

export interface AnalyzedDocument {
  readonly document: TextDocument;
  readonly analysis: Analysis;
}

/** The open document and its analysis, or null when it is not open or not analysed (huge or binary). */
export function analyzed(context: ServerContext, uri: string): AnalyzedDocument | null {
  const document = context.documents.get(uri);
  if (!document) return null;
  const analysis = context.cache.analysis(document);
  return analysis ? { document, analysis } : null;
}
