// The typed face of the webview's `acquireVsCodeApi()`: messages out, persisted state in and out.
import type { PreviewToHostMessage, WebviewToHostMessage } from '../protocol/webview';

interface RawVsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  function acquireVsCodeApi(): RawVsCodeApi;
}

export interface WebviewHost<State, Outgoing = WebviewToHostMessage> {
  post(message: Outgoing): void;
  /** The state saved before the last reload, if any (not validated: callers merge it with defaults). */
  loadState(): Partial<State> | undefined;
  saveState(state: State): void;
}

/** One per page: VS Code allows acquireVsCodeApi() to be called only once. */
export function connectToHost<State, Outgoing = WebviewToHostMessage>(): WebviewHost<State, Outgoing> {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    loadState: () => {
      const saved = api.getState();
      return typeof saved === 'object' && saved !== null ? (saved as Partial<State>) : undefined;
    },
    saveState: (state) => api.setState(state),
  };
}

export type PreviewHost<State> = WebviewHost<State, PreviewToHostMessage>;
