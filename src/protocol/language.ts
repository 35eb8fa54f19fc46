// Requests the extension host sends the language server beyond LSP. The server owns the checker
// and its per-version analysis cache; the extension asks it instead of re-analysing a document.
import type { FamilyName, ResolvedModel } from '../language/model';
import type { Range } from '../language/syntax';

/** `gan/models`: the models of an open document, from the analysis of its current version. */
export const modelsRequest = 'gan/models';

export interface ModelsParams {
  readonly textDocument: { readonly uri: string };
}

export interface ModelSummary {
  readonly name: string;
  /** Null when the header names no known family. */
  readonly family: FamilyName | null;
  /** The model named after `extends`, as written (it may not exist). */
  readonly base: string | null;
  /** The whole declaration, `model` keyword to closing brace. */
  readonly range: Range;
  /** The `model` keyword, where CodeLenses sit. */
  readonly keywordRange: Range;
  readonly nameRange: Range;
  readonly baseRange: Range | null;
  /** Errors inside this model (and those it inherits). */
  readonly errorCount: number;
  /** Whether the model resolved into something a trainer can build. */
  readonly resolved: boolean;
}

export interface DocumentModels {
  readonly uri: string;
  /** The document version the answer describes. */
  readonly version: number;
  /** Errors anywhere in the file: a worker refuses a file with any. */
  readonly fileErrors: number;
  readonly models: readonly ModelSummary[];
}

/** Null when the server does not have the document open, or skips it (huge or binary). */
export type ModelsResult = DocumentModels | null;

/** `gan/resolveModel`: a model of a text that is not an open document (a run folder's model.gan),
 *  resolved as the trainer got it; the dashboard and preview read its settings. */
export const resolveModelRequest = 'gan/resolveModel';

export interface ResolveModelParams {
  readonly text: string;
  /** The model to resolve; the first of the text when it has no such model. */
  readonly model: string;
}

/** Null when the text has errors (or no model). */
export type ResolveModelResult = ResolvedModel | null;
