// The PyTorch engine from the editor: with `gan.training.engine` set to torch (and `gan.python` to
// Debian's interpreter), ▶ Train on dcgan_small trains in PyTorch; the dashboard shows its grids,
// its curves and the engine in its header, and Stop leaves a checkpoint both engines can read.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readRun } from '../../src/training/runs/reader';
import { copyToWorkspace, openFile, repoRoot, runCommand, startVSCode, webviewFrame } from './harness';
import { clickTrainLens } from './trainLens';
import { waitForSampleGrid, waitUntil } from './wait';

const PYTHON = '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

test(
  'gan.training.engine torch: ▶ Train runs PyTorch, the dashboard follows it, Stop checkpoints it',
  { timeout: 240_000, skip: !hasTorch && !process.env.CI ? 'no python3-torch on this machine' : false },
  async (t) => {
    const workspace = await copyToWorkspace(join(repoRoot, 'examples'), ['mnist-dcgan.gan']);
    const vscode = await startVSCode({
      workspace,
      extensionDevelopmentPath: repoRoot,
      name: 'torch',
      viewport: { width: 1800, height: 1000 },
      settings: {
        'gan.dashboard.refreshInterval': 250,
        'gan.training.engine': 'torch',
        'gan.python': PYTHON,
      },
    });
    const { page } = vscode;
    try {
      await openFile(page, 'mnist-dcgan.gan');
      const clicked = Date.now();
      await clickTrainLens(page, 'mnist-dcgan.gan', 'dcgan_small');
      const dashboard = webviewFrame(page);
      await waitForSampleGrid(dashboard, 60_000);
      t.diagnostic(`click ▶ Train → first sample grid of the torch run: ${Date.now() - clicked} ms`);
      const device = dashboard.locator('.run-device');
      await waitUntil(
        async () => /^torch · .*PyTorch/.test((await device.textContent()) ?? ''),
        'the engine in the dashboard header',
      );
      t.diagnostic(`dashboard header: ${await device.textContent()}`);
      // Curves: the losses PyTorch reported reach the charts, and the step counter moves.
      await waitUntil(
        async () =>
          (await dashboard.getByText('Losses', { exact: true }).first().isVisible()) &&
          /\b[1-9][\d,]* \/ 2,000\b/.test(await dashboard.locator('body').innerText()),
        'the loss chart and a step past 0',
        60_000,
      );
      await vscode.screenshot('torch-dashboard');
      await runCommand(page, 'GAN Studio: Stop Training');
      await waitUntil(
        async () => /stopped/i.test((await dashboard.locator('.status-badge').first().textContent()) ?? ''),
        'the stopped run in the dashboard',
      );
      const runs = join(workspace, '.gan', 'runs');
      const run = readRun(join(runs, readdirSync(runs)[0]));
      assert.equal(run.info.engine?.name, 'torch');
      assert.equal(run.info.engine?.python, PYTHON);
      assert.equal(run.info.status, 'stopped');
      assert.ok(run.metrics.length > 0, 'metrics rows');
      const last = run.checkpoints.at(-1);
      assert.ok(last !== undefined, 'a checkpoint at the stop');
      const checkpoint = join(run.dir, 'checkpoints', `step-${String(last).padStart(6, '0')}`);
      assert.ok(existsSync(join(checkpoint, 'torch-state.pt')), "PyTorch's state");
      assert.ok(existsSync(join(checkpoint, 'networks', 'generator')), 'the layers-format generator');
    } finally {
      await vscode.screenshot('torch-final');
      await vscode.stop();
    }
  },
);
