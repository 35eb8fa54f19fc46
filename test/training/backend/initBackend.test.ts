// Backend selection: 'auto' falls through the optional GPU/native backends (absent here) to wasm;
// explicit GPU/native requests fail with messages that say what is missing and how to get it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { describeGpuSupport, initBackend } from '../../../src/training/backend';
import { notInstalledMessage } from '../../../src/training/backend/webgpuBackend';

/** A folder holding an installed-but-broken @tensorflow/tfjs-node-gpu (its native library fails to load). */
function brokenNativeInstall(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-backend-test-'));
  const dir = path.join(root, 'node_modules', '@tensorflow', 'tfjs-node-gpu');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: '@tensorflow/tfjs-node-gpu', version: '4.22.0' }),
  );
  fs.writeFileSync(
    path.join(dir, 'index.js'),
    "throw new Error('libcudart.so.11.0: cannot open shared object file: No such file or directory');\n",
  );
  return root;
}

const brokenRoot = brokenNativeInstall();
after(() => fs.rmSync(brokenRoot, { recursive: true, force: true }));

describe('initBackend', () => {
  it("'auto' picks wasm here and says why the faster backends were skipped", async () => {
    const info = await initBackend('auto');
    assert.equal(info.name, 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
    assert.equal(info.requested, 'auto');
    assert.ok(info.threads >= 1);
    assert.match(info.device, /^CPU \(wasm, SIMD, \d+ threads?\)$/);
    assert.ok(info.device.includes(`${info.threads} thread`));
    assert.equal(info.skipped[0], 'tfjs-node-gpu: not installed');
    // webgpu is a dev dependency: installed, it has no hardware adapter here (auto skips software ones).
    assert.match(
      info.skipped[1],
      /^webgpu: (not installed \(webgpu, @tensorflow\/tfjs-backend-webgpu\)|WebGPU found no adapter|WebGPU's only adapter is a software renderer)/,
    );
    assert.equal(info.skipped[2], 'tfjs-node: not installed');
    const y = tf.conv2d(
      tf.ones([1, 4, 4, 1]) as tf.Tensor4D,
      tf.ones([2, 2, 1, 1]) as tf.Tensor4D,
      1,
      'valid',
    );
    assert.deepEqual(Array.from(y.dataSync()), new Array(9).fill(4));
  });

  it("'gpu' without tfjs-node-gpu throws what to install and what CUDA it needs", async () => {
    await assert.rejects(initBackend('gpu'), (error: Error) => {
      assert.match(error.message, /@tensorflow\/tfjs-node-gpu, which is not installed/);
      assert.match(error.message, /npm install @tensorflow\/tfjs-node-gpu@4\.22\.0/);
      assert.match(error.message, /CUDA 11\.2/);
      assert.match(error.message, /cuDNN 8\.1/);
      assert.match(error.message, /nvidia-smi/);
      assert.match(error.message, /libcudart\.so\.11/);
      return true;
    });
  });

  it("'gpu' with a tfjs-node-gpu that fails to load reports the loader's error", async () => {
    await assert.rejects(initBackend('gpu', { extraModulePaths: [brokenRoot] }), (error: Error) => {
      assert.match(error.message, /@tensorflow\/tfjs-node-gpu 4\.22\.0 is installed at .*gan-backend-test-/);
      assert.match(error.message, /libcudart\.so\.11\.0: cannot open shared object file/);
      assert.match(error.message, /CUDA 11\.2/);
      return true;
    });
  });

  it("'auto' records a broken tfjs-node-gpu as skipped and still trains on wasm", async () => {
    const info = await initBackend('auto', { extraModulePaths: [brokenRoot] });
    assert.equal(info.name, 'wasm');
    assert.match(info.skipped[0], /^tfjs-node-gpu: .*failed to load: libcudart\.so\.11\.0/);
  });

  it("'node' and 'webgpu' name the packages they need", async () => {
    await assert.rejects(initBackend('node'), /npm install @tensorflow\/tfjs-node@4\.22\.0/);
    assert.match(
      notInstalledMessage('webgpu'),
      /npm install webgpu @tensorflow\/tfjs-backend-webgpu@4\.22\.0/,
    );
  });

  it("'cpu' selects the JavaScript backend", async () => {
    const info = await initBackend('cpu');
    assert.deepEqual(info, {
      name: 'cpu',
      requested: 'cpu',
      device: 'CPU (JavaScript)',
      threads: 1,
      skipped: [],
    });
    assert.equal(tf.getBackend(), 'cpu');
  });
});

describe('describeGpuSupport', () => {
  it('reports each GPU option with its problem and fix', async () => {
    const report = await describeGpuSupport({ extraModulePaths: [brokenRoot], load: true });
    const byName = new Map(report.backends.map((b) => [b.backend, b]));
    assert.deepEqual([...byName.keys()], ['gpu', 'webgpu', 'node']);
    const gpu = byName.get('gpu');
    assert.equal(gpu?.packages[0].installed, true);
    assert.equal(gpu?.packages[0].version, '4.22.0');
    assert.match(gpu?.problem ?? '', /native part .* is missing/);
    assert.equal(byName.get('node')?.packages[0].installed, false);
    assert.match(byName.get('node')?.fix ?? '', /npm install @tensorflow\/tfjs-node@4\.22\.0/);
    const webgpu = byName.get('webgpu');
    assert.ok(webgpu, 'webgpu is reported');
    if (webgpu.packages.every((p) => p.installed)) assert.notEqual(webgpu.loads, null, 'load: true tries it');
    else assert.match(webgpu.problem ?? '', /not installed: /);
    assert.ok(report.lines.some((line) => line.startsWith('CUDA 11 runtime (libcudart.so.11): ')));
    assert.ok(report.lines.some((line) => line.startsWith('[gpu] unavailable: ')));
  });
});
