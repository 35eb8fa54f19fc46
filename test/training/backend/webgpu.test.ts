// The WebGPU backend's numerics: two training steps of dcgan_small on tfjs-backend-webgpu (Dawn)
// and on wasm, from the same seed (same weights, noise and batches), must log the same losses,
// and a sample grid renders on WebGPU.
// Without a GPU it runs on Mesa 25's lavapipe, which scripts/software-vulkan.sh unpacks into
// .cache/mesa-vulkan (CI runs it). It is skipped, with the reason printed, only where no adapter
// can exist; GAN_REQUIRE_WEBGPU=1 (set by .ci/run) turns that skip into a failure.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { it } from 'node:test';
import { exampleModel, firstSteps, lossDifference } from '../../../bench/firstSteps';
import { probeWebGpuAdapter } from '../../../src/training/backend/webgpuBackend';

const repoIcd = path.join(__dirname, '..', '..', '..', '.cache', 'mesa-vulkan', 'lvp_icd.json');
// The Vulkan loader reads this when Dawn creates its instance, i.e. after this line.
if (!process.env.VK_ICD_FILENAMES && fs.existsSync(repoIcd)) process.env.VK_ICD_FILENAMES = repoIcd;

async function adapterOrReason(): Promise<{ name: string } | { reason: string }> {
  try {
    return await probeWebGpuAdapter([]);
  } catch (error) {
    const hint = fs.existsSync(repoIcd) ? '' : ' (run scripts/software-vulkan.sh for a software one)';
    return { reason: `${error instanceof Error ? error.message : String(error)}${hint}` };
  }
}

it('one dcgan_small training step on WebGPU logs the losses wasm logs', { timeout: 600_000 }, async (t) => {
  const adapter = await adapterOrReason();
  if ('reason' in adapter) {
    if (process.env.GAN_REQUIRE_WEBGPU === '1') assert.fail(`no WebGPU adapter: ${adapter.reason}`);
    console.log(`skipped: no WebGPU adapter: ${adapter.reason}`);
    t.skip(adapter.reason);
    return;
  }
  const model = exampleModel('mnist-dcgan.gan', 'dcgan_small');
  const wasm = await firstSteps(model, 'wasm', 2);
  const webgpu = await firstSteps(model, 'webgpu', 2, { renderSamples: true });
  console.log(`WebGPU adapter: ${webgpu.backend.device}`);
  assert.equal(webgpu.backend.name, 'webgpu');
  // Gradient norms are not logged on WebGPU (src/training/engine/families/family.ts says why).
  const logged = (row: Record<string, unknown>) =>
    Object.keys(row).filter((k) => !k.startsWith('grad_norm/'));
  assert.deepEqual(Object.keys(webgpu.losses[0]), logged(wasm.losses[0]));
  const difference = lossDifference(webgpu, wasm);
  console.log(`largest relative loss difference webgpu vs wasm over 2 steps: ${difference.toExponential(2)}`);
  // Float32 on both; different summation orders leave ~1e-7..1e-6; a wrong kernel moves losses by %.
  assert.ok(difference < 1e-4, `losses differ by ${difference}: ${JSON.stringify({ webgpu, wasm })}`);
  assert.notDeepEqual(webgpu.losses[1], webgpu.losses[0], 'the second step sees updated weights');
  // Samples read tensors asynchronously: WebGPU in Node has no synchronous read.
  assert.ok((webgpu.samplePngBytes ?? 0) > 100, 'a sample grid is rendered on WebGPU');
});
