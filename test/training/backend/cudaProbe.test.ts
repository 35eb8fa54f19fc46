// The CUDA probe finds the libraries tfjs-node-gpu links by looking at files only.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { it } from 'node:test';
import { describeCudaProbe, probeCuda } from '../../../src/training/backend/cudaProbe';

it('finds libcudart.so.11 and libcudnn.so.8 on LD_LIBRARY_PATH, and reports what is missing', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-cuda-probe-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const saved = process.env.LD_LIBRARY_PATH;
  t.after(() => {
    if (saved === undefined) delete process.env.LD_LIBRARY_PATH;
    else process.env.LD_LIBRARY_PATH = saved;
  });
  process.env.LD_LIBRARY_PATH = dir;

  fs.writeFileSync(path.join(dir, 'libcudart.so.11.0'), '');
  const partial = probeCuda('linux');
  assert.equal(partial.cudaRuntime, path.join(dir, 'libcudart.so.11.0'));
  if (partial.cudnn === null) {
    assert.ok(describeCudaProbe(partial).includes('cuDNN 8 (libcudnn.so.8): not found'));
  }

  fs.writeFileSync(path.join(dir, 'libcudnn.so.8.1.0'), '');
  const full = probeCuda('linux');
  assert.equal(full.cudnn, path.join(dir, 'libcudnn.so.8.1.0'));
  assert.ok(describeCudaProbe(full).includes(`CUDA 11 runtime (libcudart.so.11): ${dir}/libcudart.so.11.0`));
});

it('reports no CUDA libraries on macOS', () => {
  const probe = probeCuda('darwin');
  assert.equal(probe.cudaRuntime, null);
  assert.equal(probe.cudnn, null);
});
