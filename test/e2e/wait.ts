// Waiting in e2e tests: polling a condition, and the dashboard's first sample grid.
import type { FrameLocator } from 'playwright-core';

/** Polls `check` every 50 ms until it is true (a throwing check counts as false). */
export async function waitUntil(
  check: () => Promise<boolean>,
  what: string,
  timeout = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Until the dashboard shows a decoded sample grid. */
export function waitForSampleGrid(dashboard: FrameLocator, timeout?: number): Promise<void> {
  return waitUntil(
    () =>
      dashboard
        .locator('img.sample-image')
        .first()
        .evaluate((img) => (img as HTMLImageElement).naturalWidth > 0, undefined, { timeout: 1000 }),
    'the first sample grid',
    timeout,
  );
}
