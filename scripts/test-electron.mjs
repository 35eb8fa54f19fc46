// `npm run test:electron`: the test/vscode scenarios in a desktop VS Code downloaded by @vscode/test-electron
// (needs network access and a display, e.g. xvfb-run). Not part of `npm test`.
import { build } from 'esbuild';
import { runTests } from '@vscode/test-electron';
import { mkdtempSync, cpSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const extensionTestsPath = join(root, 'out', 'test-vscode', 'index.js');
await build({
  entryPoints: [join(root, 'test', 'vscode', 'index.ts')],
  outfile: extensionTestsPath,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
  sourcemap: true,
  logLevel: 'warning',
});

const workspace = mkdtempSync(join(tmpdir(), 'gan-electron-'));
cpSync(join(root, 'examples'), workspace, { recursive: true });
try {
  const code = await runTests({
    version: process.env.VSCODE_VERSION ?? 'stable',
    extensionDevelopmentPath: root,
    extensionTestsPath,
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
  });
  process.exitCode = code;
} catch (error) {
  console.error('VS Code tests failed to run:', error);
  process.exitCode = 1;
} finally {
  rmSync(workspace, { recursive: true, force: true });
}
