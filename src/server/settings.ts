// The server's settings: `gan.*` from the client (initializationOptions, then didChangeConfiguration).

export interface ServerSettings {
  /** Quiet time after the last keystroke before the document is checked again. */
  readonly diagnosticsDelayMs: number;
  /** Where the diagnostic codes are documented; `#e300`-style anchors are appended. */
  readonly docsUrl: string | null;
  /** Files larger than this (in characters) are not analysed. */
  readonly maxFileSize: number;
}

export const defaultSettings: ServerSettings = {
  diagnosticsDelayMs: 150,
  docsUrl: null,
  maxFileSize: 2 * 1024 * 1024,
};

/** Reads the `gan` section sent by the client, keeping the defaults for anything missing or malformed. */
export function readSettings(raw: unknown, previous: ServerSettings = defaultSettings): ServerSettings {
  const section = isRecord(raw) && isRecord(raw.gan) ? raw.gan : raw;
  if (!isRecord(section)) return previous;
  const diagnostics = isRecord(section.diagnostics) ? section.diagnostics : {};
  const delay = diagnostics.delay;
  const docsUrl = section.docsUrl;
  const maxFileSize = section.maxFileSize;
  return {
    diagnosticsDelayMs:
      typeof delay === 'number' && delay >= 0 && delay <= 10_000 ? delay : previous.diagnosticsDelayMs,
    docsUrl: typeof docsUrl === 'string' && docsUrl.length > 0 ? docsUrl : previous.docsUrl,
    maxFileSize: typeof maxFileSize === 'number' && maxFileSize > 0 ? maxFileSize : previous.maxFileSize,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
