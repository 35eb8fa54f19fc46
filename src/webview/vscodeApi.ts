// The typed face of the webview's `acquireVsCodeApi()`: messages out, persisted state in and out.
import type { WebviewToHostMessage } from '../protocol/webview';

interface RawVsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  function acquireVsCodeApi(): RawVsCodeApi;
}

export interface WebviewHost<State> {
  post(message: WebviewToHostMessage): void;
  /** The state saved before the last reload, if any (not validated: callers merge it with defaults). */
  loadState(): Partial<State> | undefined;
  saveState(state: State): void;
}

export function connectToHost<State>(): WebviewHost<State> {
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
