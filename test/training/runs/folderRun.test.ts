// A folder-data run through the CLI (issue 10): skipped images are reported in the CLI output,
// worker.log's stream and run.json (and so the dashboard header) (case 3); and the run samples
// from its checkpoint after its images were moved away, without decoding any data (case 6).
import assert from 'node:assert/strict';
import { renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { before, test } from 'node:test';
import { runSummary } from '../../../src/extension/experiments/summaries';
import { readRun } from '../../../src/training/runs/reader';
import { folderWithBadImages } from '../data/badImages';
import { ensureBuilt, gan } from './harness';

const MODEL = `model photos: gan {
  data folder "images" size=8x8 channels=1 { scale [-1, 1]; batch 4 }
  latent 8
  generator {
    dense 64 activation=tanh
    reshape [8, 8, 1]
  }
  discriminator {
    flatten
    dense 1
  }
  train { steps 4; checkpoint 4; backend cpu }
  sample { every 4; grid 2x2 }
}
`;

before(ensureBuilt);

test('skipped images are reported; sampling needs only the checkpoint, not the images', async () => {
  const dir = await folderWithBadImages();
  writeFileSync(join(dir, 'photos.gan'), MODEL);
  const trained = await gan(['train', 'photos.gan', '--runs', 'runs'], dir);
  assert.equal(trained.code, 0, trained.stderr);
  assert.match(
    trained.stderr,
    /gan train: skipped 3 unreadable images or folders: a-corrupt\.png: .*; b-empty\.png: .*; c-huge\.png: /,
  );
  const runDir = resolve(dir, /run folder: (.+)/.exec(trained.stderr)?.[1] ?? '');
  const info = readRun(runDir).info;
  assert.equal(info.dataSkipped?.count, 3);
  assert.match(info.dataSkipped?.examples[0] ?? '', /^a-corrupt\.png: /);
  assert.match(
    runSummary(info, null).dataSkipped ?? '',
    /^skipped 3 unreadable images or folders: a-corrupt/,
  );

  renameSync(join(dir, 'images'), join(dir, 'moved'));
  const sampled = await gan(['sample', runDir, '--n', '4', '--out', 'grid.png'], dir);
  assert.equal(sampled.code, 0, sampled.stderr);
  assert.match(sampled.stdout, /grid\.png {2}\(step 4, 2x2 grid\)/);
});
