// Serves the real dashboard bundle, inside the real CSP page, to headless Chromium, with a stand-in
// for VS Code's acquireVsCodeApi that records posted messages and keeps state across reloads.
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import type {
  HostToPreviewMessage,
  HostToWebviewMessage,
  MetricRow,
  RunSummary,
} from '../../src/protocol/webview';
import { renderDashboardHtml, renderPreviewHtml } from '../../src/webview/html';
import { type ThemeName, themeAttributes } from './themes';

const fixtures = join(__dirname, '..', 'fixtures', 'webview');

export const fixtureRuns: RunSummary[] = JSON.parse(readFileSync(join(fixtures, 'runs.json'), 'utf8'));

export function fixtureRows(name: 'gan-a' | 'gan-b' | 'vae'): MetricRow[] {
  return readFileSync(join(fixtures, `${name}.metrics.jsonl`), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as MetricRow);
}

export type Panel = 'dashboard' | 'preview';

/** Bundles src/webview/<panel>/main.ts exactly as scripts/build.mjs does, into a temp folder. */
export async function buildPanel(panel: Panel): Promise<{ script: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'gan-webview-'));
  const outfile = join(dir, `${panel}.js`);
  await build({
    entryPoints: [join(__dirname, '..', '..', 'src', 'webview', panel, 'main.ts')],
    outfile,
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    loader: { '.css': 'text' },
    logLevel: 'warning',
  });
  return {
    script: readFileSync(outfile, 'utf8'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A small solid-colour PNG with a stripe whose position encodes `index`, so every grid differs. */
export function gridPng(index: number, size = 32): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const o = (y * size + x) * 4;
      const stripe = x === (index * 3) % size;
      png.data[o] = stripe ? 255 : (index * 40) % 256;
      png.data[o + 1] = stripe ? 255 : 80;
      png.data[o + 2] = stripe ? 255 : 160;
      png.data[o + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

export async function buildDashboard(): Promise<{ script: string; cleanup: () => void }> {
  return buildPanel('dashboard');
}

export interface DashboardServer {
  readonly origin: string;
  /** The page of a panel, themed like VS Code does it. */
  url(theme: ThemeName, panel?: Panel): string;
  addFile(path: string, type: string, body: Buffer): string;
  close(): Promise<void>;
}

/** Serves the panels' pages and scripts, and any files the test adds (sample PNGs). */
export async function startDashboardServer(
  script: string,
  otherPanels: Partial<Record<Panel, string>> = {},
): Promise<DashboardServer> {
  const files = new Map<string, { type: string; body: Buffer }>();
  const scripts: Partial<Record<Panel, string>> = { dashboard: script, ...otherPanels };
  for (const [panel, code] of Object.entries(scripts))
    files.set(`/${panel}.js`, { type: 'text/javascript', body: Buffer.from(code) });
  let origin = '';
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', origin);
    if (url.pathname === '/' || url.pathname === '/preview') {
      const theme = url.searchParams.get('theme') === 'light' ? 'light' : 'dark';
      const { htmlStyle, bodyClass } = themeAttributes(theme);
      const render = url.pathname === '/' ? renderDashboardHtml : renderPreviewHtml;
      const html = render({
        scriptUri: `${origin}/${url.pathname === '/' ? 'dashboard' : 'preview'}.js`,
        nonce: 'n0nce4test',
        cspSource: origin,
      })
        .replace('<html lang="en">', `<html lang="en" style="${htmlStyle.replace(/"/g, '&quot;')}">`)
        .replace('<body>', `<body class="${bodyClass}">`);
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      return;
    }
    if (url.pathname === '/favicon.ico') {
      response.writeHead(204).end();
      return;
    }
    const file = files.get(url.pathname);
    if (!file) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': file.type }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (theme, panel = 'dashboard') => `${origin}/${panel === 'dashboard' ? '' : panel}?theme=${theme}`,
    addFile: (path, type, body) => {
      files.set(path, { type, body });
      return `${origin}${path}`;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/**
 * The webview API stand-in: posted messages in window.__posted, state in sessionStorage (which
 * survives a reload, as VS Code's webview state does). A string, so tsx's helpers do not leak in;
 * `__name` is that helper, for the functions the tests pass to page.evaluate.
 */
const vsCodeApiStandIn = `
  window.__name = (fn) => fn;
  window.__posted = [];
  window.acquireVsCodeApi = () => ({
    postMessage: (message) => window.__posted.push(message),
    getState: () => {
      const saved = sessionStorage.getItem('vscode-state');
      return saved === null ? undefined : JSON.parse(saved);
    },
    setState: (state) => sessionStorage.setItem('vscode-state', JSON.stringify(state)),
  });
`;

export interface DashboardPage {
  readonly page: Page;
  /** Opens the panel's page (the dashboard unless `panel` says otherwise). */
  /** Problems the page reported: CSP violations, uncaught errors, console errors. */
  readonly problems: string[];
  open(theme: ThemeName, panel?: Panel): Promise<void>;
  send(...messages: (HostToWebviewMessage | HostToPreviewMessage)[]): Promise<void>;
  /** Waits until pending animation frames (the dashboard's batched redraw) have run. */
  settle(): Promise<void>;
  posted(): Promise<unknown[]>;
}

export async function newDashboardPage(browser: Browser, server: DashboardServer): Promise<DashboardPage> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  await page.addInitScript({ content: vsCodeApiStandIn });
  const settle = () =>
    page.evaluate(
      () =>
        new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))),
    );
  return {
    page,
    problems,
    open: async (theme, panel) => {
      await page.goto(server.url(theme, panel));
      await page.waitForFunction(() => {
        const posted = (window as unknown as { __posted?: { type: string }[] }).__posted;
        return posted?.some((m) => m.type === 'ready') === true;
      });
    },
    send: async (...messages) => {
      // Messages from one window arrive in order: once the marker is delivered, all of them were.
      await page.evaluate(
        (list) =>
          new Promise<void>((resolve) => {
            const marker = { marker: Math.random() };
            const onMessage = (event: MessageEvent<unknown>) => {
              const data = event.data as { marker?: number } | null;
              if (data?.marker !== marker.marker) return;
              window.removeEventListener('message', onMessage);
              resolve();
            };
            window.addEventListener('message', onMessage);
            for (const message of list) window.postMessage(message, '*');
            window.postMessage(marker, '*');
          }),
        messages,
      );
      await settle();
    },
    settle,
    posted: () => page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted.slice()),
  };
}
