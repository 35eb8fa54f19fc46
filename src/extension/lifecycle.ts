// Whether the extension host is shutting down (a window reload or close), when requests the
// language server can no longer answer are answered empty rather than logged as failures.
let shuttingDown = false;

export function beginShutdown(): void {
  shuttingDown = true;
}

export function isShuttingDown(): boolean {
  return shuttingDown;
}
