// Installs, starts and stops code-server (a real VS Code whose extension host is plain Node).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { codeServerBin, codeServerDir, repoRoot, resultsDir } from './paths';

/**
 * Installs code-server 4.100.3 into .e2e/code-server unless it is already there (~40-60 s the first time).
 * The installer's output goes to test-results/e2e/install-code-server.log.
 */
export function ensureCodeServer(): string {
  if (!existsSync(codeServerBin)) {
    const script = join(repoRoot, 'scripts', 'install-code-server.sh');
    const result = spawnSync('bash', [script, codeServerDir], { encoding: 'utf8' });
    mkdirSync(resultsDir, { recursive: true });
    const log = join(resultsDir, 'install-code-server.log');
    writeFileSync(log, `${result.stdout}\n${result.stderr}`);
    if (result.status !== 0 || !existsSync(codeServerBin)) {
      throw new Error(
        `${script} failed (exit ${result.status}):\n${result.stderr.slice(-2000)}\n(full output: ${log})`,
      );
    }
  }
  return codeServerBin;
}

export interface CodeServerDirs {
  /** Stands in for HOME and the XDG folders, so nothing outside the temp folder is read or written. */
  readonly home: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
}

export async function prepareDirs(
  root: string,
  settings: Readonly<Record<string, unknown>>,
): Promise<CodeServerDirs> {
  const dirs = {
    home: join(root, 'home'),
    userDataDir: join(root, 'user-data'),
    extensionsDir: join(root, 'extensions'),
  };
  await mkdir(join(dirs.userDataDir, 'User'), { recursive: true });
  await mkdir(dirs.extensionsDir, { recursive: true });
  for (const xdg of ['.config', '.local/share', '.cache'])
    await mkdir(join(dirs.home, xdg), { recursive: true });
  await writeFile(join(dirs.userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  return dirs;
}

function isolatedEnv(dirs: CodeServerDirs): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HOME: dirs.home,
    XDG_CONFIG_HOME: join(dirs.home, '.config'),
    XDG_DATA_HOME: join(dirs.home, '.local/share'),
    XDG_CACHE_HOME: join(dirs.home, '.cache'),
    // A password in the environment would switch auth back on.
    PASSWORD: '',
    HASHED_PASSWORD: '',
  };
}

function dirArgs(dirs: CodeServerDirs): string[] {
  return ['--user-data-dir', dirs.userDataDir, '--extensions-dir', dirs.extensionsDir];
}

/** `code-server --install-extension X.vsix` into this session's extensions folder (about a second). */
export function installVsix(dirs: CodeServerDirs, vsix: string): void {
  const result = spawnSync(codeServerBin, [...dirArgs(dirs), '--install-extension', vsix], {
    env: isolatedEnv(dirs),
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(`installing ${vsix} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  readonly baseUrl: string;
  readonly process: ChildProcess;
  /** Kills the whole process group: the extension host and language servers outlive a plain kill by 20-30 s. */
  stop(): Promise<void>;
}

export interface CodeServerFlags {
  /** Keeps VS Code's Workspace Trust on (no `--disable-workspace-trust`), so folders can open in Restricted Mode. */
  readonly workspaceTrust?: boolean;
}

export async function startCodeServer(
  dirs: CodeServerDirs,
  logFile: string,
  flags: CodeServerFlags = {},
): Promise<RunningServer> {
  const port = await freePort();
  const args = [
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(flags.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    ...dirArgs(dirs),
  ];
  const log = createWriteStream(logFile);
  // detached: the server becomes the leader of its own process group, which stop() kills as a whole.
  const child = spawn(codeServerBin, args, {
    env: isolatedEnv(dirs),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const killGroup = (signal: NodeJS.Signals): void => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // the group is already gone
    }
  };
  // Last resort when a test crashes before stop(): never leave a server running.
  const onExit = (): void => killGroup('SIGKILL');
  process.once('exit', onExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(baseUrl, exited, 30_000);
  } catch (error) {
    killGroup('SIGKILL');
    throw error;
  }
  return {
    baseUrl,
    process: child,
    async stop() {
      killGroup('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), delay(3000).then(() => false)]);
      // The leader may exit while its children linger, so the group always gets the hard kill too.
      killGroup('SIGKILL');
      if (!stopped) await Promise.race([exited, delay(2000)]);
      process.removeListener('exit', onExit);
      log.end();
    },
  };
}

async function waitForHealth(baseUrl: string, exited: Promise<void>, timeoutMs: number): Promise<void> {
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (hasExited) throw new Error('code-server exited during startup; see its log in test-results/e2e/');
    try {
      const response = await fetch(`${baseUrl}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await delay(200);
  }
  throw new Error(`code-server did not answer ${baseUrl}/healthz within ${timeoutMs} ms`);
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
