// The sample preview webview in real headless Chromium, plus its pure request-building rules.
import { encodeGrid } from '../../src/training/engine/png';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { PreviewRun, RenderSamplesMessage } from '../../src/protocol/webview';
import {
  buildRequest,
  modesFor,
  reconcileOptions,
  takesClasses,
  takesPrompt,
} from '../../src/webview/preview/sampleOptions';
import {
  buildPanel,
  type DashboardPage,
  type DashboardServer,
  gridPng,
  launchChromium,
  newDashboardPage,
  startDashboardServer,
} from './harness';

const cgan: PreviewRun = {
  id: 'fashion-cgan-20261123-110000',
  model: 'fashion_cgan',
  family: 'cgan',
  classes: 10,
  classNames: [
    'T-shirt/top',
    'Trouser',
    'Pullover',
    'Dress',
    'Coat',
    'Sandal',
    'Shirt',
    'Sneaker',
    'Bag',
    'Ankle boot',
  ],
  checkpoints: [200, 400],
  grid: [10, 10],
  seed: 42,
};

const vae: PreviewRun = {
  id: 'fashion-vae-20261123-104500',
  model: 'fashion_vae',
  family: 'vae',
  classes: null,
  checkpoints: [400],
  grid: [8, 8],
  seed: 7,
  latent: 16,
};

describe('preview requests (pure)', () => {
  test('each family offers the modes its trainer can render', () => {
    assert.deepEqual(
      modesFor('gan').map((m) => m.mode),
      ['grid', 'interpolate'],
    );
    assert.deepEqual(
      modesFor('vae').map((m) => m.mode),
      ['grid', 'interpolate', 'reconstruct', 'walk'],
    );
    assert.deepEqual(
      modesFor('cyclegan').map((m) => m.mode),
      ['translate'],
    );
    assert.deepEqual(
      modesFor('srgan').map((m) => m.mode),
      ['superres'],
    );
  });

  test('srgan shows held-out images: no classes asked for, even from labelled data', () => {
    const sr: PreviewRun = { ...cgan, id: 'emoji-sr-20261130-220836', model: 'emoji_sr', family: 'srgan' };
    assert.deepEqual(buildRequest(sr, reconcileOptions(sr, undefined)), {
      mode: 'superres',
      grid: [10, 10],
      seed: 42,
    });
  });

  test('cgan rows get one class each; a picked class fills the grid; interpolate carries seed2', () => {
    const options = reconcileOptions(cgan, undefined);
    assert.deepEqual(buildRequest(cgan, options), {
      mode: 'grid',
      grid: [10, 10],
      seed: 42,
      classes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    });
    assert.deepEqual(buildRequest(cgan, { ...options, mode: 'interpolate', classChoice: 3, grid: [4, 8] }), {
      mode: 'interpolate',
      grid: [4, 8],
      seed: 42,
      seed2: 43,
      classes: 3,
    });
    assert.deepEqual(buildRequest(vae, reconcileOptions(vae, { mode: 'walk', classChoice: 3 })), {
      mode: 'walk',
      grid: [8, 8],
      seed: 7,
    });
  });

  test('a conditional pixelcnn: one class per grid row, as cgan; completions keep their own labels', () => {
    const pixel: PreviewRun = { ...cgan, id: 'mnist-pixelcnn-cond-20261201-090000', family: 'pixelcnn' };
    const options = reconcileOptions(pixel, { classChoice: 4 });
    assert.ok(takesClasses(pixel, 'grid'));
    assert.deepEqual(buildRequest(pixel, options), { mode: 'grid', grid: [10, 10], seed: 42, classes: 4 });
    assert.ok(!takesClasses(pixel, 'complete'), 'no class picker for completions');
    assert.deepEqual(buildRequest(pixel, { ...options, mode: 'complete' }), {
      mode: 'complete',
      grid: [10, 10],
      seed: 42,
    });
    assert.ok(!takesClasses({ ...pixel, classes: null }, 'grid'), 'an unconditional run has no classes');
  });

  test('saved options that do not fit the run fall back to its defaults', () => {
    const options = reconcileOptions(vae, { mode: 'translate', seed: -1, grid: [0, 4], seed2: 9 });
    assert.deepEqual(options, {
      mode: 'grid',
      seed: 7,
      seed2: 9,
      grid: [8, 8],
      classChoice: 'rows',
      text: '',
    });
  });

  test('cgan: the prompt box shows for runs conditioned on captions only', () => {
    const cgan: PreviewRun = { ...vae, id: 'emoji-text-cgan-20261203-070000', family: 'cgan', classes: null };
    assert.ok(takesPrompt({ ...cgan, captions: true }));
    assert.ok(!takesPrompt({ ...cgan, captions: false }));
    assert.ok(!takesPrompt({ ...cgan, classes: 10 }), 'a run whose model could not be read: classes, no box');
    const options = reconcileOptions({ ...cgan, captions: true }, { text: 'red apple' });
    assert.deepEqual(buildRequest({ ...cgan, captions: true }, options).text, ['red apple']);
  });

  test('stackgan: the prompt box asks for one row per `;`-separated caption; empty draws held-out captions', () => {
    const stack: PreviewRun = {
      ...vae,
      id: 'emoji-stackgan-20261201-080000',
      family: 'stackgan',
      classes: null,
    };
    assert.ok(takesPrompt(stack) && !takesPrompt(vae));
    const options = reconcileOptions(stack, { text: ' red apple ;; smiling cat face;' });
    assert.deepEqual(buildRequest(stack, options), {
      mode: 'grid',
      grid: [8, 8],
      seed: 7,
      text: ['red apple', 'smiling cat face'],
    });
    assert.deepEqual(buildRequest(stack, { ...options, text: '  ' }), {
      mode: 'grid',
      grid: [8, 8],
      seed: 7,
    });
    assert.equal(
      reconcileOptions(vae, { text: 'red apple' }).text,
      '',
      'a family without prompts keeps none',
    );
  });
});

describe('sample preview webview', { concurrency: false }, () => {
  let browser: Browser;
  let server: DashboardServer;
  const cleanups: (() => void)[] = [];
  const screenshots = 'test-results/webview';

  before(async () => {
    const [dashboard, preview] = await Promise.all([buildPanel('dashboard'), buildPanel('preview')]);
    cleanups.push(dashboard.cleanup, preview.cleanup);
    server = await startDashboardServer(dashboard.script, { preview: preview.script });
    browser = await launchChromium();
    mkdirSync(screenshots, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    for (const cleanup of cleanups) cleanup();
  });

  async function openPreview(theme: 'dark' | 'light' = 'dark'): Promise<DashboardPage> {
    const preview = await newDashboardPage(browser, server);
    await preview.open(theme, 'preview');
    return preview;
  }

  async function renderRequests(preview: DashboardPage): Promise<RenderSamplesMessage[]> {
    return (await preview.posted()).filter(
      (m): m is RenderSamplesMessage => (m as { type: string }).type === 'renderSamples',
    );
  }

  let pngCount = 0;
  function png(): string {
    pngCount++;
    return server.addFile(`/preview/render-${pngCount}.png`, 'image/png', gridPng(pngCount, 40));
  }

  async function rowLabelTexts(preview: DashboardPage): Promise<string[]> {
    return preview.page.$$eval('.preview-stage .row-label', (labels) =>
      labels.map((l) => l.textContent ?? ''),
    );
  }

  async function optionTexts(preview: DashboardPage, select: string): Promise<string[]> {
    return preview.page.$$eval(`${select} vscode-option`, (options) =>
      options.map((o) => o.textContent?.trim() ?? ''),
    );
  }

  async function choose(preview: DashboardPage, select: string, value: string): Promise<void> {
    await preview.page.$eval(
      select,
      (element, v) => {
        (element as HTMLElement & { value: string }).value = v;
        element.dispatchEvent(new Event('change', { bubbles: true }));
      },
      value,
    );
    await preview.settle();
  }

  test('renders on open, shows the answer, and keeps only the newest request', async () => {
    const preview = await openPreview();
    await preview.send({ type: 'previewInit', run: cgan });
    const [first] = await renderRequests(preview);
    assert.deepEqual(first, {
      type: 'renderSamples',
      requestId: 1,
      runId: cgan.id,
      checkpoint: null,
      request: { mode: 'grid', grid: [10, 10], seed: 42, classes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] },
    });
    assert.equal(await preview.page.$eval('.busy', (b) => (b as HTMLElement).hidden), false);

    const firstImage = png();
    await preview.send({ type: 'sampleImage', requestId: 1, uri: firstImage, checkpoint: 400 });
    assert.equal(await preview.page.$eval('.preview-image', (i) => (i as HTMLImageElement).src), firstImage);
    await preview.page.waitForFunction(
      () => (document.querySelector('.preview-image') as HTMLImageElement).complete,
    );
    assert.equal(await preview.page.$eval('.preview-image', (i) => (i as HTMLImageElement).naturalWidth), 40);
    // One row per class, named; the class picker offers the same names.
    assert.deepEqual(await rowLabelTexts(preview), cgan.classNames);
    assert.deepEqual(await optionTexts(preview, '#class'), ['One class per row', ...(cgan.classNames ?? [])]);
    assert.match(
      await preview.page.$eval('.preview-message', (m) => m.textContent ?? ''),
      /^Step 400 · Random samples/,
    );

    // Interpolate, then a class, then pick the older checkpoint: each change asks again.
    await choose(preview, '#mode', 'interpolate');
    assert.equal(await preview.page.$eval('#seed2', (f) => f.closest('label')?.hidden), false);
    await choose(preview, '#class', '5');
    await choose(preview, '#checkpoint', '200');
    const requests = await renderRequests(preview);
    assert.deepEqual(requests.at(-1), {
      type: 'renderSamples',
      requestId: 4,
      runId: cgan.id,
      checkpoint: 200,
      request: { mode: 'interpolate', grid: [10, 10], seed: 42, seed2: 43, classes: 5 },
    });
    // The class is named in the caption (once its render is shown) and beside every row.
    // A late answer to request 2 is ignored; request 4's answer is shown.
    await preview.send({ type: 'sampleImage', requestId: 2, uri: png(), checkpoint: 400 });
    assert.equal(await preview.page.$eval('.preview-image', (i) => (i as HTMLImageElement).src), firstImage);
    const latest = png();
    await preview.send({ type: 'sampleImage', requestId: 4, uri: latest, checkpoint: 200 });
    assert.equal(await preview.page.$eval('.preview-image', (i) => (i as HTMLImageElement).src), latest);
    assert.match(
      await preview.page.$eval('.preview-message', (m) => m.textContent ?? ''),
      /^Step 200 · Interpolate[^·]* · Sandal · seed 42/,
    );
    assert.deepEqual(await rowLabelTexts(preview), Array(10).fill('Sandal'));

    // History: the first render is one click (or Enter) away; Save asks for the one shown.
    assert.equal(await preview.page.$$eval('.history-item', (items) => items.length), 2);
    await preview.page.focus('.history-item:nth-child(2)');
    await preview.page.keyboard.press('Enter');
    await preview.settle();
    assert.equal(await preview.page.$eval('.preview-image', (i) => (i as HTMLImageElement).src), firstImage);
    await preview.page.click('.save-button');
    assert.deepEqual((await preview.posted()).at(-1), { type: 'saveSample', requestId: 1 });

    // Errors from the host are shown as such.
    await preview.page.click('.new-seed-button');
    const reseeded = (await renderRequests(preview)).at(-1);
    assert.ok(reseeded && reseeded.request.seed !== 42);
    await preview.send({
      type: 'sampleError',
      requestId: reseeded.requestId,
      message: 'checkpoint step-000200 is missing',
    });
    assert.equal(
      await preview.page.$eval('.preview-message', (m) => m.textContent),
      'checkpoint step-000200 is missing',
    );
    assert.equal(await preview.page.$eval('.preview-message', (m) => m.classList.contains('error')), true);
    await preview.page.screenshot({ path: `${screenshots}/dark-preview.png`, fullPage: true });
    // A run whose data has no class names: the picker numbers them.
    const { classNames: _unnamed, ...numbered } = cgan;
    await preview.send({ type: 'previewInit', run: { ...numbered, id: 'shapes-cgan', classes: 3 } });
    assert.deepEqual(await optionTexts(preview, '#class'), [
      'One class per row',
      'Class 0',
      'Class 1',
      'Class 2',
    ]);
    assert.deepEqual(preview.problems, []);
    await preview.page.close();
  });

  test('a video run plays its clips: frame t of every row, play/pause and a frame scrubber', async () => {
    const video: PreviewRun = {
      id: 'moving-digits-20261201-080000',
      model: 'moving_digits',
      family: 'video',
      classes: null,
      checkpoints: [500],
      grid: [2, 4],
      seed: 1,
      latent: 8,
      frames: 4,
    };
    const preview = await openPreview();
    await preview.send({ type: 'previewInit', run: video });
    const [request] = await renderRequests(preview);
    assert.equal(request.request.mode, 'grid');
    // Two clips of four 6x6 frames; frame t of clip r is a flat grey of 40·t + 100·r.
    const [h, w] = [6, 6];
    const pixels = new Float32Array(2 * 4 * h * w);
    for (let cell = 0; cell < 8; cell++)
      pixels.fill((40 * (cell % 4) + 100 * Math.floor(cell / 4)) / 255, cell * h * w, (cell + 1) * h * w);
    const strip = Buffer.from(encodeGrid({ rows: 2, cols: 4, pixels, shape: [h, w, 1], scale: [0, 1] }));
    const uri = server.addFile('/preview/clips.png', 'image/png', strip);
    await preview.send({ type: 'sampleImage', requestId: request.requestId, uri, checkpoint: 500 });
    assert.equal(await preview.page.$eval('.clip-player', (p) => (p as HTMLElement).hidden), false);
    assert.equal(await preview.page.$eval('.preview-image', (i) => (i as HTMLImageElement).src), uri);
    // It plays by itself: the caption moves on.
    await preview.page.waitForFunction(
      () => document.querySelector('.clip-caption')?.textContent !== 'frame 1 of 4',
      undefined,
      { timeout: 5000 },
    );
    await preview.page.click('.clip-play');
    assert.equal(await preview.page.$eval('.clip-play', (b) => b.textContent), 'Play');
    await preview.page.$eval('.clip-scrubber', (s) => {
      (s as HTMLInputElement).value = '2';
      s.dispatchEvent(new Event('input', { bubbles: true }));
    });
    assert.equal(await preview.page.$eval('.clip-caption', (c) => c.textContent), 'frame 3 of 4');
    const canvas = await preview.page.$eval('.clip-canvas', (c) => {
      const canvas = c as HTMLCanvasElement;
      const at = (x: number, y: number) => canvas.getContext('2d')?.getImageData(x, y, 1, 1).data[0];
      // Inside clip 0's and clip 1's frame (past the 2 px gutters).
      return { width: canvas.width, height: canvas.height, first: at(4, 4), second: at(4, 4 + 6 + 2) };
    });
    assert.deepEqual(canvas, { width: 6 + 4, height: 2 * 6 + 3 * 2, first: 80, second: 180 });
    assert.deepEqual(preview.problems, []);
    await preview.page.close();
  });

  test('options survive a reload; a VAE gets its own modes and no class picker', async () => {
    const preview = await openPreview('light');
    await preview.send({ type: 'previewInit', run: vae });
    assert.equal(await preview.page.$eval('#class', (c) => c.closest('label')?.hidden), true);
    const modes = await preview.page.$$eval('#mode vscode-option', (o) =>
      o.map((x) => x.getAttribute('value')),
    );
    assert.deepEqual(modes, ['grid', 'interpolate', 'reconstruct', 'walk']);
    await choose(preview, '#mode', 'reconstruct');
    await choose(preview, '#grid', '4x8');
    await preview.send({ type: 'sampleImage', requestId: 3, uri: png(), checkpoint: 400 });
    assert.deepEqual(await rowLabelTexts(preview), [
      'original',
      'reconstruction',
      'original',
      'reconstruction',
    ]);
    await preview.page.screenshot({ path: `${screenshots}/light-preview.png`, fullPage: true });

    await preview.page.reload();
    await preview.page.waitForFunction(() =>
      (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'),
    );
    await preview.send({ type: 'previewInit', run: vae });
    assert.deepEqual((await renderRequests(preview))[0].request, {
      mode: 'reconstruct',
      grid: [4, 8],
      seed: 7,
    });
    assert.equal(
      await preview.page.$eval('#mode', (s) => (s as HTMLElement & { value: string }).value),
      'reconstruct',
    );

    // A latent walk: row r walks latent dimension r from −3 to 3.
    await choose(preview, '#mode', 'walk');
    const walk = (await renderRequests(preview)).at(-1);
    assert.ok(walk && walk.request.mode === 'walk');
    await preview.send({ type: 'sampleImage', requestId: walk.requestId, uri: png(), checkpoint: 400 });
    assert.deepEqual(await rowLabelTexts(preview), ['z1: −3 → 3', 'z2: −3 → 3', 'z3: −3 → 3', 'z4: −3 → 3']);
    await preview.page.screenshot({ path: `${screenshots}/light-preview-walk.png`, fullPage: true });
    // A latent smaller than the rows: the walk starts over at z1.
    await preview.send({ type: 'previewInit', run: { ...vae, id: 'small-z-vae', latent: 3 } });
    const again = (await renderRequests(preview)).at(-1);
    assert.ok(again && again.request.mode === 'walk');
    await preview.send({ type: 'sampleImage', requestId: again.requestId, uri: png(), checkpoint: 400 });
    assert.deepEqual(await rowLabelTexts(preview), ['z1: −3 → 3', 'z2: −3 → 3', 'z3: −3 → 3', 'z1: −3 → 3']);
    assert.deepEqual(preview.problems, []);
    await preview.page.close();
  });
  test('a run without checkpoints says so, then renders each new newest checkpoint by itself', async () => {
    const preview = await openPreview();
    const live = { ...vae, id: 'live-vae', checkpoints: [] };
    await preview.send({ type: 'previewInit', run: live });
    assert.equal((await renderRequests(preview)).length, 0);
    assert.match(
      await preview.page.$eval('.preview-message', (m) => m.textContent ?? ''),
      /No checkpoint yet/,
    );
    await preview.page.screenshot({ path: `${screenshots}/dark-preview-no-checkpoint.png`, fullPage: true });

    await preview.send({ type: 'checkpoints', runId: live.id, checkpoints: [100] });
    const [first] = await renderRequests(preview);
    assert.deepEqual(first && { checkpoint: first.checkpoint, mode: first.request.mode }, {
      checkpoint: null,
      mode: 'grid',
    });
    const firstImage = png();
    await preview.send({ type: 'sampleImage', requestId: first.requestId, uri: firstImage, checkpoint: 100 });
    assert.equal(await preview.page.$eval('.preview-image', (i) => (i as HTMLImageElement).src), firstImage);
    assert.match(
      await preview.page.$eval('.preview-message', (m) => m.textContent ?? ''),
      /^Step 100 · Random samples/,
    );
    await preview.page.waitForFunction(
      () => (document.querySelector('.preview-image') as HTMLImageElement).complete,
    );
    await preview.page.screenshot({ path: `${screenshots}/dark-preview-auto-render.png`, fullPage: true });
    await preview.send({ type: 'checkpoints', runId: live.id, checkpoints: [100, 200] });
    assert.equal((await renderRequests(preview)).length, 2, 'the next checkpoint renders too');
    // The same list again (another panel's refresh) asks for nothing.
    await preview.send({ type: 'checkpoints', runId: live.id, checkpoints: [100, 200] });
    assert.equal((await renderRequests(preview)).length, 2);

    // A checkpoint picked by hand stays put while the run goes on.
    await choose(preview, '#checkpoint', '100');
    const picked = (await renderRequests(preview)).length;
    await preview.send({ type: 'checkpoints', runId: live.id, checkpoints: [100, 200, 300] });
    assert.equal((await renderRequests(preview)).length, picked);
    assert.deepEqual(preview.problems, []);
    await preview.page.close();
  });
});
