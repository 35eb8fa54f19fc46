// Status bar, notification and hover text; the GPU report summary; settings → worker environment.
import assert from 'node:assert/strict';
import { delimiter, join } from 'node:path';
import { test } from 'node:test';
import {
  comparePickItem,
  runRowText,
  startedLabel,
  gpuReportSummary,
  progressNotificationText,
  runHoverMarkdown,
  statusBarText,
} from '../../src/extension/experiments/format';
import { formatAge, formatDuration } from '../../src/protocol/format';
import {
  groupRunsByModel,
  latestRunOf,
  type RunListing,
  statusIcon,
} from '../../src/extension/experiments/runGroups';
import {
  defaultSettings,
  gpuCheckArgs,
  refreshInterval,
  requestedBackend,
  requestedThreads,
  runsDirFor,
  workerEnv,
} from '../../src/extension/experiments/settings';

const live = { model: 'dcgan_small', step: 120, totalSteps: 2000, imagesPerSec: 1534.2, etaSeconds: 95 };

test('the status bar shows model, step/total and images per second', () => {
  assert.equal(statusBarText(live, 1), '$(pulse) dcgan_small 120/2000 · 1.53k img/s');
  assert.equal(
    statusBarText({ ...live, imagesPerSec: 12.34 }, 3),
    '$(pulse) dcgan_small 120/2000 · 12.3 img/s (+2)',
  );
  assert.match(statusBarText(null, 1), /starting/);
  assert.equal(progressNotificationText(live), 'step 120/2000 · 1.53k img/s, 1m35s left');
});

test('durations and ages read like a person would say them', () => {
  assert.equal(formatDuration(42), '42s');
  assert.equal(formatDuration(3725), '1h02m');
  const now = new Date('2026-11-23T12:00:00Z');
  assert.equal(formatAge(new Date('2026-11-23T11:59:30Z'), now), 'just now');
  assert.equal(formatAge(new Date('2026-11-23T11:57:00Z'), now), '3 min ago');
  assert.equal(formatAge(new Date('2026-11-21T11:00:00Z'), now), '2 days ago');
});

test('the hover shows status, step, last losses and the sample grid', () => {
  const markdown = runHoverMarkdown(
    {
      id: 'dcgan-20261123-110000',
      status: 'stopped',
      step: 300,
      totalSteps: 2000,
      startedAt: '2026-11-23T11:00:00Z',
      device: 'CPU (wasm, SIMD, 2 threads)',
      error: null,
      metrics: [
        { step: 299, epoch: 0, time: 10, d_loss: 1.5, g_loss: 0.5 },
        { step: 300, epoch: 0, time: 10.1, images_per_sec: 900, d_loss: 1.2345678, g_loss: 0.000012 },
      ],
      sampleUri: 'data:image/png;base64,AAAA',
      sampleStep: 300,
      dashboardCommand: 'command:gan.openDashboard?x',
    },
    new Date('2026-11-23T11:10:00Z'),
  );
  assert.match(markdown, /stopped at step 300\/2000, 10 min ago on CPU \\\(wasm, SIMD, 2 threads\\\)/);
  assert.match(
    markdown,
    /`d_loss` 1\.235 · `g_loss` 1\.2e-5/,
    "the CLI's metric format (src/protocol/format.ts)",
  );
  assert.doesNotMatch(markdown, /images_per_sec|`step`/);
  assert.match(markdown, /!\[samples at step 300\]\(data:image\/png;base64,AAAA\|width=192\)/);
  assert.match(markdown, /\[Dashboard\]\(command:gan\.openDashboard\?x\)/);
});

test('a failed run shows its error in the hover', () => {
  const markdown = runHoverMarkdown(
    {
      id: 'r',
      status: 'failed',
      step: 3,
      totalSteps: 10,
      startedAt: '2026-11-23T11:00:00Z',
      device: 'cpu',
      error: 'out of memory',
      metrics: [],
    },
    new Date('2026-11-23T11:00:10Z'),
  );
  assert.match(markdown, /failed at step 3\/10/);
  assert.match(markdown, /Error: out of memory/);
  assert.doesNotMatch(markdown, /!\[/);
});

test('the GPU report becomes one line per backend verdict', () => {
  const report = [
    'Platform: linux-x64',
    '[gpu] unavailable: @tensorflow/tfjs-node-gpu is not installed',
    '  fix: npm install ...',
    '[webgpu] unavailable: not installed: webgpu',
    '[node] available: tfjs-node 4.22.0',
  ].join('\n');
  assert.equal(gpuReportSummary(report), 'gpu: unavailable · webgpu: unavailable · node: available');
  assert.equal(gpuReportSummary('\nsomething odd\n'), 'something odd');
  assert.equal(
    gpuReportSummary(`${report}\nNext step: apt install mesa-vulkan-drivers`),
    'gpu: unavailable · webgpu: unavailable · node: available — next step: apt install mesa-vulkan-drivers',
  );
});

const run = (id: string, model: string, startedAt: string): RunListing => ({
  dir: `/runs/${id}`,
  id,
  model,
  status: 'completed',
  step: 1,
  totalSteps: 1,
  startedAt,
});

test('runs group by model, newest model activity and newest run first', () => {
  const runs = [
    run('a-1', 'a', '2026-11-23T10:00:00Z'),
    run('b-1', 'b', '2026-11-23T10:30:00Z'),
    run('a-2', 'a', '2026-11-23T11:00:00Z'),
  ];
  assert.deepEqual(
    groupRunsByModel(runs).map((g) => [g.model, g.runs.map((r) => r.id)]),
    [
      ['a', ['a-2', 'a-1']],
      ['b', ['b-1']],
    ],
  );
  assert.equal(latestRunOf(runs, 'a')?.id, 'a-2');
  assert.equal(latestRunOf(runs, 'c'), undefined);
});

test('settings: runs folder, backend, refresh interval and the worker environment', () => {
  assert.equal(runsDirFor('/ws', defaultSettings), join('/ws', '.gan', 'runs'));
  assert.equal(runsDirFor('/ws', { ...defaultSettings, runsDirectory: '/abs/runs' }), '/abs/runs');
  assert.equal(requestedBackend(defaultSettings), undefined);
  assert.equal(requestedBackend({ ...defaultSettings, backend: 'wasm' }), 'wasm');
  assert.equal(requestedThreads(defaultSettings), undefined, '0 leaves threads to the model and engine');
  assert.equal(requestedThreads({ ...defaultSettings, threads: 3 }), 3);
  assert.equal(requestedThreads({ ...defaultSettings, threads: 500 }), 64);
  assert.equal(requestedThreads({ ...defaultSettings, threads: Number.NaN }), undefined);
  assert.equal(refreshInterval(5000), 1000);
  assert.equal(refreshInterval(1), 50);

  const base = { PATH: '/bin', NODE_PATH: '/old', ELECTRON_RUN_AS_NODE: '1' };
  assert.deepEqual(workerEnv(defaultSettings, base), base);
  const env = workerEnv(
    { ...defaultSettings, modulePath: '/gpu/node_modules', nodeExecutable: '/opt/node' },
    base,
  );
  assert.equal(env.NODE_PATH, ['/gpu/node_modules', '/old'].join(delimiter));
  assert.equal(env.GAN_MODULE_PATHS, '/gpu/node_modules');
  assert.equal(env.ELECTRON_RUN_AS_NODE, undefined);
  assert.deepEqual(gpuCheckArgs('/ext/dist/cli.js', { ...defaultSettings, modulePath: '/m' }), [
    '/ext/dist/cli.js',
    'gpu',
    '--load',
    '--module-path',
    '/m',
  ]);
  // The interpreter setting first, then the Python extension's environment: the CLI asks them in that order.
  assert.deepEqual(
    gpuCheckArgs('/c.js', { ...defaultSettings, python: ' /opt/py/bin/python ' }, '/venv/bin/python'),
    ['/c.js', 'gpu', '--load', '--python', '/opt/py/bin/python', '--python-env', '/venv/bin/python'],
  );
});

test('the Runs view marks a finished run that learned badly with a warning, not a tick', () => {
  assert.equal(statusIcon('completed'), 'pass');
  assert.equal(statusIcon('completed', true), 'warning');
  assert.equal(statusIcon('stopped', true), 'warning');
  // A run still training or already failed keeps its own icon.
  assert.equal(statusIcon('running', true), 'sync~spin');
  assert.equal(statusIcon('failed', true), 'error');
});

test('a Compare Runs entry names the model and the one it extends, when it ran, how it ended and its best FID', () => {
  const item = comparePickItem(
    {
      id: 'dcgan_hinge-20261130-101500',
      model: 'dcgan_hinge',
      family: 'gan',
      status: 'completed',
      step: 2000,
      totalSteps: 2000,
      startedAt: '2026-11-30T10:15:00Z',
      sourceFile: '/ws/examples/mnist-dcgan.gan',
      health: 'unhealthy: discriminator saturated',
      bestFid: { value: 66.43, step: 1500 },
      base: 'dcgan_small',
    },
    new Date('2026-11-30T12:15:00Z'),
  );
  assert.equal(item.label, 'dcgan_hinge');
  assert.equal(
    item.description,
    'extends dcgan_small · 2 h ago · completed — unhealthy: discriminator saturated · step 2000/2000',
  );
  assert.equal(
    item.detail,
    'best FID 66.43 at step 1500 · gan · mnist-dcgan.gan · dcgan_hinge-20261130-101500',
  );
  const plain = comparePickItem(
    {
      ...{ id: 'v-1', model: 'mnist_vae', family: 'vae', status: 'running', step: 5, totalSteps: 10 },
      startedAt: '2026-11-30T12:14:00Z',
      sourceFile: 'C:\\ws\\mnist-vae.gan',
      base: null,
    },
    new Date('2026-11-30T12:15:00Z'),
  );
  assert.equal(plain.description, '1 min ago · training · step 5/10');
  assert.equal(plain.detail, 'vae · mnist-vae.gan · v-1');
});

test('a run in the Runs view is named by when it started; status, steps, best FID and tags follow', () => {
  const now = new Date(2026, 10, 30, 12, 15);
  assert.equal(startedLabel(new Date(2026, 10, 30, 9, 5).toISOString(), now), 'today 09:05');
  assert.equal(startedLabel(new Date(2026, 10, 29, 18, 2).toISOString(), now), 'yesterday 18:02');
  assert.equal(startedLabel(new Date(2026, 10, 3, 7, 0).toISOString(), now), 'Nov 3 07:00');
  assert.equal(startedLabel(new Date(2025, 0, 3, 7, 0).toISOString(), now), 'Jan 3 2025 07:00');
  const row = {
    status: 'completed' as const,
    step: 2000,
    totalSteps: 2000,
    startedAt: new Date(2026, 10, 30, 10, 15).toISOString(),
    health: '',
    note: '#hinge two-timescale',
    tags: ['#hinge'],
    bestFid: { value: 34.01, step: 2000 },
  };
  assert.deepEqual(runRowText(row, now), {
    label: 'today 10:15',
    description: 'completed · 2000 steps · FID 34.01 · #hinge',
  });
  assert.equal(
    runRowText({ ...row, status: 'running', step: 12, health: '', tags: [], bestFid: null }, now).description,
    'training · step 12/2000',
  );
  assert.equal(
    runRowText({ ...row, health: 'unhealthy: diverging', tags: [], bestFid: null }, now).description,
    'completed — unhealthy: diverging · 2000 steps',
  );
});
