// Every message a webview posts is untrusted input (a compromised page, a stale page from an
// older version): the host accepts one only when its type and every field are well formed and
// within bounds, and passes on a clean copy without unknown fields. No vscode import.
import { isRunId } from '../../protocol/ids';
import { parseSampleRequest } from '../../protocol/sampleRequest';
import type { PreviewToHostMessage, WebviewToHostMessage } from '../../protocol/webview';

/** Steps and checkpoints stay within the language's step budget (`train { steps }` <= 1e9). */
const MAX_STEP = 1e9;
/** Runs compared in one dashboard. */
const MAX_SELECTED_RUNS = 100;

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function wholeIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** A dashboard message, or null when it is malformed. */
export function parseDashboardMessage(value: unknown): WebviewToHostMessage | null {
  const m = record(value);
  switch (m?.type) {
    case 'ready':
      return { type: 'ready' };
    case 'stop':
    case 'openPreview':
      return isRunId(m.runId) ? { type: m.type, runId: m.runId } : null;
    case 'selectRuns': {
      const ids = m.runIds;
      if (!Array.isArray(ids) || ids.length > MAX_SELECTED_RUNS || !ids.every(isRunId)) return null;
      return { type: 'selectRuns', runIds: [...ids] };
    }
    default:
      return null;
  }
}

/** A preview message, or null when it is malformed. */
export function parsePreviewMessage(value: unknown): PreviewToHostMessage | null {
  const m = record(value);
  switch (m?.type) {
    case 'ready':
      return { type: 'ready' };
    case 'saveSample':
      return wholeIn(m.requestId, 0, Number.MAX_SAFE_INTEGER)
        ? { type: 'saveSample', requestId: m.requestId }
        : null;
    case 'cancelSample':
      return wholeIn(m.requestId, 0, Number.MAX_SAFE_INTEGER)
        ? { type: 'cancelSample', requestId: m.requestId }
        : null;
    case 'renderSamples': {
      const request = parseSampleRequest(m.request);
      const checkpoint = m.checkpoint;
      if (
        !wholeIn(m.requestId, 0, Number.MAX_SAFE_INTEGER) ||
        !isRunId(m.runId) ||
        !(checkpoint === null || wholeIn(checkpoint, 0, MAX_STEP)) ||
        request === null
      )
        return null;
      return { type: 'renderSamples', requestId: m.requestId, runId: m.runId, checkpoint, request };
    }
    default:
      return null;
  }
}
