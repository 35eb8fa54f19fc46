// Finding the ▶ Train lens of one model of an example file in code-server.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { goToLine, repoRoot, selectors, waitForCodeLens } from './harness';
import { waitUntil } from './wait';

/** The ▶ Train lens drawn just above `model NAME` (scrolled into view first). */
export async function trainLensOf(page: Page, file: string, model: string): Promise<Locator> {
  const line = readFileSync(join(repoRoot, 'examples', file), 'utf8')
    .split('\n')
    .findIndex((l) => new RegExp(`^model ${model}\\b`).test(l));
  assert.ok(line >= 0, `model ${model} in ${file}`);
  // The file opens at its top: the first lens shows once the server has answered.
  await waitForCodeLens(page, '▶ Train', 60_000);
  await goToLine(page, line + 1);
  const declaration = page.locator(`${selectors.editorLines} .view-line`, {
    hasText: new RegExp(`^model\\s${model}\\b`),
  });
  const lenses = page.locator('.codelens-decoration a', { hasText: '▶ Train' });
  // The editor re-renders the lenses of lines scrolled into view a moment after the jump (and may
  // drop those scrolled out): the pick counts once two looks in a row agree on it and on the count.
  let best = -1;
  let seen = '';
  await waitUntil(
    async () => {
      const top = (await declaration.first().boundingBox())?.y ?? 0;
      let bestGap = Infinity;
      best = -1;
      const count = await lenses.count();
      for (let i = 0; i < count; i++) {
        const box = await lenses.nth(i).boundingBox();
        const gap = box ? top - box.y : Infinity;
        if (gap > 0 && gap < bestGap) [best, bestGap] = [i, gap];
      }
      const now = `${best}/${count}`;
      const settled = best >= 0 && now === seen;
      seen = now;
      return settled;
    },
    `a ▶ Train lens above model ${model}`,
    10_000,
  );
  return lenses.nth(best);
}

/**
 * Clicks the ▶ Train lens above `model` and returns when it was clicked. The editor can re-render
 * its lenses between the pick and the click and leave the picked one hidden (one fresh-clone CI run
 * waited 30 s on a lens that never showed again), so a click that times out picks again, up to 3 times.
 */
export async function clickTrainLens(page: Page, file: string, model: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const lens = await trainLensOf(page, file, model);
    const clicked = Date.now();
    try {
      await lens.click({ timeout: 10_000 });
      return clicked;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}
