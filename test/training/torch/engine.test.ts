// The torch engine (`gan train --engine torch`, `train { engine torch }`): PyTorch trains the steps
// while the run folder, progress, checkpoints and samples are the ones every reader knows. Runs the
// built CLI with Debian's PyTorch (which .ci/run installs).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { torchEngineProblems } from '../../../src/language/schema';
import { listCheckpoints } from '../../../src/training/runs/checkpoints';
import { analyzeModels } from '../../../src/training/runs/models';
import { readRun } from '../../../src/training/runs/reader';
import { ensureBuilt, gan, scratch, startGan, waitFor } from '../runs/harness';

const PYTHON = '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
// CI installs python3-torch: there these checks must run, not skip.
const torchSkip = !hasTorch && !process.env.CI ? 'no python3-torch on this machine' : false;

// Batch norm in both networks (its running statistics cross between the engines), an EMA generator.
const TINY = (train: string): string => `model tiny: gan {
  data shapes size=8x8 channels=1 { scale [-1, 1]; batch 16 }
  latent 8
  generator {
    dense 4*4*8 bias=false
    batchnorm
    relu
    reshape [4, 4, 8]
    deconv 4 kernel=3 stride=2 norm=batch activation=relu
    conv 1 kernel=3 activation=tanh
  }
  discriminator {
    conv 8 kernel=3 stride=2
    leakyrelu
    flatten
    dense 1
  }
  loss nonsaturating
  optimizer adam lr=2e-3 beta1=0.5
  train { ${train} }
  sample { every 3; grid 2x3 }
}
`;

const CGAN = `model tinycgan: cgan {
  data mnist { scale [-1, 1]; batch 20; limit 200 }
  latent 8
  condition classes=10
  generator {
    dense 7*7*4 activation=relu
    reshape [7, 7, 4]
    deconv 1 kernel=4 stride=4 activation=tanh
  }
  discriminator {
    conv 8 kernel=4 stride=2
    leakyrelu
    flatten
    dense 1
  }
  loss hinge
  optimizer adam lr=1e-3 beta1=0.5
  train { steps 4; seed 2; engine torch }
  sample { every 2; grid 10x2 }
  evaluate { fid every=4 samples=100 }
}
`;

const LOSSES = ['d_loss', 'g_loss', 'd_real', 'd_fake', 'grad_norm/discriminator', 'grad_norm/generator'];

function trainingRows(runDir: string): Record<string, number>[] {
  return readRun(runDir).metrics.map((row) => Object.fromEntries(LOSSES.map((name) => [name, row[name]])));
}

function onlyRun(runsDir: string): string {
  const names = readdirSync(runsDir);
  assert.equal(names.length, 1, names.join(', '));
  return join(runsDir, names[0]);
}

/** Processes whose working folder is one of the engine's scratch folders. */
function enginesAlive(): number[] {
  const pids: number[] = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      if (/\/gan-torch-[^/]+$/.test(readlinkSync(`/proc/${pid}/cwd`))) pids.push(Number(pid));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

before(ensureBuilt);

describe('the torch engine', { skip: torchSkip }, () => {
  const dir = scratch({
    'tiny.gan': TINY('steps 6; seed 4; checkpoint 3; ema 0.9; engine torch'),
    'tfjs.gan': TINY('steps 6; seed 4; checkpoint 3; ema 0.9; engine tfjs'),
    'cgan.gan': CGAN,
  });
  const python = ['--python', PYTHON];
  let whole = '';

  it('trains in PyTorch into the run folder every reader knows; gan sample renders its checkpoint', async () => {
    const r = await gan(['train', 'tiny.gan', ...python, '--runs', 'whole'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /6 steps on CPU \(\d+ threads?\), PyTorch \S+ \[torch\]/);
    whole = onlyRun(join(dir, 'whole'));
    const run = readRun(whole);
    assert.equal(run.info.status, 'completed');
    assert.equal(run.info.engine?.name, 'torch');
    assert.equal(run.info.engine?.python, PYTHON);
    assert.deepEqual(
      run.metrics.map((row) => row.step),
      [1, 2, 3, 4, 5, 6],
    );
    for (const row of run.metrics)
      for (const name of [...LOSSES, 'lr/generator', 'lr/discriminator'])
        assert.ok(Number.isFinite(row[name]), `step ${row.step}: ${name} = ${row[name]}`);
    assert.equal(run.metrics[0]['lr/generator'], 2e-3);
    for (const step of ['step-000003', 'step-000006']) {
      const checkpoint = join(whole, 'checkpoints', step);
      assert.ok(existsSync(join(checkpoint, 'torch-state.pt')), `${step} holds PyTorch's state`);
      assert.ok(
        existsSync(join(checkpoint, 'networks', 'generator_ema')),
        `${step} holds the layers-format EMA`,
      );
    }
    // TensorFlow.js reads the checkpoint PyTorch's weights went into: the same grid as training drew.
    const out = join(dir, 'sampled.png');
    const s = await gan(['sample', whole, '--n', '6', '--out', out], dir);
    assert.equal(s.code, 0, s.stderr);
    assert.deepEqual(readFileSync(out), readFileSync(join(whole, 'samples', 'step-000006.png')));
  });

  it('a resumed run continues exactly where the uninterrupted one went', async () => {
    const first = await gan(['train', 'tiny.gan', ...python, '--runs', 'split', '--steps', '3'], dir);
    assert.equal(first.code, 0, first.stderr);
    const split = onlyRun(join(dir, 'split'));
    // No --python: the interpreter the run was trained with is tried first.
    const second = await gan(['train', '--resume', split, '--steps', '6'], dir);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(trainingRows(split), trainingRows(whole));
    assert.deepEqual(
      readFileSync(join(split, 'samples', 'step-000006.png')),
      readFileSync(join(whole, 'samples', 'step-000006.png')),
    );
  });

  it('matches the TensorFlow.js engine step for step: same weights, data and noise, the same losses', async () => {
    const r = await gan(['train', 'tfjs.gan', '--runs', 'tfjs', '--backend', 'cpu'], dir);
    assert.equal(r.code, 0, r.stderr);
    const tfjs = onlyRun(join(dir, 'tfjs'));
    const expected = trainingRows(tfjs);
    const actual = trainingRows(whole);
    assert.equal(actual.length, 6);
    actual.forEach((row, i) => {
      for (const name of LOSSES)
        assert.ok(
          Math.abs(row[name] - expected[i][name]) < 1e-4,
          `step ${i + 1} ${name}: PyTorch ${row[name]}, TensorFlow.js ${expected[i][name]}`,
        );
    });
    // Step 0's grid is drawn before any training, from the shared initial weights.
    assert.deepEqual(
      readFileSync(join(tfjs, 'samples', 'step-000000.png')),
      readFileSync(join(whole, 'samples', 'step-000000.png')),
    );
  });

  it('WGAN-GP: the penalty by double backward, on one process or two; its value matches TensorFlow.js', async () => {
    // A critic without batch norm (layer norm), one critic step: step 1 is a forward pass of shared weights.
    const wgan = (engine: string): string =>
      TINY(`steps 2; seed 4; engine ${engine}`)
        .replace('loss nonsaturating', 'loss wasserstein gp=10')
        .replace('    conv 8 kernel=3 stride=2\n', '    conv 8 kernel=3 stride=2 norm=layer\n')
        .replace('    batchnorm\n', '    layernorm\n')
        .replace('norm=batch', 'norm=layer');
    const folder = scratch({ 'torch.gan': wgan('torch'), 'tfjs.gan': wgan('tfjs') });
    const torch = await gan(['train', 'torch.gan', ...python, '--runs', 'torch'], folder);
    assert.equal(torch.code, 0, torch.stderr);
    const tfjs = await gan(['train', 'tfjs.gan', '--runs', 'tfjs', '--backend', 'cpu'], folder);
    assert.equal(tfjs.code, 0, tfjs.stderr);
    const [p] = trainingRows(onlyRun(join(folder, 'torch')));
    const [t] = trainingRows(onlyRun(join(folder, 'tfjs')));
    for (const name of ['d_loss', 'd_real', 'd_fake'])
      assert.ok(Math.abs(p[name] - t[name]) < 1e-4, `${name}: PyTorch ${p[name]}, TensorFlow.js ${t[name]}`);
    // Two DistributedDataParallel processes: the penalty's gradient is all-reduced with the rest.
    const two = await gan(['train', 'torch.gan', ...python, '--runs', 'two', '--nproc', '2'], folder);
    assert.equal(two.code, 0, two.stderr);
    const one = trainingRows(onlyRun(join(folder, 'torch')));
    trainingRows(onlyRun(join(folder, 'two'))).forEach((row, i) => {
      for (const name of LOSSES)
        assert.ok(
          Math.abs(row[name] - one[i][name]) < 1e-3,
          `step ${i + 1} ${name}: 2 processes ${row[name]}, 1 process ${one[i][name]}`,
        );
    });
    // The export trains it too (one process): the same penalty in train.py.
    const project = join(folder, 'project');
    const exported = await gan(['export', 'torch.gan', '--to', 'pytorch', project, '--limit', '64'], folder);
    assert.equal(exported.code, 0, exported.stderr);
    const script = spawnSync(PYTHON, ['train.py', '--steps', '2', '--cpu'], {
      cwd: project,
      encoding: 'utf8',
    });
    assert.equal(script.status, 0, script.stderr);
    assert.match(script.stdout, /step 2\/2 {2}d_loss \d/);
  });

  it('--nproc 2: two DistributedDataParallel processes on the same global batch train as one does', async () => {
    // No batch norm: each process's share of the batch then gives exactly the one-process gradients.
    const plain = TINY('steps 6; seed 4; checkpoint 3; ema 0.9; engine torch')
      .replace('    batchnorm\n', '    layernorm\n')
      .replace('norm=batch', 'norm=layer');
    const folder = scratch({ 'plain.gan': plain });
    const one = await gan(['train', 'plain.gan', ...python, '--runs', 'one'], folder);
    assert.equal(one.code, 0, one.stderr);
    const two = await gan(
      ['train', 'plain.gan', ...python, '--runs', 'two', '--nproc', '2', '--steps', '3'],
      folder,
    );
    assert.equal(two.code, 0, two.stderr);
    assert.match(two.stderr, /× 2 processes/);
    const twoRun = onlyRun(join(folder, 'two'));
    assert.equal(readRun(twoRun).info.engine?.processes, 2);
    // Resumed on 2 processes to the end: the same run as one process all along.
    const resumed = await gan(['train', '--resume', twoRun, '--steps', '6'], folder);
    assert.equal(resumed.code, 0, resumed.stderr);
    const expected = trainingRows(onlyRun(join(folder, 'one')));
    trainingRows(twoRun).forEach((row, i) => {
      for (const name of ['d_loss', 'g_loss', 'd_real', 'd_fake'])
        assert.ok(
          Math.abs(row[name] - expected[i][name]) < 1e-4,
          `step ${i + 1} ${name}: 2 processes ${row[name]}, 1 process ${expected[i][name]}`,
        );
    });
    const odd = await gan(
      ['train', 'plain.gan', ...python, '--runs', 'odd', '--nproc', '3', '--steps', '1'],
      folder,
    );
    assert.equal(odd.code, 1);
    assert.match(odd.stderr, /plain\.gan:2: the batch of 16 does not split evenly over 3 processes/);
  });

  it('trains a cgan, the labels crossing with each batch', async () => {
    const r = await gan(['train', 'cgan.gan', ...python, '--runs', 'cgan'], dir);
    assert.equal(r.code, 0, r.stderr);
    const run = readRun(onlyRun(join(dir, 'cgan')));
    assert.equal(run.metrics.length, 4);
    assert.ok(run.metrics.every((row) => Number.isFinite(row.d_loss) && Number.isFinite(row.g_loss)));
    // Evaluation while training reads the networks PyTorch trained (brought over before it runs).
    const evaluated = run.metrics.find((row) => row.step === 4);
    assert.ok(evaluated && Number.isFinite(evaluated['eval/fid']), JSON.stringify(evaluated));
    assert.ok(Number.isFinite(evaluated['eval/cond_acc']), 'conditional accuracy of the samples');
  });

  it('after SIGKILL no engine process is left, and the run resumes from its checkpoint', async () => {
    const before = enginesAlive();
    const running = startGan(['train', 'tiny.gan', ...python, '--runs', 'killed', '--steps', '100000'], dir);
    const runs = join(dir, 'killed');
    const checkpoint = await waitFor(() => {
      if (!existsSync(runs) || !readdirSync(runs).length) return null;
      const path = join(onlyRun(runs), 'checkpoints', 'step-000003');
      return existsSync(path) && path;
    });
    assert.ok(checkpoint);
    const workers = spawnSync('pgrep', ['-P', String(running.child.pid)], { encoding: 'utf8' })
      .stdout.trim()
      .split('\n')
      .filter(Boolean)
      .map(Number);
    running.child.kill('SIGKILL');
    for (const pid of workers) process.kill(pid, 'SIGKILL');
    await running.result;
    await waitFor(() => enginesAlive().every((pid) => before.includes(pid)) || null, 15_000);
    const killed = onlyRun(runs);
    // On a busy machine the run may have passed more checkpoints than step 3 before the kill lands:
    // resume three steps past the newest one it left.
    const latest = Math.max(...listCheckpoints(killed));
    assert.ok(latest >= 3);
    const target = latest + 3;
    const resumed = await gan(['train', '--resume', killed, '--steps', String(target), '--force'], dir);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(readRun(killed).info.status, 'completed');
    assert.equal(readRun(killed).metrics.at(-1)?.step, target);
  });

  it('trains every example model it takes for a few steps', async () => {
    const examples = join(process.cwd(), 'examples');
    const taken: string[] = [];
    for (const name of readdirSync(examples)
      .filter((n) => n.endsWith('.gan'))
      .sort()) {
      const { models } = analyzeModels(readFileSync(join(examples, name), 'utf8'));
      for (const model of models) {
        if (torchEngineProblems(model).length) continue;
        taken.push(model.name);
        const args = ['train', join(examples, name), '--model', model.name, '--engine', 'torch', ...python];
        const r = await gan(
          [...args, '--steps', '2', '--limit', '256', '--runs', join('examples', model.name)],
          dir,
        );
        assert.equal(r.code, 0, `${name} ${model.name}: ${r.stderr}`);
        const run = readRun(onlyRun(join(dir, 'examples', model.name)));
        assert.equal(run.info.engine?.name, 'torch');
        assert.deepEqual(
          run.metrics.map((row) => row.step),
          [1, 2],
        );
      }
    }
    assert.deepEqual(taken, [
      'noto2twemoji',
      'emoji_pixelcnn',
      'emoji_progan',
      'emoji_sr',
      'emoji_stackgan',
      'fashion_cgan',
      'dcgan',
      'dcgan_small',
      'dcgan_hinge',
      'mnist_pixelcnn',
      'mnist_pixelcnn_cond',
      'mnist_progan',
      'mnist_sr',
      'mnist_vae',
      'mnist_beta_vae',
      'moving_digits',
      'circles2squares',
    ]);
  });

  it('a diverging model fails naming the loss and the step, as on TensorFlow.js', async () => {
    // Squared errors under a huge plain-SGD step overflow float32 within a few steps.
    const wild = TINY('steps 20; seed 4; engine torch')
      .replace('loss nonsaturating', 'loss lsgan')
      .replace('optimizer adam lr=2e-3 beta1=0.5', 'optimizer sgd lr=1e6');
    const folder = scratch({ 'wild.gan': wild });
    const r = await gan(['train', 'wild.gan', ...python, '--runs', 'runs'], folder);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /failed: training diverged: \S+ became (NaN|-?Infinity) at step \d+\./);
    const run = readRun(onlyRun(join(folder, 'runs')));
    assert.equal(run.info.status, 'failed');
    assert.equal(run.metrics.length, run.info.step, 'no row for the diverged step');
  });

  it('says which interpreters it tried when none has PyTorch', async () => {
    const r = await gan(
      ['train', 'tiny.gan', '--python', join(dir, 'no-such-python'), '--runs', 'missing', '--steps', '1'],
      dir,
    );
    assert.equal(r.code, 1);
    assert.match(r.stderr, /PyTorch was not found/);
    assert.match(r.stderr, /no-such-python \(gan\.python setting\)/);
  });
});
