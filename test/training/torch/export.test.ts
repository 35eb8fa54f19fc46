// `gan export --to pytorch`: what it refuses (with the line), the readable model.py it writes, and
// the project really training with Debian's PyTorch (which .ci/run installs): a GAN Studio run
// folder the reader opens, an exact resume, and a 2-process DDP run (torchrun, gloo) whose losses
// match one process with the same global batch.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PNG } from 'pngjs';
import * as tf from '@tensorflow/tfjs';
import { compileNetwork } from '../../../src/training/engine/compile';
import {
  compileConditionalDiscriminator,
  compileConditionalGenerator,
} from '../../../src/training/engine/families/cgan';
import type { FamilyName } from '../../../src/language/model';
import { TORCH_FAMILIES } from '../../../src/language/schema';
import { growthAt } from '../../../src/language/families/proganSchedule';
import { growthScheduleOf, realImagesAt } from '../../../src/training/engine/families/progan';
import { EXPORTED_FAMILIES } from '../../../src/training/export/pytorchProject';
import { proganStageSizes } from '../../../src/training/export/pytorchProgan';
import { buildVocabulary, tokenize, Vocabulary } from '../../../src/training/engine/text';
import { readRun } from '../../../src/training/runs/reader';
import { resolveModel, useBackend } from '../engine/helpers';

const GAN = join(process.cwd(), 'bin', 'gan.js');
const PYTHON = '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
// CI installs python3-torch: there the training checks must run, not skip.
const torchSkip = !hasTorch && !process.env.CI ? 'no python3-torch on this machine' : false;

// No batch norm: each process's share of the batch then gives exactly the one-process gradients.
const TINY = `model tiny: gan {
  data mnist { scale [-1, 1]; batch 32 }
  latent 16
  generator {
    dense 7*7*16 activation=leakyrelu
    reshape [7, 7, 16]
    deconv 16 kernel=4 stride=2 norm=layer activation=relu
    residual { conv 16 kernel=3 norm=instance activation=leakyrelu }
    upsample 2
    conv 1 kernel=5 stride=1 activation=tanh
  }
  discriminator {
    conv 16 kernel=5 stride=2
    leakyrelu
    conv 32 kernel=3 stride=2 padding=valid
    leakyrelu 0.1
    avgpool size=2
    flatten
    dense 1
  }
  loss hinge
  optimizer generator adam lr=1e-3 beta1=0.5
  optimizer discriminator adam lr=2e-3 beta1=0.5
  train { steps 5; seed 3; d_steps 2; ema 0.9 }
  sample { every 2; grid 2x4 }
}
`;

// Every exported layer kind (spectral norm too), with TensorFlow's asymmetric 'same' padding (even conv kernels, an odd
// transposed-convolution overlap) where PyTorch's own padding would shift the image by a pixel.
const PARITY = `model parity: gan {
  data mnist { scale [-1, 1]; batch 8 }
  latent 12
  generator {
    dense 7*7*8 bias=false
    batchnorm
    elu
    reshape [7, 7, 8]
    deconv 8 kernel=5 stride=2 norm=batch activation=leakyrelu
    residual { conv 8 kernel=3 norm=instance activation=relu; layernorm }
    deconv 6 kernel=3 stride=2 bias=false sn=true
    instancenorm
    sigmoid
    conv 1 kernel=4 stride=1 activation=tanh
  }
  discriminator {
    conv 8 kernel=4 stride=2 norm=layer activation=leakyrelu
    dropout 0.3
    upsample 2
    maxpool size=2
    conv 16 kernel=4 stride=2 padding=valid sn=true
    relu
    avgpool size=2
    flatten
    dense 4 activation=sigmoid
    dense 1
  }
}
`;

// The same networks as a conditional GAN with the default conditioning: the one-hot label joined
// to z, one plane per class joined to the image.
const PARITY_CGAN = PARITY.replace('model parity: gan {', 'model parity_cgan: cgan {').replace(
  '  latent 12\n',
  '  latent 12\n  condition classes=10\n',
);

function gan(args: string[], cwd: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [GAN, ...args], { cwd, encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

function exportTiny(text = TINY): string {
  const dir = mkdtempSync(join(tmpdir(), 'gan-export-'));
  writeFileSync(join(dir, 'tiny.gan'), text);
  const r = gan(['export', 'tiny.gan', '--to', 'pytorch', 'project', '--limit', '640'], dir);
  assert.equal(r.status, 0, r.out);
  return join(dir, 'project');
}

// A small VAE: the export's second family (encoder and decoder, the ELBO, no batch statistics).
const TINY_VAE = `model tiny_vae: vae {
  data mnist { scale [0, 1]; batch 32 }
  latent 6
  encoder {
    conv 8 kernel=3 stride=2 activation=relu
    flatten
    dense 32 activation=relu
  }
  decoder {
    dense 7*7*8 activation=relu
    reshape [7, 7, 8]
    deconv 8 kernel=3 stride=2 activation=relu
    deconv 1 kernel=3 stride=2 activation=sigmoid
  }
  loss elbo beta=2 reconstruction=bce
  optimizer adam lr=1e-3
  train { steps 5; seed 4 }
  sample { every 2; grid 2x4 }
}
`;

// A small CycleGAN between two endless shape sources (exported as fixed sets with --limit).
const TINY_CYCLEGAN = `model tiny_cycle: cyclegan {
  data shapes domain=a kind=circle size=16x16 channels=1 { scale [-1, 1]; batch 4 }
  data shapes domain=b kind=square size=16x16 channels=1 { scale [-1, 1]; batch 4 }
  generator {
    conv 8 kernel=3 norm=instance activation=relu
    conv 8 kernel=3 stride=2 norm=instance activation=relu
    deconv 8 kernel=3 stride=2 norm=instance activation=relu
    conv 1 kernel=3 activation=tanh
  }
  discriminator {
    conv 8 kernel=4 stride=2
    leakyrelu
    conv 1 kernel=4
  }
  loss lsgan cycle=10 identity=5
  optimizer adam lr=2e-3 beta1=0.5
  train { steps 4; seed 2 }
  sample { every 2; grid 6x3 }
}
`;

// A small conditional PixelCNN on binarised digits (a softmax over 2 levels, a bias per class).
const TINY_PIXELCNN = `model tiny_px: pixelcnn {
  data mnist { scale [0, 1]; batch 8 }
  levels 2 quantize=stochastic
  condition classes=10
  network {
    gated 4 kernel=3 mask=A
    gated 4 kernel=3
    relu
    maskedconv 2 kernel=1
  }
  loss nll
  optimizer adam lr=5e-3
  train { steps 5; seed 4 }
  sample { every 2; grid 2x2 }
}
`;

// A small colour PixelCNN++ output: a discretised logistic mixture with the channel couplings.
const TINY_PIXELCNN_MIXTURE = `model tiny_mix: pixelcnn {
  data shapes size=6x6 channels=3 limit=64 { scale [0, 1]; batch 8 }
  levels 16 output=logistic mixtures=2
  network {
    maskedconv 8 kernel=3 mask=A activation=relu
    maskedconv 20 kernel=1
  }
  loss nll
  optimizer adam lr=2e-3
  train { steps 3; seed 1 }
  sample { every 3; grid 2x2 }
}
`;

// A small progressive GAN: 4×4 then 8×8 (two stable steps, a three-step fade-in), a weight average.
// No minibatch standard deviation: its statistic is each process's share of the batch, so a
// 2-process run would differ from one process by design.
const TINY_PROGAN = `model tiny_pg: progan {
  data mnist { size 8x8; scale [-1, 1]; batch 8 }
  latent 8
  grow { stable 16; fade 24; from_rgb 4 }
  generator {
    stage 4x4 { dense 4*4*8; reshape [4, 4, 8]; leakyrelu; pixelnorm }
    stage 8x8 { upsample 2; conv 4 kernel=3; leakyrelu; pixelnorm }
  }
  discriminator {
    stage 8x8 { conv 8 kernel=3 stride=2; leakyrelu }
    stage 4x4 { conv 8 kernel=3; leakyrelu; flatten; dense 1 }
  }
  loss wasserstein gp=10 drift=0.001
  optimizer adam lr=1e-3 beta1=0 beta2=0.99
  train { steps 7; seed 1; ema 0.9; checkpoint 1 }
  sample { every 3; grid 2x2 }
}
`;

// A small StackGAN on emoji captions: two stage-I steps at 4×4, two stage-II steps at 8×8. No
// batch norm: its statistics are each process's share, so 2 processes would differ by design.
const TINY_STACKGAN = `model tiny_stack: stackgan {
  data emoji { size 8x8; scale [-1, 1]; batch 4; limit 40 }
  latent 4
  text embed=6 vocab=30
  augment 3 kl=1
  stage1 { size 4x4; steps 2 }
  generator { dense 4*4*4; reshape [4, 4, 4]; relu; conv 3 kernel=3 activation=tanh }
  discriminator { flatten; dense 8; leakyrelu; dense 1 }
  generator2 { conv 4 kernel=3 activation=relu; upsample 2; conv 3 kernel=3 activation=tanh }
  discriminator2 { conv 4 kernel=3 stride=2; leakyrelu; flatten; dense 1 }
  loss nonsaturating
  optimizer adam lr=1e-2 beta1=0.5
  train { steps 4; seed 3; checkpoint 1 }
  sample { every 2; grid 2x4 }
}
`;

// A small MoCoGAN on 16 moving digits (4 frames), the frame critic on 2 of them, weight averages on. No batch norm: its
// statistics are each process's share, so 2 processes would differ by design.
const TINY_VIDEO = `model tiny_video: video {
  data moving_mnist { size 32x32; frames 4; speed 2; scale [-1, 1]; batch 4; limit 16 }
  latent 6
  motion 3
  critic_frames 2
  trajectory { gru 5; dense 3 }
  generator { dense 4*4*4; leakyrelu; reshape [4, 4, 4]; deconv 4 kernel=4 stride=2; leakyrelu; deconv 1 kernel=4 stride=4 activation=tanh }
  discriminator { conv 4 kernel=4 stride=4; leakyrelu; flatten; dense 1 }
  video_discriminator { conv 4 kernel=4 stride=4; leakyrelu; flatten; dense 1 }
  loss nonsaturating
  optimizer adam lr=2e-3 beta1=0.5
  train { steps 5; seed 2; ema 0.9 }
  sample { every 2; grid 2x4 }
}
`;

// A small SRGAN: 7×7 digits to 28×28, two content-only steps, then the adversarial stage with the
// discriminator feature loss and a weight average.
const TINY_SRGAN = `model tiny_sr: srgan {
  data mnist { scale [-1, 1]; batch 16 }
  upscale 4 method=bicubic
  generator {
    conv 16 kernel=3
    prelu
    conv 4*16 kernel=3
    pixelshuffle 2
    prelu
    conv 4*8 kernel=3
    pixelshuffle 2
    conv 1 kernel=3
  }
  discriminator {
    conv 8 kernel=3 stride=2
    leakyrelu
    flatten
    dense 1
  }
  loss nonsaturating content=mse adversarial=1e-2 features=discriminator
  pretrain { steps 2 }
  optimizer adam lr=1e-3
  train { steps 5; seed 6; ema 0.9 }
  sample { every 2; grid 3x4 }
}
`;

interface Row {
  readonly step: number;
  readonly bits_per_dim: number;
  readonly resolution: number;
  readonly alpha: number;
  readonly 'grad_norm/generator': number;
  readonly d_wrong: number;
  readonly v_loss: number;
  readonly v_real: number;
  readonly 'grad_norm/trajectory': number;
  readonly 'grad_norm/video_discriminator': number;
  readonly d_loss: number;
  readonly g_loss: number;
  readonly loss: number;
  readonly recon: number;
  readonly kl: number;
  readonly cycle: number;
  readonly identity: number;
  readonly content: number;
  readonly feature: number;
  readonly stage: number;
}

function onlyRun(runs: string): string {
  const ids = readdirSync(runs);
  assert.equal(ids.length, 1, ids.join(', '));
  return join(runs, ids[0]);
}

function rows(runDir: string): Row[] {
  return readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Row);
}

/** A port no one listens on now (the OS's pick). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Runs Python in the project; a failure or a timeout says what the process printed. */
function python(project: string, args: string[]): void {
  const r = spawnSync(PYTHON, args, {
    cwd: project,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, OMP_NUM_THREADS: '1' },
  });
  const tail = (text: string | null) => (text ?? '').split('\n').slice(-40).join('\n');
  assert.ok(
    r.status === 0,
    `python ${args.join(' ')}: ${r.error?.message ?? `exit ${r.status ?? r.signal}`}\n${tail(r.stdout)}\n${tail(r.stderr)}`,
  );
}

/**
 * torchrun over two processes. A hang fails the test with every process's Python stack: faulthandler
 * prints them when the process group gets SIGABRT, before it is killed.
 */
async function torchrun(project: string, args: string[]): Promise<void> {
  const command = [
    '-m',
    'torch.distributed.run',
    // Debian's torch 1.13 launcher cannot parse its default redirects on Python 3.11: name them.
    '--redirects',
    '1',
    '--tee',
    '1',
    '--nproc_per_node',
    '2',
    // A free port, not the default 29500: other torchrun runs may be under way on this machine.
    '--master_port',
    String(await freePort()),
    ...args,
  ];
  const child = spawn(PYTHON, command, {
    cwd: project,
    detached: true,
    env: { ...process.env, OMP_NUM_THREADS: '1', PYTHONFAULTHANDLER: '1' },
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // The group has left already.
    }
  };
  let hung = false;
  const timer = setTimeout(() => {
    hung = true;
    signalGroup('SIGABRT');
    setTimeout(() => signalGroup('SIGKILL'), 3000).unref();
  }, 180_000);
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  assert.ok(
    status === 0 && !hung,
    `python ${command.join(' ')}: ${hung ? 'hung (stacks below)' : `exit ${status}`}\n${out.split('\n').slice(-120).join('\n')}`,
  );
}

function train(project: string, args: string[]): void {
  python(project, ['train.py', ...args]);
}

describe('gan export --to pytorch', () => {
  it('refuses what it cannot carry, with the reason and the line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gan-export-refused-'));
    // Clip data is endless unless limited, as image data is.
    writeFileSync(
      join(dir, 'px.gan'),
      readFileSync(join(process.cwd(), 'examples', 'moving-mnist-video.gan'), 'utf8'),
    );
    const px = gan(['export', 'px.gan', '--to', 'pytorch', 'out'], dir);
    assert.equal(px.status, 1);
    assert.match(px.out, /line \d+: moving_mnist data is endless; give its data section a `limit`/);
    const usage = gan(['export', 'px.gan', '--to', 'onnx', 'out'], dir);
    assert.equal(usage.status, 2);
    assert.match(usage.out, /--to pytorch DIR is the one export target/);
    // An endless source needs a fixed set: the data line, and the two ways to give one.
    writeFileSync(join(dir, 'cycle.gan'), TINY_CYCLEGAN);
    const endless = gan(['export', 'cycle.gan', '--to', 'pytorch', 'out'], dir);
    assert.equal(endless.status, 1);
    assert.match(
      endless.out,
      /line 2: shapes data is endless; give its data section a `limit` \(or pass --limit\)/,
    );
    assert.deepEqual(readdirSync(dir).sort(), ['cycle.gan', 'px.gan']);
  });

  it('writes a training script for every family the language marks exported, and only those', () => {
    for (const family of Object.keys(EXPORTED_FAMILIES) as FamilyName[]) {
      const support = TORCH_FAMILIES[family];
      assert.equal(
        EXPORTED_FAMILIES[family] !== null,
        typeof support !== 'string' && support.exported,
        family,
      );
    }
  });

  it('writes model.py layer by layer, each module with the .gan line it comes from', () => {
    const project = exportTiny();
    assert.deepEqual(readdirSync(project).sort(), [
      'README.md',
      'data',
      'data.py',
      'model.gan',
      'model.py',
      'run_folder.py',
      'train.py',
    ]);
    const model = readFileSync(join(project, 'model.py'), 'utf8');
    assert.match(
      model,
      /nn\.Linear\(16, 784, bias=True\),\s+# line 5: dense 784 activation=leakyrelu -> 784\n\s+nn\.LeakyReLU\(0\.2\),\n/,
    );
    assert.match(
      model,
      /ConvTranspose2dTF\(16, 16, kernel=4, stride=2, padding="same", bias=True\),\s+# line 7: deconv 16 kernel=4 stride=2 activation=relu norm=layer -> 14×14×16\n\s+ChannelLayerNorm\(16, eps=0\.001\),\n\s+nn\.ReLU\(\),/,
    );
    assert.match(model, /Conv2dTF\(16, 32, kernel=3, stride=2, padding="valid", bias=True\)/);
    assert.match(
      model,
      /Residual\(\s+# line 8: residual -> 14×14×16\n\s+nn\.Sequential\(\n\s+Conv2dTF\(16, 16, kernel=3, stride=1, padding="same", bias=True\),\s+# line 8: conv 16 activation=leakyrelu norm=instance/,
    );
    assert.match(model, /FlattenChannelsLast\(\),\s+# line 18: flatten -> 288/);
    // 640 images of 28×28×1 bytes.
    assert.equal(readFileSync(join(project, 'data', 'images.u8')).length, 640 * 28 * 28);
    assert.match(
      readFileSync(join(project, 'README.md'), 'utf8'),
      /torchrun --nnodes=2 --nproc_per_node=8 .*--rdzv-endpoint=/s,
    );
  });

  it('trains into a run folder the editor reads, and resumes exactly', { skip: torchSkip }, () => {
    const project = exportTiny();
    train(project, ['--runs', 'whole']);
    const whole = onlyRun(join(project, 'whole'));
    const record = readRun(whole);
    assert.equal(record.info.status, 'completed');
    assert.equal(record.info.step, 5);
    assert.equal(record.info.family, 'gan');
    assert.match(record.info.device, /PyTorch \d/);
    assert.deepEqual(
      record.metrics.map((m) => m.step),
      [1, 2, 3, 4, 5],
    );
    assert.deepEqual(
      record.samples.map((s) => s.step),
      [2, 4, 5],
    );
    const grid = PNG.sync.read(readFileSync(record.samples[2].path));
    assert.deepEqual([grid.width, grid.height], [4 * 28, 2 * 28]);
    assert.ok(rows(whole).every((r) => Number.isFinite(r.d_loss) && Number.isFinite(r.g_loss)));

    train(project, ['--runs', 'split', '--steps', '3']);
    const split = onlyRun(join(project, 'split'));
    train(project, ['--resume', split, '--steps', '5']);
    assert.equal(readRun(split).info.status, 'completed');
    // Samples come from the weight average, which the checkpoint carries: the last grids agree.
    const lastGrid = (dir: string) => readFileSync(readRun(dir).samples.at(-1)?.path ?? '');
    assert.ok(lastGrid(split).equals(lastGrid(whole)));
    assert.deepEqual(
      rows(split).map((r) => [r.step, r.d_loss, r.g_loss]),
      rows(whole).map((r) => [r.step, r.d_loss, r.g_loss]),
    );
  });

  it(
    'exports a vae: encoder and decoder, the ELBO, a run folder, an exact resume',
    { skip: torchSkip },
    () => {
      const project = exportTiny(TINY_VAE);
      const model = readFileSync(join(project, 'model.py'), 'utf8');
      assert.match(model, /class Encoder\(nn\.Module\):/);
      assert.match(model, /class Decoder\(nn\.Module\):/);
      const script = readFileSync(join(project, 'train.py'), 'utf8');
      assert.match(script, /^BETA = 2 /m);
      assert.doesNotMatch(script, /^import copy$/m, 'no unused imports');
      assert.match(
        readFileSync(join(project, 'README.md'), 'utf8'),
        /the encoder and decoder, layer by layer/,
      );
      train(project, ['--runs', 'whole']);
      const whole = onlyRun(join(project, 'whole'));
      const record = readRun(whole);
      assert.equal(record.info.family, 'vae');
      assert.equal(record.info.status, 'completed');
      assert.deepEqual(
        record.samples.map((s) => s.step),
        [2, 4, 5],
      );
      const grid = PNG.sync.read(readFileSync(record.samples[2].path));
      assert.deepEqual([grid.width, grid.height], [4 * 28, 2 * 28]);
      const metrics = rows(whole);
      // The negative ELBO: the reconstruction term plus β·KL, both positive.
      for (const r of metrics) {
        assert.ok(r.recon > 0 && r.kl >= 0, JSON.stringify(r));
        assert.ok(Math.abs(r.loss - (r.recon + 2 * r.kl)) <= 1e-3 * r.loss, JSON.stringify(r));
      }
      assert.ok(metrics[4].loss < metrics[0].loss, 'five Adam steps lower the loss');

      train(project, ['--runs', 'split', '--steps', '3']);
      const split = onlyRun(join(project, 'split'));
      train(project, ['--resume', split, '--steps', '5']);
      assert.deepEqual(
        rows(split).map((r) => [r.step, r.loss, r.recon, r.kl]),
        metrics.map((r) => [r.step, r.loss, r.recon, r.kl]),
      );
      const lastGrid = (dir: string) => readFileSync(readRun(dir).samples.at(-1)?.path ?? '');
      assert.ok(lastGrid(split).equals(lastGrid(whole)));
    },
  );

  it(
    'exports a cyclegan: both domains’ images, four networks, the translation grid, an exact resume',
    { skip: torchSkip },
    () => {
      const project = exportTiny(TINY_CYCLEGAN);
      assert.equal(readFileSync(join(project, 'data', 'a.u8')).length, 640 * 16 * 16);
      assert.equal(readFileSync(join(project, 'data', 'b.u8')).length, 640 * 16 * 16);
      assert.match(readFileSync(join(project, 'README.md'), 'utf8'), /`data\/a\.u8`, `data\/b\.u8`/);
      train(project, ['--runs', 'whole']);
      const whole = onlyRun(join(project, 'whole'));
      const record = readRun(whole);
      assert.equal(record.info.family, 'cyclegan');
      assert.equal(record.info.status, 'completed');
      // Six rows (a, G_ab(a), G_ba(G_ab(a)), b, G_ba(b), G_ab(G_ba(b))) of three 16×16 images.
      const grid = PNG.sync.read(readFileSync(record.samples.at(-1)?.path ?? ''));
      assert.deepEqual([grid.width, grid.height], [3 * 16, 6 * 16]);
      const metrics = rows(whole);
      assert.ok(metrics.every((r) => r.cycle > 0 && r.identity > 0 && Number.isFinite(r.g_loss)));

      train(project, ['--runs', 'split', '--steps', '2']);
      const split = onlyRun(join(project, 'split'));
      train(project, ['--resume', split, '--steps', '4']);
      assert.deepEqual(
        rows(split).map((r) => [r.step, r.g_loss, r.d_loss, r.cycle]),
        metrics.map((r) => [r.step, r.g_loss, r.d_loss, r.cycle]),
      );
      const lastGrid = (dir: string) => readFileSync(readRun(dir).samples.at(-1)?.path ?? '');
      assert.ok(lastGrid(split).equals(lastGrid(whole)));
    },
  );

  it(
    'exports an srgan: GAN Studio’s low-resolution inputs, pretraining then the adversarial stage, an exact resume',
    { skip: torchSkip },
    () => {
      const project = exportTiny(TINY_SRGAN);
      assert.equal(readFileSync(join(project, 'data', 'images.u8')).length, 640 * 28 * 28);
      const low = readFileSync(join(project, 'data', 'low.u8'));
      assert.equal(low.length, 640 * 7 * 7);
      // The inputs are the images' bicubic shrinking: the first image's mean brightness is kept.
      const high = readFileSync(join(project, 'data', 'images.u8'));
      const mean = (b: Uint8Array, n: number) => b.subarray(0, n).reduce((s, v) => s + v, 0) / n;
      assert.ok(Math.abs(mean(low, 49) - mean(high, 784)) < 12, `${mean(low, 49)} vs ${mean(high, 784)}`);
      train(project, ['--runs', 'whole']);
      const whole = onlyRun(join(project, 'whole'));
      const record = readRun(whole);
      assert.equal(record.info.family, 'srgan');
      assert.equal(record.info.status, 'completed');
      // Three rows (the input enlarged, super-resolved, the original) of four 28×28 images.
      const grid = PNG.sync.read(readFileSync(record.samples.at(-1)?.path ?? ''));
      assert.deepEqual([grid.width, grid.height], [4 * 28, 3 * 28]);
      const metrics = rows(whole);
      assert.deepEqual(
        metrics.map((r) => r.stage),
        [0, 0, 1, 1, 1],
      );
      assert.ok(metrics.slice(0, 2).every((r) => r.g_loss === r.content && r.d_loss === 0));
      assert.ok(metrics.slice(2).every((r) => r.feature > 0 && r.d_loss > 0 && r.g_loss > r.content));

      train(project, ['--runs', 'split', '--steps', '3']);
      const split = onlyRun(join(project, 'split'));
      train(project, ['--resume', split, '--steps', '5']);
      assert.deepEqual(
        rows(split).map((r) => [r.step, r.g_loss, r.d_loss, r.content]),
        metrics.map((r) => [r.step, r.g_loss, r.d_loss, r.content]),
      );
      const lastGrid = (dir: string) => readFileSync(readRun(dir).samples.at(-1)?.path ?? '');
      assert.ok(lastGrid(split).equals(lastGrid(whole)));
    },
  );

  it(
    'exports a pixelcnn: stochastic binarisation, a bias per class, sampled grids, an exact resume',
    { skip: torchSkip },
    () => {
      const project = exportTiny(TINY_PIXELCNN);
      assert.match(readFileSync(join(project, 'model.py'), 'utf8'), /def forward\(self, x, labels\):/);
      const script = readFileSync(join(project, 'train.py'), 'utf8');
      assert.match(script, /^STOCHASTIC = True /m);
      assert.match(script, /^import math$/m);
      train(project, ['--runs', 'whole']);
      const whole = onlyRun(join(project, 'whole'));
      const record = readRun(whole);
      assert.equal(record.info.family, 'pixelcnn');
      assert.equal(record.info.status, 'completed');
      assert.deepEqual(
        record.samples.map((s) => s.step),
        [2, 4, 5],
      );
      // Two levels: every drawn pixel is black or white; the rows are classes 0 and 1.
      const grid = PNG.sync.read(readFileSync(record.samples[2].path));
      assert.deepEqual([grid.width, grid.height], [2 * 28, 2 * 28]);
      const values = new Set<number>();
      for (let i = 0; i < grid.data.length; i += 4) values.add(grid.data[i]);
      assert.ok(
        [...values].every((v) => v === 0 || v === 255),
        `levels ${[...values].join(', ')}`,
      );
      const metrics = rows(whole);
      for (const r of metrics)
        assert.ok(Math.abs(r.bits_per_dim - r.loss / (784 * Math.LN2)) <= 1e-6 * r.loss, JSON.stringify(r));
      assert.ok(metrics[4].loss < metrics[0].loss, 'five Adam steps lower the NLL');

      train(project, ['--runs', 'split', '--steps', '3']);
      const split = onlyRun(join(project, 'split'));
      train(project, ['--resume', split, '--steps', '5']);
      assert.deepEqual(
        rows(split).map((r) => [r.step, r.loss]),
        metrics.map((r) => [r.step, r.loss]),
      );
      const lastGrid = (dir: string) => readFileSync(readRun(dir).samples.at(-1)?.path ?? '');
      assert.ok(lastGrid(split).equals(lastGrid(whole)));
    },
  );

  it(
    'draws a pixelcnn’s pixels from the distribution its NLL scores (softmax and logistic mixture)',
    { skip: torchSkip },
    () => {
      for (const text of [TINY_PIXELCNN, TINY_PIXELCNN_MIXTURE]) {
        const project = exportTiny(text);
        train(project, ['--runs', 'runs']);
        // Random outputs at one pixel, drawn 40,000 times: each level combination's frequency
        // against exp(-nll) of that combination, which the loss trains.
        const script = [
          'import itertools, torch',
          'import train',
          'torch.manual_seed(0)',
          'c, k = train.IMAGE_SHAPE[0], train.MIXTURES',
          'params = torch.randn(1, k * (1 + 2 * c + len(train.COUPLINGS)) if k else c * train.LEVELS)',
          '# Narrow components (scales near one level) so that a few dozen combinations hold the mass.',
          'if k: params[:, k + c * k : k + 2 * c * k] = -2.5 + 0.3 * params[:, k + c * k : k + 2 * c * k]',
          'n = 40000',
          'draws = train.draw_pixel(params.expand(n, -1), torch.Generator().manual_seed(1))',
          'worst, rest_p, rest_f = 0.0, 0.0, 0.0',
          'for combo in itertools.product(range(train.LEVELS), repeat=c):',
          '    target = torch.tensor([combo])',
          '    p = (-train.nll_per_image(params.reshape(1, -1, 1, 1), target.reshape(1, 1, 1, c))).exp().item()',
          '    f = (draws == target).all(1).float().mean().item()',
          '    if n * p < 25:',
          '        rest_p, rest_f = rest_p + p, rest_f + f',
          '    else:',
          '        worst = max(worst, abs(f - p) / (p * (1 - p) / n) ** 0.5)',
          'if rest_p > 0: worst = max(worst, abs(rest_f - rest_p) / (rest_p * (1 - rest_p) / n) ** 0.5)',
          'print(worst)',
        ].join('\n');
        const out = execFileSync(PYTHON, ['-c', script], { cwd: project, encoding: 'utf8' });
        // Within 5 standard errors for every likely combination, and for the unlikely ones together.
        assert.ok(Number(out.trim()) < 5, `${text.split('\n')[0]}: ${out.trim()} standard errors`);
      }
    },
  );

  it(
    'exports a progan: the growth schedule and real-image blend as GAN Studio computes them, grids at the data size, an exact resume mid-fade',
    { skip: torchSkip },
    async () => {
      const project = exportTiny(TINY_PROGAN);
      const model = resolveModel(TINY_PROGAN);
      // The schedule and the real images of every phase, against the TensorFlow.js family's own.
      await useBackend();
      const schedule = growthScheduleOf(model);
      const images = tf.randomUniform([4, 8, 8, 1], -1, 1, 'float32', 3);
      const checks = [0, 1, 2, 3, 4, 5, 6].map((step) => {
        const state = growthAt(schedule, step);
        const size = proganStageSizes(model)[state.stage];
        const real = realImagesAt(images as tf.Tensor4D, size, state);
        return { step, state, size: size[0], real: Array.from(real.dataSync()) };
      });
      const script = [
        'import json, sys, torch',
        'import train',
        'images = torch.tensor(json.loads(sys.stdin.readline())).reshape(4, 8, 8, 1).permute(0, 3, 1, 2)',
        'out = []',
        'for step in range(7):',
        '    stage, alpha, fading = train.growth_at(step)',
        '    real = train.real_images_at(images, train.SIZES[stage], alpha, fading).permute(0, 2, 3, 1)',
        '    out.append({"stage": stage, "alpha": alpha, "fading": fading, "real": real.flatten().tolist()})',
        'print(json.dumps(out))',
      ].join('\n');
      const python = JSON.parse(
        execFileSync(PYTHON, ['-c', script], {
          cwd: project,
          encoding: 'utf8',
          input: JSON.stringify(Array.from(images.dataSync())) + '\n',
        }),
      ) as { stage: number; alpha: number; fading: boolean; real: number[] }[];
      for (const { step, state, real } of checks) {
        const p = python[step];
        assert.deepEqual(
          [p.stage, p.alpha, p.fading],
          [state.stage, state.alpha, state.fading],
          `step ${step}`,
        );
        assert.equal(p.real.length, real.length);
        assert.ok(
          p.real.every((v, i) => Math.abs(v - real[i]) < 1e-6),
          `step ${step}: real images differ`,
        );
      }

      train(project, ['--runs', 'whole']);
      const whole = onlyRun(join(project, 'whole'));
      const record = readRun(whole);
      assert.equal(record.info.family, 'progan');
      assert.equal(record.info.status, 'completed');
      const metrics = rows(whole);
      assert.deepEqual(
        metrics.map((r) => [r.resolution, Number(r.alpha.toFixed(3))]),
        [
          [4, 1],
          [4, 1],
          [8, 0.25],
          [8, 0.5],
          [8, 0.75],
          [8, 1],
          [8, 1],
        ],
      );
      // Every grid at the data size: a 4×4 stage's samples enlarged.
      assert.deepEqual(
        record.samples.map((s) => s.step),
        [3, 6, 7],
      );
      for (const sample of record.samples) {
        const grid = PNG.sync.read(readFileSync(sample.path));
        assert.deepEqual([grid.width, grid.height], [16, 16]);
      }

      // Stopped in the middle of the fade-in (after step 4), resumed: the same run.
      train(project, ['--runs', 'split', '--steps', '4']);
      const split = onlyRun(join(project, 'split'));
      train(project, ['--resume', split, '--steps', '7']);
      assert.deepEqual(
        rows(split).map((r) => [r.step, r.d_loss, r.g_loss, r.alpha]),
        metrics.map((r) => [r.step, r.d_loss, r.g_loss, r.alpha]),
      );
      const lastGrid = (dir: string) => readFileSync(readRun(dir).samples.at(-1)?.path ?? '');
      assert.ok(lastGrid(split).equals(lastGrid(whole)));
    },
  );

  it(
    'exports a stackgan: the captions, the vocabulary and word bags as GAN Studio builds them, stage I then II, an exact resume across the stages',
    { skip: torchSkip },
    async () => {
      const project = exportTiny(TINY_STACKGAN);
      const captions = readFileSync(join(project, 'data', 'captions.txt'), 'utf8')
        .trimEnd()
        .split('\n');
      assert.equal(captions.length, 40);
      assert.ok(captions.every((c) => tokenize(c).length > 0));
      // The vocabulary and every caption's bag of words, against GAN Studio's own.
      const words = buildVocabulary(captions, 30);
      await useBackend();
      const bags = Array.from(new Vocabulary(words, 31).bags(captions).dataSync());
      const script = [
        'import json, train',
        'captions = train.load_captions()',
        'vocabulary = train.build_vocabulary(captions, train.VOCABULARY - 1)',
        'print(json.dumps({"words": vocabulary, "bags": train.word_bags(captions, vocabulary).flatten().tolist()}))',
      ].join('\n');
      const python = JSON.parse(execFileSync(PYTHON, ['-c', script], { cwd: project, encoding: 'utf8' })) as {
        words: string[];
        bags: number[];
      };
      assert.deepEqual(python.words, words);
      assert.ok(python.bags.every((v, i) => Math.abs(v - bags[i]) < 1e-6));

      train(project, ['--runs', 'whole']);
      const whole = onlyRun(join(project, 'whole'));
      const record = readRun(whole);
      assert.equal(record.info.family, 'stackgan');
      assert.equal(record.info.status, 'completed');
      const metrics = rows(whole);
      assert.deepEqual(
        metrics.map((r) => r.stage),
        [1, 1, 2, 2],
      );
      assert.ok(
        metrics.every((r) => r.kl > 0 && r.d_wrong > 0 && r.d_wrong < 1),
        JSON.stringify(metrics),
      );
      // A row per caption; per noise draw, stage I enlarged beside stage II, at 8×8.
      const grid = PNG.sync.read(readFileSync(record.samples.at(-1)?.path ?? ''));
      assert.deepEqual([grid.width, grid.height], [4 * 8, 2 * 8]);

      // Stopped at the end of stage I, resumed into stage II: the same run.
      train(project, ['--runs', 'split', '--steps', '2']);
      const split = onlyRun(join(project, 'split'));
      train(project, ['--resume', split, '--steps', '4']);
      assert.deepEqual(
        rows(split).map((r) => [r.step, r.g_loss, r.d_loss, r.kl]),
        metrics.map((r) => [r.step, r.g_loss, r.d_loss, r.kl]),
      );
      const lastGrid = (dir: string) => readFileSync(readRun(dir).samples.at(-1)?.path ?? '');
      assert.ok(lastGrid(split).equals(lastGrid(whole)));
    },
  );

  it(
    'exports a video model: clips as consecutive frames, both critics, clip grids, weight averages, an exact resume',
    { skip: torchSkip },
    () => {
      const project = exportTiny(TINY_VIDEO);
      assert.equal(readFileSync(join(project, 'data', 'images.u8')).length, 16 * 4 * 32 * 32);
      assert.match(
        readFileSync(join(project, 'model.py'), 'utf8'),
        /class VideoDiscriminator\(nn\.Module\):/,
      );
      train(project, ['--runs', 'whole']);
      const whole = onlyRun(join(project, 'whole'));
      const record = readRun(whole);
      assert.equal(record.info.family, 'video');
      assert.equal(record.info.status, 'completed');
      assert.equal(record.info.stepsPerEpoch, 4); // 16 clips in batches of 4
      // A clip per row, its four frames across.
      const grid = PNG.sync.read(readFileSync(record.samples.at(-1)?.path ?? ''));
      assert.deepEqual([grid.width, grid.height], [4 * 32, 2 * 32]);
      const metrics = rows(whole);
      assert.ok(
        metrics.every(
          (r) => r.v_loss > 0 && r['grad_norm/trajectory'] > 0 && r['grad_norm/video_discriminator'] > 0,
        ),
        JSON.stringify(metrics[0]),
      );

      train(project, ['--runs', 'split', '--steps', '3']);
      const split = onlyRun(join(project, 'split'));
      train(project, ['--resume', split, '--steps', '5']);
      assert.deepEqual(
        rows(split).map((r) => [r.step, r.d_loss, r.v_loss, r.g_loss]),
        metrics.map((r) => [r.step, r.d_loss, r.v_loss, r.g_loss]),
      );
      const lastGrid = (dir: string) => readFileSync(readRun(dir).samples.at(-1)?.path ?? '');
      assert.ok(lastGrid(split).equals(lastGrid(whole)));
    },
  );

  it('trains a conditional GAN on the batch’s labels', { skip: torchSkip }, () => {
    const project = exportTiny(PARITY_CGAN);
    assert.equal(readFileSync(join(project, 'data', 'labels.u8')).length, 640);
    assert.match(readFileSync(join(project, 'model.py'), 'utf8'), /def forward\(self, z, labels\):/);
    train(project, ['--runs', 'runs', '--steps', '2']);
    const record = readRun(onlyRun(join(project, 'runs')));
    assert.equal(record.info.family, 'cgan');
    assert.equal(record.info.status, 'completed');
    assert.deepEqual(
      record.samples.map((s) => s.step),
      [2],
    );
  });

  const ADVERSARIAL_KEYS = ['d_loss', 'g_loss'] as const;
  for (const [label, text, keys] of [
    ['gan, hinge', TINY, ADVERSARIAL_KEYS],
    ['gan, wasserstein gp=10', TINY.replace('loss hinge', 'loss wasserstein gp=10'), ADVERSARIAL_KEYS],
    ['vae', TINY_VAE, ['loss', 'recon', 'kl'] as const],
    ['cyclegan', TINY_CYCLEGAN, ['g_loss', 'd_loss', 'cycle', 'identity'] as const],
    ['srgan', TINY_SRGAN, ['g_loss', 'content', 'feature', 'd_loss'] as const],
    ['pixelcnn', TINY_PIXELCNN, ['loss'] as const],
    ['progan', TINY_PROGAN, ['d_loss', 'g_loss', 'grad_norm/generator'] as const],
    ['stackgan', TINY_STACKGAN, ['g_loss', 'd_loss', 'kl', 'd_wrong'] as const],
    ['video', TINY_VIDEO, ['d_loss', 'v_loss', 'g_loss', 'v_real'] as const],
  ] as const)
    it(
      `torchrun with 2 processes (gloo) matches one process with the same global batch (${label})`,
      { skip: torchSkip },
      async () => {
        const project = exportTiny(text);
        train(project, ['--runs', 'one']);
        await torchrun(project, ['train.py', '--runs', 'two', '--cpu']);
        const two = onlyRun(join(project, 'two'));
        assert.match(readRun(two).info.device, /2 processes/);
        const a = rows(onlyRun(join(project, 'one')));
        const b = rows(two);
        assert.equal(b.length, a.length);
        for (let i = 0; i < a.length; i++)
          for (const key of keys)
            assert.ok(
              Math.abs(a[i][key] - b[i][key]) <= 1e-4 * Math.max(1, Math.abs(a[i][key])),
              `step ${a[i].step} ${key}: ${a[i][key]} vs ${b[i][key]}`,
            );
      },
    );

  for (const [family, text] of [
    ['gan', PARITY],
    ['cgan', PARITY_CGAN],
  ] as const)
    it(
      `model.py computes what the TensorFlow.js engine computes, given its weights (${family})`,
      { skip: torchSkip },
      async () => {
        await useBackend();
        const project = exportTiny(text);
        const model = resolveModel(text);
        const random = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 0.5, 'float32', seed);
        const labels = [1, 4, 9];
        const cases: Record<string, unknown> = {};
        for (const [role, className] of [
          ['generator', 'Generator'],
          ['discriminator', 'Discriminator'],
        ] as const) {
          const network = model.networks[role];
          assert.ok(network && model.latent);
          const condition = model.condition;
          const { model: net } = !condition
            ? compileNetwork(network, role, 5)
            : role === 'generator'
              ? compileConditionalGenerator(network, condition, model.latent.size, role, 5)
              : compileConditionalDiscriminator(network, condition, model.data[0].shape, role, 5);
          // Random weights everywhere (positive variances), so that every parameter's layout matters.
          // Layer by layer (a model's own list puts every trainable weight first), as PyTorch's state_dict.
          const weights = net.layers.flatMap((layer) => layer.weights);
          weights.forEach((w, i) => {
            const value = random(w.shape as number[], 100 + i);
            w.write(w.name.includes('variance') ? value.abs().add(0.5) : value);
          });
          const inputShape = role === 'generator' ? [model.latent.size] : [...model.data[0].shape];
          const input = random([labels.length, ...inputShape], 7);
          const output = net.predict(
            condition ? [input, tf.tensor2d(labels, [labels.length, 1], 'int32')] : input,
          ) as tf.Tensor;
          cases[className] = {
            weights: weights.map((w) => ({ shape: w.shape, values: Array.from(w.read().dataSync()) })),
            input: { shape: input.shape, values: Array.from(input.dataSync()) },
            ...(condition ? { labels } : {}),
            output: Array.from(output.dataSync()),
          };
        }
        writeFileSync(join(project, 'parity.json'), JSON.stringify(cases));
        // TensorFlow's layouts to PyTorch's: dense [in, out] -> [out, in]; conv [kh, kw, in, out] and
        // transposed conv [kh, kw, out, in] -> [out, in, kh, kw] and [in, out, kh, kw]: the same permutation.
        const script = `
import json, torch, model
cases = json.load(open("parity.json"))
for name, case in cases.items():
    net = getattr(model, name)().eval()
    state = [(k, v) for k, v in net.state_dict().items() if not k.endswith("num_batches_tracked")]
    assert len(state) == len(case["weights"]), (name, len(state), len(case["weights"]))
    loaded = {}
    for (key, tensor), w in zip(state, case["weights"]):
        value = torch.tensor(w["values"], dtype=torch.float32).reshape(w["shape"])
        if value.dim() == 2: value = value.t()
        if value.dim() == 4: value = value.permute(3, 2, 0, 1)
        assert value.shape == tensor.shape, (name, key, tuple(value.shape), tuple(tensor.shape))
        loaded[key] = value
    net.load_state_dict(loaded, strict=False)
    x = torch.tensor(case["input"]["values"]).reshape(case["input"]["shape"])
    if x.dim() == 4: x = x.permute(0, 3, 1, 2)
    with torch.no_grad():
        y = net(x, torch.tensor(case["labels"])) if "labels" in case else net(x)
    if y.dim() == 4: y = y.permute(0, 2, 3, 1)
    expected = torch.tensor(case["output"]).reshape(y.shape)
    print(name, float((y - expected).abs().max()), float(expected.abs().max()))
`;
        const out = execFileSync(PYTHON, ['-c', script], { cwd: project, encoding: 'utf8' });
        const lines = out.trim().split('\n');
        assert.equal(lines.length, 2, out);
        for (const line of lines) {
          const [name, diff, scale] = line.split(' ');
          assert.ok(Number(scale) > 0.05, `${name}: outputs too small to compare (${scale})`);
          assert.ok(
            Number(diff) < 1e-4,
            `${name}: PyTorch differs from TensorFlow.js by ${diff} (outputs up to ${scale})`,
          );
        }
      },
    );
});
