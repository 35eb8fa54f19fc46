// Drives the VS Code workbench in the page: files, palette, editor, and the widgets language features show.
import type { FrameLocator, Locator, Page } from 'playwright-core';

/** Selectors of VS Code 1.100 (code-server 4.100.3) that the helpers and scenarios rely on. */
export const selectors = {
  workbench: '.monaco-workbench',
  explorerRow: '.explorer-folders-view .monaco-list-row',
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget input',
  quickInputRow: '.quick-input-widget .monaco-list-row',
  activeEditor: '.editor-instance .monaco-editor',
  activeTab: '.tabs-container .tab.active',
  editorLines: '.editor-instance .monaco-editor .view-lines',
  statusLanguage: '#status\\.editor\\.mode',
  statusProblems: '#status\\.problems',
  squiggleError: '.squiggly-error',
  squiggleWarning: '.squiggly-warning',
  codeLens: '.codelens-decoration a',
  suggestWidget: '.editor-widget.suggest-widget.visible',
  suggestRow: '.editor-widget.suggest-widget.visible .monaco-list-row',
  lightBulb: '.lightBulbWidget',
  actionWidget: '.action-widget',
  actionRow: '.action-widget .monaco-list-row.action',
  hover: '.monaco-hover:not(.hidden)',
  notification: '.notification-toast',
  problemsRow: '.markers-panel .monaco-list-row',
} as const;

const defaultTimeout = 20_000;

export async function waitForWorkbench(page: Page, timeout = 60_000): Promise<void> {
  await page.locator(selectors.workbench).waitFor({ timeout });
  await page.locator(selectors.explorerRow).first().waitFor({ timeout });
}

/** Opens a file by its path relative to the workspace, through Quick Open (Ctrl+P). */
export async function openFile(page: Page, relativePath: string): Promise<void> {
  const name = relativePath.split('/').pop() ?? relativePath;
  await focusWorkbench(page);
  await page.keyboard.press('Control+P');
  const input = page.locator(selectors.quickInputBox);
  await input.waitFor({ timeout: defaultTimeout });
  await input.fill(relativePath);
  await acceptQuickInputRow(page, name);
  await waitForActiveTab(page, name);
}

/** Opens a file by clicking its row in the Explorer (top-level entries, or folders already expanded). */
export async function openFileFromExplorer(page: Page, name: string): Promise<void> {
  await page.locator(selectors.explorerRow, { hasText: name }).first().click();
  await waitForActiveTab(page, name);
}

export async function waitForActiveTab(page: Page, name: string, timeout = defaultTimeout): Promise<void> {
  await page.locator(selectors.activeTab, { hasText: name }).waitFor({ timeout });
  await page.locator(selectors.editorLines).first().waitFor({ timeout });
}

/** Runs a Command Palette command by (part of) its title, e.g. "GAN: Train Model". */
export async function runCommand(page: Page, title: string): Promise<void> {
  // A quick input still closing (a save dialog just answered) would take the F1 and then vanish.
  await page.locator(selectors.quickInput).waitFor({ state: 'hidden', timeout: defaultTimeout });
  const input = page.locator(selectors.quickInputBox);
  // The palette can fail to open or be hidden at once when focus moves (a webview taking it
  // back after a save dialog, a notification): then it is opened again, up to three times.
  for (let attempt = 1; ; attempt++) {
    await focusWorkbench(page);
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: attempt < 3 ? 5000 : defaultTimeout });
      await input.fill(`>${title}`, { timeout: attempt < 3 ? 5000 : defaultTimeout });
      break;
    } catch (error) {
      if (attempt >= 3) throw error;
      await page.keyboard.press('Escape');
      // A webview's frame may hold the focus and keep the key: give it back to the workbench.
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    }
  }
  await acceptQuickInputRow(page, title);
}

/** Presses Enter once the highlighted row of the quick input is the one labelled `label`.
 *  Quick Open shows recently opened files (and the palette recently used commands) before its
 *  filtered results, and "View: Close All Editors" also prefixes "… in Group": a row with the
 *  text somewhere in the list is not yet the row Enter would take. */
async function acceptQuickInputRow(page: Page, label: string): Promise<void> {
  const focusedLabel = page.locator(`${selectors.quickInputRow}.focused .label-name`).first();
  const deadline = Date.now() + defaultTimeout;
  for (;;) {
    const text = ((await focusedLabel.textContent({ timeout: 1000 }).catch(() => null)) ?? '').trim();
    if (text === label) break;
    if (Date.now() > deadline)
      throw new Error(`quick input: the highlighted row is "${text}", never "${label}"`);
    // A filtered list whose first row is another match: walk down to the exact one.
    const exact = page.locator(selectors.quickInputRow).filter({
      has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }),
    });
    if (text && (await exact.count()) > 0) await page.keyboard.press('ArrowDown');
    await page.waitForTimeout(100);
  }
  await page.keyboard.press('Enter');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Moves the cursor with Go to Line (Ctrl+G); line and column are 1-based. */
export async function goToLine(page: Page, line: number, column = 1): Promise<void> {
  await focusEditor(page);
  await page.keyboard.press('Control+G');
  const input = page.locator(selectors.quickInputBox);
  await input.waitFor({ timeout: defaultTimeout });
  // Go to Line is Quick Open's `:` mode; the prefix must stay in the box.
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator(selectors.quickInput).waitFor({ state: 'hidden', timeout: defaultTimeout });
}

/** Types into the active editor. Auto-closing pairs apply, as they do for a person typing. */
export async function typeInEditor(page: Page, text: string): Promise<void> {
  await focusEditor(page);
  await page.keyboard.type(text);
}

export async function saveActiveFile(page: Page): Promise<void> {
  await focusEditor(page);
  await page.keyboard.press('Control+S');
}

/** The text of the editor's rendered lines (only the visible part of a long file), top to bottom. */
export async function visibleEditorText(page: Page): Promise<string> {
  const lines = page.locator(`${selectors.editorLines} .view-line`);
  const rows = await lines.evaluateAll((elements) =>
    elements
      .map((element) => ({
        top: parseFloat((element as HTMLElement).style.top || '0'),
        text: element.textContent ?? '',
      }))
      .sort((a, b) => a.top - b.top)
      .map((row) => row.text.replace(/\u00a0/g, ' ')),
  );
  return rows.join('\n');
}

/** The language shown in the status bar, e.g. "GAN". */
export async function statusBarLanguage(page: Page): Promise<string> {
  const item = page.locator(selectors.statusLanguage);
  await item.waitFor({ timeout: defaultTimeout });
  return ((await item.textContent()) ?? '').trim();
}

/** The CSS colour of the first rendered token whose text contains `text` (e.g. to check the grammar ran). */
export async function tokenColor(page: Page, text: string): Promise<string> {
  const token = page.locator(`${selectors.editorLines} span span`, { hasText: text }).first();
  await token.waitFor({ timeout: defaultTimeout });
  return token.evaluate((element) => getComputedStyle(element).color);
}

export function waitForSquiggle(
  page: Page,
  severity: 'error' | 'warning' = 'error',
  timeout = defaultTimeout,
): Promise<void> {
  const selector = severity === 'error' ? selectors.squiggleError : selectors.squiggleWarning;
  return page.locator(selector).first().waitFor({ timeout });
}

/** Waits until no squiggle of this severity is left in the visible editors. */
export function waitForNoSquiggle(
  page: Page,
  severity: 'error' | 'warning' = 'error',
  timeout = defaultTimeout,
): Promise<void> {
  const selector = severity === 'error' ? selectors.squiggleError : selectors.squiggleWarning;
  return page.locator(selector).first().waitFor({ state: 'detached', timeout });
}

/** Waits for a CodeLens (optionally one containing `text`) and returns its locator, ready to click. */
export async function waitForCodeLens(page: Page, text?: string, timeout = defaultTimeout): Promise<Locator> {
  const lens = page.locator(selectors.codeLens, text ? { hasText: text } : {}).first();
  await lens.waitFor({ timeout });
  return lens;
}

/** Triggers completion (Ctrl+Space) at the cursor and returns the labels of the visible suggestions ([] for none). */
export async function triggerCompletion(page: Page, timeout = defaultTimeout): Promise<string[]> {
  await focusEditor(page);
  await page.keyboard.press('Control+Space');
  const rows = page.locator(selectors.suggestRow);
  const noSuggestions = page.locator(`${selectors.suggestWidget} .message`, { hasText: 'No suggestions' });
  await rows.first().or(noSuggestions).waitFor({ timeout });
  return (await noSuggestions.isVisible()) ? [] : rowLabels(rows);
}

/** Waits for the quick-fix light bulb the editor shows on the cursor's line when code actions exist. */
export function waitForLightBulb(page: Page, timeout = defaultTimeout): Promise<void> {
  return page.locator(selectors.lightBulb).first().waitFor({ timeout });
}

/** Opens the quick-fix menu (Ctrl+.) at the cursor and returns the titles of its actions. */
export async function triggerQuickFix(page: Page, timeout = defaultTimeout): Promise<string[]> {
  await focusEditor(page);
  await page.keyboard.press('Control+.');
  await page.locator(selectors.actionRow).first().waitFor({ timeout });
  return rowLabels(page.locator(selectors.actionRow));
}

/**
 * Picks the action or suggestion whose label contains `label` from an open quick-fix or completion list.
 * Uses the keyboard: VS Code lays a pointer-blocking layer over the quick-fix menu.
 */
export async function pickListItem(page: Page, label: string): Promise<void> {
  const rows = page.locator(`${selectors.actionRow}, ${selectors.suggestRow}`);
  const count = await rows.count();
  for (let step = 0; step <= count; step++) {
    const focused = await rows
      .and(page.locator('.focused'))
      .first()
      .getAttribute('aria-label')
      .catch(() => null);
    if (focused?.includes(label)) {
      await page.keyboard.press('Enter');
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`no list item contains "${label}"; items: ${(await rowLabels(rows)).join(' | ')}`);
}

/** Hovers the first rendered token containing `text` and returns the hover's text. */
export async function hoverText(page: Page, text: string, timeout = defaultTimeout): Promise<string> {
  const hover = page.locator(selectors.hover).first();
  // Dismiss an earlier hover first, or its stale text would be read.
  await page.mouse.move(0, 0);
  await page.keyboard.press('Escape');
  await hover.waitFor({ state: 'hidden', timeout });
  await page.locator(`${selectors.editorLines} span span`, { hasText: text }).first().hover();
  await hover.waitFor({ timeout });
  return ((await hover.textContent()) ?? '').trim();
}

/** The Problems counts in the status bar as [errors, warnings]. */
export async function problemCounts(page: Page): Promise<[number, number]> {
  // The label reads "(error icon) 1 (warning icon) 0": each count is the text after its icon.
  // (No named helper inside: tsx would wrap it in a `__name` call that does not exist in the page.)
  const [errors, warnings] = await page
    .locator(selectors.statusProblems)
    .evaluate((item) =>
      ['error', 'warning'].map((icon) =>
        Number(
          (item.querySelector(`.codicon-${icon}`)?.nextSibling?.textContent ?? '0').trim().split(/\s+/)[0],
        ),
      ),
    );
  return [errors, warnings];
}

/** Waits until the status bar shows exactly these Problems counts (diagnostics arrive asynchronously). */
export async function waitForProblemCounts(
  page: Page,
  expected: readonly [number, number],
  timeout = defaultTimeout,
): Promise<void> {
  const deadline = Date.now() + timeout;
  let actual = await problemCounts(page);
  while (actual[0] !== expected[0] || actual[1] !== expected[1]) {
    if (Date.now() > deadline) {
      throw new Error(`Problems counts stayed [${actual.join(', ')}], expected [${expected.join(', ')}]`);
    }
    await page.waitForTimeout(100);
    actual = await problemCounts(page);
  }
}

/** The content of the active webview panel (VS Code nests it in two iframes). */
export function webviewFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame');
}

/** Waits for a notification toast containing `text` and returns it. */
export async function waitForNotification(
  page: Page,
  text: string,
  timeout = defaultTimeout,
): Promise<Locator> {
  const toast = page.locator(selectors.notification, { hasText: text }).first();
  await toast.waitFor({ timeout });
  return toast;
}

async function rowLabels(rows: Locator): Promise<string[]> {
  return rows.evaluateAll((elements) =>
    elements.map((element) => element.getAttribute('aria-label') ?? element.textContent ?? ''),
  );
}

async function focusEditor(page: Page): Promise<void> {
  await page.locator(`${selectors.activeEditor} .view-lines`).first().waitFor({ timeout: defaultTimeout });
  await page
    .locator(`${selectors.activeEditor} textarea, ${selectors.activeEditor} .native-edit-context`)
    .first()
    .focus();
}

async function focusWorkbench(page: Page): Promise<void> {
  const quickInput = page.locator(selectors.quickInput);
  if (await quickInput.isVisible()) await page.keyboard.press('Escape');
}
