// In-editor experiments end to end in a real VS Code (code-server): ▶ Train lenses on the MNIST example,
// then a tiny model trained from its lens: the dashboard's curve grows and a sample grid appears in
// view, the status bar and Runs view follow (the lens and no notification repeat the step), ■ Stop
// checkpoints the run, the hover shows it, and the preview, opened from the dashboard into its own
// group, renders fresh grids from the checkpoint. The Runs view then marks an unhealthy run, resumes,
// compares (a variant named with its base) and deletes runs, with nothing of ours in the logs.
// Prints the latencies and the extension host's memory.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { test } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import {
  copyToWorkspace,
  openFile,
  repoRoot,
  runCommand,
  selectors,
  startVSCode,
  waitForCodeLens,
  waitForNotification,
  waitForWorkbench,
  webviewFrame,
} from './harness';
import { waitForSampleGrid, waitUntil } from './wait';
import { ownWarnings } from './logs';

// Trains in milliseconds per step on any CPU, so the latencies measured are the editor's, not the model's.
const tinySource = `# A tiny model for the end-to-end test.
model tiny: gan {
  data shapes size=16x16 channels=1 { scale [-1, 1]; batch 16 }
  latent 16
  generator {
    dense 64
    leakyrelu
    dense 16*16 activation=tanh
    reshape [16, 16, 1]
  }
  discriminator {
    flatten
    dense 64
    leakyrelu
    dense 1
  }
  loss nonsaturating
  optimizer adam lr=2e-3 beta1=0.5
  train { steps 1000000; seed 7 }
  sample { every 25; grid 4x4 }
}
`;

/** Picks a context-menu entry with the keyboard (a mouse click on a menu item is sometimes lost). */
async function chooseFromContextMenu(page: Page, label: string): Promise<void> {
  const item = page.locator('.context-view .action-label', { hasText: label });
  await item.hover();
  await page.keyboard.press('Enter');
  await item.waitFor({ state: 'detached', timeout: 5000 });
}

/** The extension host of this session: the process whose HOME is the session's own. */
function extensionHostPid(userDataDir: string): number {
  const home = join(dirname(userDataDir), 'home');
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (!cmdline.includes('extensionHost')) continue;
      const environ = readFileSync(`/proc/${name}/environ`, 'utf8').split('\0');
      if (environ.includes(`HOME=${home}`)) return Number(name);
    } catch {
      // The process ended while we looked.
    }
  }
  throw new Error('extension host process not found');
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

function dashboardStep(frame: FrameLocator): Promise<number> {
  return frame
    .locator('[data-stat="step"]')
    .first()
    .textContent({ timeout: 2000 })
    .then((text) => Number((text ?? '').replace(/[^\d].*$/, '').replace(/,/g, '')));
}

function chartCanvas(frame: FrameLocator): Promise<string> {
  return frame
    .locator('[data-chart] canvas')
    .first()
    .evaluate((canvas) => (canvas as HTMLCanvasElement).toDataURL(), undefined, { timeout: 2000 });
}

/** Hovers the token that is exactly `name` (the harness's hoverText takes the first token containing it). */
async function hoverModelName(page: Page, name: string): Promise<string> {
  const hover = page.locator(selectors.hover).first();
  await page.mouse.move(0, 0);
  await page.keyboard.press('Escape');
  await hover.waitFor({ state: 'hidden', timeout: 10_000 });
  await page
    .locator(`${selectors.editorLines} span span`)
    .filter({ hasText: new RegExp(`^${name}$`) })
    .first()
    .hover();
  // The language server's hover and ours arrive separately; wait for ours.
  await page.locator(selectors.hover, { hasText: 'Latest run' }).first().waitFor({ timeout: 20_000 });
  return ((await hover.textContent()) ?? '').trim();
}

async function statusBarText(page: Page): Promise<string> {
  const item = page.locator('.statusbar-item', { hasText: 'img/s' }).first();
  return ((await item.textContent({ timeout: 5000 })) ?? '').trim();
}

test('train from a CodeLens, watch the dashboard, stop, preview samples', { timeout: 300_000 }, async (t) => {
  const workspace = await copyToWorkspace(join(repoRoot, 'examples'), ['mnist-dcgan.gan']);
  writeFileSync(join(workspace, 'tiny.gan'), tinySource);
  // Checks clean (the language does not touch the disk) but its data folder does not exist.
  writeFileSync(
    join(workspace, 'broken.gan'),
    tinySource.replace('model tiny', 'model broken').replace('data shapes', 'data folder "no-such-folder"'),
  );
  const vscode = await startVSCode({
    workspace,
    extensionDevelopmentPath: repoRoot,
    name: 'experiments',
    viewport: { width: 1800, height: 1000 },
    settings: { 'gan.training.maxSteps': 20000, 'gan.dashboard.refreshInterval': 250 },
  });
  const { page } = vscode;
  const stopSampler: { stop?: () => void } = {};
  try {
    // The MNIST example: one ▶ Train per model.
    await openFile(page, 'mnist-dcgan.gan');
    // The first window of the suite starts cold (code-server, the language server's first
    // analysis, the spare worker loading TensorFlow.js on 2 cores): one wait covers all three.
    const lensTexts = () => page.locator('.codelens-decoration').allTextContents();
    await waitUntil(
      async () => (await lensTexts()).filter((text) => text.includes('▶ Train')).length >= 3,
      'a ▶ Train lens per model',
      90_000,
    ).catch(async (error: Error) => {
      throw new Error(`${error.message}; lenses shown: ${JSON.stringify(await lensTexts())}`);
    });
    await vscode.screenshot('experiments-1-lenses');

    await openFile(page, 'tiny.gan');
    const train = await waitForCodeLens(page, '▶ Train');
    const host = extensionHostPid(vscode.userDataDir);
    const memoryBefore = rssMb(host);
    let memoryPeak = memoryBefore;
    const sampler = setInterval(() => {
      memoryPeak = Math.max(memoryPeak, rssMb(host));
    }, 200);
    stopSampler.stop = () => clearInterval(sampler);

    const clicked = Date.now();
    await train.click();
    const dashboard = webviewFrame(page);
    await dashboard.locator('[data-chart] canvas').first().waitFor({ timeout: 30_000 });
    const firstPoint = Date.now() - clicked;
    await waitForSampleGrid(dashboard);
    const firstGrid = Date.now() - clicked;
    const runsDir = join(workspace, '.gan', 'runs');
    const runDir = join(runsDir, readdirSync(runsDir)[0]);
    const firstSampleFile = readdirSync(join(runDir, 'samples')).sort()[0];
    const gridWritten = statSync(join(runDir, 'samples', firstSampleFile)).mtimeMs - clicked;
    const runStarted =
      Date.parse(JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')).startedAt) - clicked;

    // The curve keeps growing while it trains; the status bar and the lens follow.
    const stepA = await dashboardStep(dashboard);
    const canvasA = await chartCanvas(dashboard);
    await page.waitForTimeout(1500);
    const stepB = await dashboardStep(dashboard);
    assert.ok(stepB > stepA, `the dashboard's step grows (${stepA} → ${stepB})`);
    assert.notEqual(await chartCanvas(dashboard), canvasA, 'the chart is redrawn with new points');
    assert.match(await statusBarText(page), /tiny \d+\/20000 · [\d.]+k? img\/s/);
    // The step shows in two places, the status bar and the dashboard's header: the Stop lens has
    // none, and no progress notification covers the open dashboard.
    const stopLens = await waitForCodeLens(page, '■ Stop');
    assert.equal(((await stopLens.textContent()) ?? '').trim(), '■ Stop');
    assert.equal(
      await page.locator(selectors.codeLens, { hasText: /\d+\/\d+|step/ }).count(),
      0,
      'no lens shows a step',
    );
    assert.equal(
      await page.locator(selectors.notification, { hasText: /Training tiny|step \d+\// }).count(),
      0,
      'no progress notification while a dashboard shows the run',
    );
    // The Runs view, in GAN Studio's own view container, lists the run under its model, named by
    // when it started.
    await page.locator('.activitybar .action-label[aria-label^="GAN Studio"]').click();
    const liveRow = page.locator('.monaco-list-row[aria-label^="tiny-"]').first();
    await liveRow.waitFor({ timeout: 10_000 });
    assert.match((await liveRow.textContent()) ?? '', /today \d\d:\d\d/);
    // The first grid is in view in the dashboard beside the editor at the default split, unscrolled.
    const grid = await dashboard
      .locator('img.sample-image')
      .first()
      .evaluate((img) => {
        const box = img.getBoundingClientRect();
        const page = document.scrollingElement;
        return {
          box: { left: box.left, top: box.top, right: box.right, bottom: box.bottom },
          viewport: { width: window.innerWidth, height: window.innerHeight },
          scrolled: {
            x: window.scrollX + (page?.scrollLeft ?? 0),
            y: window.scrollY + (page?.scrollTop ?? 0),
          },
        };
      });
    assert.deepEqual(grid.scrolled, { x: 0, y: 0 }, 'the dashboard is not scrolled');
    assert.ok(
      grid.box.right > grid.box.left &&
        grid.box.left >= 0 &&
        grid.box.top >= 0 &&
        grid.box.right <= grid.viewport.width &&
        grid.box.bottom <= grid.viewport.height,
      `the sample grid lies inside the dashboard's viewport: ${JSON.stringify(grid)}`,
    );
    await vscode.screenshot('experiments-2-training');

    await (await waitForCodeLens(page, '■ Stop')).click();
    await waitUntil(
      async () => /stopped/i.test((await dashboard.locator('.status-badge').first().textContent()) ?? ''),
      'the dashboard to show the run stopped',
    );
    stopSampler.stop();
    const memoryGrowth = memoryPeak - memoryBefore;

    // The hover over the model's name shows the latest run and its grid.
    const preview = await waitForCodeLens(page, 'Preview samples');
    const hover = await hoverModelName(page, 'tiny');
    assert.match(hover, /Latest run/);
    assert.match(hover, /stopped at step \d+/);
    assert.ok(
      await page.locator(`${selectors.hover} img[src^="data:image/png"]`).count(),
      'the hover shows the sample grid',
    );
    await page.locator(`${selectors.hover} img[src^="data:image/png"]`).first().scrollIntoViewIfNeeded();
    await vscode.screenshot('experiments-3-hover');
    await page.keyboard.press('Escape');

    // The preview, opened from the dashboard, is a tab in the dashboard's group (no third group); it
    // renders a grid from the checkpoint written on stop, then another from a new seed.
    assert.ok(await preview.isVisible(), 'the checkpoint is there to preview');
    const groups = page.locator('.part.editor .editor-group-container');
    assert.equal(await groups.count(), 2, 'the editor and the dashboard beside it');
    await dashboard.locator('.preview-button').click();
    await page.locator('.tab', { hasText: 'Samples' }).first().waitFor({ timeout: 10_000 });
    assert.equal(await groups.count(), 2, 'the preview opened no third editor group');
    assert.equal(
      await groups
        .filter({ has: page.locator('.tab', { hasText: 'Samples' }) })
        .filter({ has: page.locator('.tab', { hasText: 'Dashboard: tiny-' }) })
        .count(),
      1,
      'the preview and the dashboard share one group',
    );
    const previewFrame = webviewFrame(page);
    const image = previewFrame.locator('img.preview-image');
    const firstSrc = async (): Promise<string> => (await image.getAttribute('src', { timeout: 1000 })) ?? '';
    await waitUntil(
      async () =>
        (await firstSrc()) !== '' &&
        (await image.evaluate((img) => (img as HTMLImageElement).naturalWidth > 0, undefined, {
          timeout: 1000,
        })),
      'the preview grid',
      60_000,
    );
    const before = await firstSrc();
    await previewFrame.locator('.new-seed-button').click();
    await waitUntil(async () => (await firstSrc()) !== before, 'a grid from a new seed', 30_000);
    await vscode.screenshot('experiments-4-preview');

    // Save PNG… asks where (VS Code's own save dialog) and writes the grid shown.
    await previewFrame.locator('.save-button').click();
    await page.locator(selectors.quickInputBox).waitFor({ timeout: 10_000 });
    await waitUntil(
      async () => (await page.locator(selectors.quickInputBox).inputValue()).endsWith('.png'),
      'the save dialog to propose a file name',
      10_000,
    );
    const savedName = basename(await page.locator(selectors.quickInputBox).inputValue());
    assert.match(savedName, /^tiny-\d{8}-\d{6}-grid-step-\d+\.png$/);
    await page.keyboard.press('Enter');
    const saved = join(workspace, savedName);
    await waitUntil(async () => existsSync(saved), 'the saved PNG', 10_000);
    const png = PNG.sync.read(readFileSync(saved));
    assert.ok(png.width >= 64 && png.height >= 64, `a whole grid was saved (${png.width}x${png.height})`);

    // The GPU check runs `gan gpu` in a child process and reports each backend's verdict.
    await runCommand(page, 'GAN Studio: Check GPU backend');
    await waitForNotification(page, 'GPU check: gpu:', 60_000);

    // After a reload the serializer brings the dashboard back on the same run.
    await page.reload();
    await waitForWorkbench(page);
    await page.locator('.tab', { hasText: 'Dashboard: tiny-' }).first().click({ timeout: 30_000 });
    const restored = webviewFrame(page);
    await waitUntil(
      async () => /stopped/i.test((await restored.locator('.status-badge').first().textContent()) ?? ''),
      'the restored dashboard',
    );
    await restored.locator('[data-chart] canvas').first().waitFor({ timeout: 10_000 });
    await vscode.screenshot('experiments-5-restored');

    // A run that fails says why, with the worker's message and a way to its log.
    await runCommand(page, 'View: Close All Editors');
    // Console hygiene: the scenario so far (open, hover, fix, train, dashboard, preview, stop, resume)
    // logged no warning or error of GAN Studio's own, e.g. no window-scoped setting read per resource.
    assert.deepEqual(ownWarnings(vscode.readLogs()), []);
    await openFile(page, 'broken.gan');
    await (await waitForCodeLens(page, '▶ Train')).click();
    const failure = await waitForNotification(page, 'Training broken failed', 30_000);
    assert.match((await failure.textContent()) ?? '', /no-such-folder does not exist/);
    await failure.locator('.monaco-button', { hasText: 'Show Log' }).waitFor({ timeout: 5000 });
    await vscode.screenshot('experiments-6-failure');
    await runCommand(page, 'Notifications: Clear All Notifications');
    // The one error logged since is the run's own failure, reported as such.
    const logged = ownWarnings(vscode.readLogs());
    assert.equal(logged.length, 1, logged.join('\n'));
    assert.match(logged[0], /\[error\] broken failed: .*no-such-folder does not exist/);

    // The Runs view: a note's #tags show on the run; Resume Run continues it; Compare Runs… opens
    // one dashboard for the runs picked; Delete Run… (after its confirmation) removes a run; a run
    // folder that appears or disappears on disk comes and goes.
    await page.locator('.activitybar .action-label[aria-label^="GAN Studio"]').click();
    const rowOf = (id: string, text?: string) =>
      page.locator(`.monaco-list-row[aria-label^="${id},"]`, text ? { hasText: text } : {}).first();
    const runId = basename(runDir);
    const runRow = rowOf(runId);
    await runRow.waitFor({ timeout: 10_000 });
    await runRow.click({ button: 'right' });
    await chooseFromContextMenu(page, 'Edit Note…');
    await page.locator(selectors.quickInputBox).fill('#e2e stopped early on purpose');
    await page.keyboard.press('Enter');
    await rowOf(runId, '#e2e').waitFor({ timeout: 10_000 });
    assert.equal(readFileSync(join(runDir, 'note.txt'), 'utf8').trim(), '#e2e stopped early on purpose');
    await vscode.screenshot('experiments-7-runs-view');

    const stepBeforeResume = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')).step as number;
    await runRow.click({ button: 'right' });
    await chooseFromContextMenu(page, 'Resume Run');
    await rowOf(runId, 'training').waitFor({ timeout: 30_000 });
    await waitUntil(
      async () => JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')).step > stepBeforeResume,
      'the resumed run to train past its checkpoint',
    );
    await vscode.screenshot('experiments-8-resumed');
    await runCommand(page, 'GAN Studio: Stop Training');
    await rowOf(runId, 'stopped').waitFor({ timeout: 30_000 });

    // Two more runs beside it: a completed copy whose run.json records a health problem, and a run
    // of the variant dcgan_hinge (extends dcgan_small). Each has a best FID (as `gan eval` records).
    const info = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as Record<string, unknown>;
    const evalLine = (model: string, id: string, step: number, fid: number): string =>
      JSON.stringify({
        run: id,
        model,
        step,
        time: new Date().toISOString(),
        features: 'mnist-classifier',
        samples: { fid: 500 },
        values: { 'eval/fid': fid },
        seconds: 1,
      }) + '\n';
    writeFileSync(join(runDir, 'eval.jsonl'), evalLine('tiny', runId, info.step as number, 123.4));
    const copyId = 'tiny-20000101-000000';
    const copy = join(runsDir, copyId);
    mkdirSync(copy);
    writeFileSync(
      join(copy, 'run.json'),
      JSON.stringify({
        ...info,
        id: copyId,
        status: 'completed',
        health: [
          {
            signal: 'saturated',
            step: 40,
            message:
              'the discriminator wins outright: D(real) 0.999 and D(fake) 0.001 over the last 20 steps, so the generator gets no useful gradient',
            advice: 'Slow the discriminator down (its own optimizer with a lower lr).',
          },
        ],
      }),
    );
    writeFileSync(join(copy, 'eval.jsonl'), evalLine('tiny', copyId, 60, 98.7));
    const variantId = 'dcgan_hinge-20000101-000000';
    const variant = join(runsDir, variantId);
    mkdirSync(variant);
    writeFileSync(
      join(variant, 'run.json'),
      JSON.stringify({
        ...info,
        id: variantId,
        model: 'dcgan_hinge',
        sourceFile: join(workspace, 'mnist-dcgan.gan'),
        status: 'stopped',
        step: 1500,
        totalSteps: 2000,
      }),
    );
    writeFileSync(join(variant, 'eval.jsonl'), evalLine('dcgan_hinge', variantId, 1500, 66.43));

    // The Runs view says the copy is unhealthy, with a warning icon instead of its status icon.
    const copyRow = rowOf(copyId);
    await copyRow.waitFor({ timeout: 15_000 });
    const variantRow = rowOf(variantId);
    await variantRow.waitFor({ timeout: 15_000 });
    assert.match(
      (await copyRow.textContent()) ?? '',
      /completed — unhealthy: discriminator saturated/,
      'the row says the run is unhealthy',
    );
    assert.equal(
      await copyRow.locator('.codicon-warning').count(),
      1,
      'the unhealthy run has a warning icon',
    );
    assert.equal(await runRow.locator('.codicon-warning').count(), 0, 'a healthy run has none');
    // A wider side bar for the screenshot, so the row's whole description shows.
    const sideBar = await page.locator('.part.sidebar').boundingBox();
    if (sideBar) {
      await page.mouse.move(sideBar.x + sideBar.width, sideBar.y + 300);
      await page.mouse.down();
      await page.mouse.move(sideBar.x + sideBar.width + 250, sideBar.y + 300, { steps: 5 });
      await page.mouse.up();
    }
    await vscode.screenshot('experiments-9-unhealthy');

    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'GAN Studio: Compare Runs…');
    // Each entry: the model (and what it extends), when it ran, how it ended and its best FID.
    const pickRows = page.locator(selectors.quickInputRow);
    await waitUntil(async () => (await pickRows.count()) === 3, 'the three runs in the Compare Runs pick');
    /** An entry's label, description and detail, joined by ` | `. */
    const pickText = (id: string): Promise<string> =>
      pickRows
        .filter({ hasText: id })
        .first()
        .evaluate((row) =>
          [...row.querySelectorAll('.label-name, .label-description')]
            .map((part) => (part.textContent ?? '').trim())
            .filter(Boolean)
            .join(' | '),
        );
    const age = /(just now|\d+ min ago|\d+ h ago)/.source;
    const entries = {
      [runId]: `^tiny \\| ${age} · stopped · step \\d+/20000 \\| best FID 123\\.4 at step \\d+ · gan · tiny\\.gan · ${runId}$`,
      [copyId]: `^tiny \\| ${age} · completed — unhealthy: discriminator saturated · step \\d+/20000 \\| best FID 98\\.7 at step 60 · gan · tiny\\.gan · ${copyId}$`,
      [variantId]: `^dcgan_hinge \\| extends dcgan_small · ${age} · stopped · step 1500/2000 \\| best FID 66\\.43 at step 1500 · gan · mnist-dcgan\\.gan · ${variantId}$`,
    };
    for (const [id, pattern] of Object.entries(entries))
      assert.match(await pickText(id), new RegExp(pattern));
    await vscode.screenshot('experiments-10-compare-pick');
    // A multi-select pick: a click on a row ticks it.
    for (const id of [runId, copyId]) await pickRows.filter({ hasText: id }).first().click();
    await page.keyboard.press('Enter');
    const compared = webviewFrame(page);
    await waitUntil(
      async () => (await compared.locator('[data-table="runs"] vscode-table-row').count()) === 2,
      'a dashboard comparing both runs',
    );
    await vscode.screenshot('experiments-11-compare');
    await runCommand(page, 'View: Close All Editors');

    await runRow.click({ button: 'right' });
    await chooseFromContextMenu(page, 'Delete Run…');
    await page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Delete' }).click();
    await runRow.waitFor({ state: 'detached', timeout: 15_000 });
    assert.equal(existsSync(runDir), false, 'Delete Run… removed the folder');
    await vscode.screenshot('experiments-12-deleted');
    rmSync(copy, { recursive: true, force: true });
    rmSync(variant, { recursive: true, force: true });
    await copyRow.waitFor({ state: 'detached', timeout: 15_000 });
    await variantRow.waitFor({ state: 'detached', timeout: 15_000 });
    // Console hygiene after resuming, comparing and deleting: still only the failed run's error.
    assert.deepEqual(ownWarnings(vscode.readLogs()), logged);

    t.diagnostic(`click ▶ Train → first point on the curve: ${firstPoint} ms (target < 3000)`);
    t.diagnostic(`click ▶ Train → first sample grid: ${firstGrid} ms (target < 5000)`);
    t.diagnostic(
      `(the worker started the run after ${runStarted.toFixed(0)} ms and wrote ${firstSampleFile} after ${gridWritten.toFixed(0)} ms)`,
    );
    t.diagnostic(
      `extension host RSS: ${memoryBefore.toFixed(0)} MB before, ${memoryPeak.toFixed(0)} MB peak while training ` +
        `(growth ${memoryGrowth.toFixed(1)} MB, target < 50)`,
    );
    assert.ok(firstPoint < 3000, `first point after ${firstPoint} ms`);
    assert.ok(firstGrid < 5_000, `first grid after ${firstGrid} ms`);
    assert.ok(memoryGrowth < 50, `extension host grew ${memoryGrowth.toFixed(1)} MB`);
  } finally {
    stopSampler.stop?.();
    await vscode.screenshot('experiments-final');
    await vscode.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
});
