// GPU detection from sysfs and the next step the GPU check recommends per OS and vendor.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { it } from 'node:test';
import { findGpus } from '../../../src/training/backend/gpuDevices';
import { gpuNextStep, type BackendVerdict } from '../../../src/training/backend/gpuNextStep';

function fakeDrm(cards: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-drm-'));
  for (const [card, vendor] of Object.entries(cards)) {
    fs.mkdirSync(path.join(root, card, 'device'), { recursive: true });
    fs.writeFileSync(path.join(root, card, 'device', 'vendor'), `${vendor}\n`);
    fs.writeFileSync(path.join(root, card, 'device', 'device'), '0x1234\n');
  }
  fs.mkdirSync(path.join(root, 'renderD128'));
  return root;
}

it('finds GPUs by PCI vendor; the NVIDIA driver names its own', () => {
  const root = fakeDrm({ card0: '0x1002', card1: '0x10de' });
  assert.deepEqual(
    findGpus('linux', [], root).map((g) => g.vendor),
    ['amd', 'nvidia'],
  );
  assert.deepEqual(findGpus('linux', ['NVIDIA H200'], root), [
    { vendor: 'nvidia', name: 'NVIDIA H200' },
    { vendor: 'amd', name: 'AMD (PCI 0x1002:0x1234)' },
  ]);
  assert.deepEqual(findGpus('linux', [], path.join(root, 'missing')), []);
  assert.equal(findGpus('darwin')[0].vendor, 'apple');
  fs.rmSync(root, { recursive: true });
});

const nvidia = [{ vendor: 'nvidia' as const, name: 'NVIDIA H200' }];
const cudaMissing: BackendVerdict = { backend: 'gpu', installed: false, usesGpu: false };
const nodeMissing: BackendVerdict = { backend: 'node', installed: false, usesGpu: false };
const webgpu = (over: Partial<BackendVerdict>): BackendVerdict => ({
  backend: 'webgpu',
  installed: true,
  usesGpu: false,
  ...over,
});

it('says nothing without a GPU or when a GPU backend works', () => {
  assert.equal(gpuNextStep('linux', [], [cudaMissing, webgpu({ adapter: 'none' })], '4.22.0'), null);
  assert.equal(
    gpuNextStep('linux', nvidia, [cudaMissing, webgpu({ usesGpu: true, adapter: 'hardware' })], '4.22.0'),
    null,
  );
});

it('names the package to install, then the driver for this OS and vendor', () => {
  const notInstalled = gpuNextStep(
    'linux',
    nvidia,
    [cudaMissing, webgpu({ installed: false }), nodeMissing],
    '4.22.0',
  );
  assert.match(notInstalled ?? '', /^npm install webgpu @tensorflow\/tfjs-backend-webgpu@4\.22\.0/);
  assert.match(notInstalled ?? '', /nvidia-vulkan-icd/);
  const noAdapter = gpuNextStep('linux', nvidia, [cudaMissing, webgpu({ adapter: 'none' })], '4.22.0');
  assert.match(noAdapter ?? '', /NVIDIA's Vulkan driver/);
  assert.match(noAdapter ?? '', /CUDA 11\.2/);
  const amd = gpuNextStep(
    'linux',
    [{ vendor: 'amd', name: 'AMD' }],
    [webgpu({ adapter: 'software' })],
    '4.22.0',
  );
  assert.match(amd ?? '', /apt install mesa-vulkan-drivers/);
  assert.match(
    gpuNextStep('darwin', [{ vendor: 'apple', name: 'M2' }], [webgpu({ adapter: 'none' })], '4.22.0') ?? '',
    /macOS 13/,
  );
  assert.match(gpuNextStep('win32', nvidia, [webgpu({ adapter: 'none' })], '4.22.0') ?? '', /Direct3D 12/);
  assert.match(gpuNextStep('linux', nvidia, [webgpu({})], '4.22.0') ?? '', /gan gpu --load/);
});
