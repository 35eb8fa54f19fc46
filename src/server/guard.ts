// Request handlers never take the server down: a failure is logged and answered with an empty result.
import type { CancellationToken, Connection } from 'vscode-languageserver';
import { LSPErrorCodes, ResponseError } from 'vscode-languageserver';

export type Logger = Pick<Connection['console'], 'error' | 'warn' | 'info' | 'log'>;

/**
 * Wraps a handler: a cancelled request is answered with RequestCancelled; an exception is logged to the
 * connection console and answered with `fallback`.
 */
export function guarded<P, R, F>(
  name: string,
  logger: Logger,
  fallback: F,
  handler: (params: P, token: CancellationToken) => R,
): (params: P, token: CancellationToken) => R | F | ResponseError<void> {
  return (params, token) => {
    if (token.isCancellationRequested) return cancelled();
    try {
      const result = handler(params, token);
      return token.isCancellationRequested ? cancelled() : result;
    } catch (error) {
      logger.error(`${name} failed: ${describe(error)}`);
      return fallback;
    }
  };
}

export function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'The request was cancelled.');
}

export function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
