// Run ids name folders and files (run folders, sample PNGs, preview images), so an id read from
// run.json or a webview message must never climb out of the folder it is joined to.

const RUN_ID = /^[A-Za-z0-9._-]+$/;
const MAX_RUN_ID_LENGTH = 200;

/** `[A-Za-z0-9._-]+`, at most 200 characters, without `..` (so `.`-only names cannot escape). */
export function isRunId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length <= MAX_RUN_ID_LENGTH &&
    RUN_ID.test(value) &&
    !value.includes('..') &&
    value !== '.'
  );
}

export function runIdProblem(value: unknown): string | null {
  if (isRunId(value)) return null;
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 60)) : typeof value;
  return `${shown} is not a valid run id (letters, digits, '.', '_' and '-' only, no '..')`;
}
