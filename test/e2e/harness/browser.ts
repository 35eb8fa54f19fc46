// Launches the system Chromium through playwright-core with a fresh profile that webviews can work in.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

const chromiumPath = process.env.GAN_E2E_CHROMIUM ?? '/usr/bin/chromium';

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface LaunchOptions {
  readonly profileDir: string;
  readonly viewport: { readonly width: number; readonly height: number };
  readonly headless: boolean;
}

export async function launchBrowser(options: LaunchOptions): Promise<BrowserContext> {
  // Without third-party cookies, webviews fail to register their service worker and stay blank.
  const preferences = { profile: { cookie_controls_mode: 0, block_third_party_cookies: false } };
  await mkdir(join(options.profileDir, 'Default'), { recursive: true });
  await writeFile(join(options.profileDir, 'Default', 'Preferences'), JSON.stringify(preferences));
  return chromium.launchPersistentContext(options.profileDir, {
    executablePath: chromiumPath,
    args: chromiumArgs,
    headless: options.headless,
    viewport: options.viewport,
  });
}
