// No code from the working folder (issue 10, case 10): optional packages (backends, datasets,
// sharp) resolve from the installation and the explicit module paths only; the working folder's
// node_modules only on opt-in (`--workspace-modules`, the `gan.training.workspaceModules` setting).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { defaultSettings, workerEnv } from '../../src/extension/experiments/settings';
import { optionalModuleSearchPaths, WORKSPACE_MODULES_ENV } from '../../src/training/optionalModule';
import { ensureBuilt, gan, scratch, tinyGan } from './runs/harness';

before(ensureBuilt);

test('the search paths are the explicit folders and the installation, the workspace only on opt-in', () => {
  const cwd = process.cwd();
  const plain = optionalModuleSearchPaths(['/extra'], { GAN_MODULE_PATHS: '/setting' });
  assert.deepEqual(plain.slice(0, 2), ['/extra', '/setting']);
  assert.equal(plain.length, 3, 'and the installation');
  assert.ok(!plain.includes(cwd));
  const opted = optionalModuleSearchPaths([], { [WORKSPACE_MODULES_ENV]: '/ws' });
  assert.equal(opted.at(-1), '/ws');
  assert.ok(!optionalModuleSearchPaths([], { [WORKSPACE_MODULES_ENV]: 'relative' }).includes('relative'));
});

test('the editor opts a worker in only through the setting', () => {
  assert.equal(workerEnv(defaultSettings, {})[WORKSPACE_MODULES_ENV], undefined);
  const env = workerEnv({ ...defaultSettings, workspaceModulesFolder: '/ws' }, {});
  assert.equal(env[WORKSPACE_MODULES_ENV], '/ws');
});

/** A checkout holding a fake @tensorflow/tfjs-node that leaves a mark when its code runs. */
function hostileCheckout(): { dir: string; marker: string } {
  const dir = scratch({ 'tiny.gan': tinyGan('steps 2; seed 1; backend auto') });
  const pkg = join(dir, 'node_modules', '@tensorflow', 'tfjs-node');
  mkdirSync(pkg, { recursive: true });
  const marker = join(dir, 'code-ran');
  writeFileSync(
    join(pkg, 'package.json'),
    JSON.stringify({ name: '@tensorflow/tfjs-node', version: '4.22.0' }),
  );
  writeFileSync(
    join(pkg, 'index.js'),
    `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x'); throw new Error('fake tfjs-node');\n`,
  );
  return { dir, marker };
}

test('gan train with backend auto runs no code from the working folder', async () => {
  const { dir, marker } = hostileCheckout();
  const result = await gan(['train', 'tiny.gan', '--steps', '2', '--runs', 'runs'], dir);
  assert.equal(result.code, 0, result.stderr);
  assert.ok(!existsSync(marker), 'the fake package was loaded');

  const opted = await gan(
    ['train', 'tiny.gan', '--steps', '2', '--runs', 'runs', '--workspace-modules'],
    dir,
  );
  assert.equal(opted.code, 0, opted.stderr);
  assert.ok(existsSync(marker), 'with --workspace-modules the workspace package is used');
});
