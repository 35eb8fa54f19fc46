// The torch engine beyond gan/cgan: each family module (src/training/torch/families) trains what its
// TensorFlow.js family trains — the same initial weights, data and random draws give the same
// losses — resumes exactly, and splits its batches over DistributedDataParallel processes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { FAMILY_NAMES } from '../../../src/language/model';
import { TORCH_FAMILIES } from '../../../src/language/schema';
import { TORCH_PORTS } from '../../../src/training/torch/families';
import { writeManifest } from '../../../src/training/runs/manifest';
import { readRun } from '../../../src/training/runs/reader';
import { ensureBuilt, gan, scratch } from '../runs/harness';

const PYTHON = '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
const torchSkip = !hasTorch && !process.env.CI ? 'no python3-torch on this machine' : false;
const python = ['--python', PYTHON];

const VAE = (train: string, loss = 'elbo beta=2 reconstruction=bce'): string => `model tinyvae: vae {
  data shapes size=8x8 channels=1 { scale [0, 1]; batch 12 }
  latent 4
  encoder {
    conv 8 kernel=3 stride=2 norm=batch activation=relu
    flatten
    dense 16 activation=relu
  }
  decoder {
    dense 4*4*8 activation=relu
    reshape [4, 4, 8]
    deconv 4 kernel=3 stride=2 activation=relu
    conv 1 kernel=3 activation=sigmoid
  }
  loss ${loss}
  optimizer adam lr=2e-3
  train { ${train} }
  sample { every 3; grid 2x3 }
}
`;

const CYCLE = (train: string): string => `model tinycycle: cyclegan {
  data shapes domain=a kind=circle size=8x8 channels=1 { scale [-1, 1]; batch 4 }
  data shapes domain=b kind=square size=8x8 channels=1 { scale [-1, 1]; batch 4 }
  generator {
    conv 8 kernel=3 norm=instance activation=relu
    residual {
      conv 8 kernel=3 norm=instance activation=relu
      conv 8 kernel=3 norm=instance
    }
    conv 1 kernel=3 activation=tanh
  }
  discriminator {
    conv 8 kernel=3 stride=2
    leakyrelu
    conv 1 kernel=3
  }
  loss lsgan cycle=10 identity=5
  optimizer adam lr=2e-3 beta1=0.5
  train { ${train} }
  sample { every 3; grid 6x2 }
}
`;

// prelu and pixelshuffle (TensorFlow's channel order) in the generator; batch norm in the critic.
const SR = (
  train: string,
  loss = 'nonsaturating content=mse adversarial=1e-2',
): string => `model tinysr: srgan {
  data shapes size=8x8 channels=1 { scale [-1, 1]; batch 6 }
  upscale 2 method=bicubic
  generator {
    conv 8 kernel=3
    prelu
    residual { conv 8 kernel=3; prelu; conv 8 kernel=3 }
    conv 4*4 kernel=3
    pixelshuffle 2
    prelu
    conv 1 kernel=3
  }
  discriminator {
    conv 8 kernel=3 stride=2 norm=batch
    leakyrelu
    flatten
    dense 1
  }
  loss ${loss}
  pretrain { steps 2 }
  optimizer adam lr=2e-3
  train { ${train} }
  sample { every 3; grid 4x2 }
}
`;

// Gated layers (mask A, then B), a masked 1×1 head; softmax over 2 levels, or a colour logistic mixture.
const PIXEL = (
  train: string,
  levels = 'levels 2 quantize=stochastic',
  head = 2,
  data = 'channels=1',
): string => `model tinypixel: pixelcnn {
  data shapes size=8x8 ${data} { scale [0, 1]; batch 6 }
  ${levels}
  network {
    gated 8 kernel=5 mask=A
    gated 8 kernel=3
    relu
    maskedconv 16 kernel=1 activation=relu
    maskedconv ${head} kernel=1
  }
  loss nll
  optimizer adam lr=2e-3
  train { ${train} }
  sample { every 100; grid 1x1 }
}
`;

function onlyRun(runsDir: string): string {
  const names = readdirSync(runsDir);
  assert.equal(names.length, 1, names.join(', '));
  return join(runsDir, names[0]);
}

function rows(runDir: string, names: readonly string[]): Record<string, number>[] {
  return readRun(runDir).metrics.map((row) => Object.fromEntries(names.map((n) => [n, row[n]])));
}

/** Every step's metrics agree to `tolerance`, relative to the larger magnitude (at least 1). */
function assertClose(
  actual: Record<string, number>[],
  expected: Record<string, number>[],
  tolerance: number,
  what: string,
): void {
  assert.equal(actual.length, expected.length, what);
  actual.forEach((row, i) => {
    for (const [name, value] of Object.entries(row)) {
      const want = expected[i][name];
      assert.ok(Number.isFinite(value), `${what}: step ${i + 1} ${name} = ${value}`);
      const scale = Math.max(1, Math.abs(value), Math.abs(want));
      assert.ok(
        Math.abs(value - want) <= tolerance * scale,
        `${what}: step ${i + 1} ${name}: ${value} vs ${want}`,
      );
    }
  });
}

before(ensureBuilt);

describe('torch engine family modules', () => {
  it('has a module for exactly the families the language says the engine trains', () => {
    for (const family of FAMILY_NAMES)
      assert.equal(
        TORCH_PORTS[family] !== null,
        typeof TORCH_FAMILIES[family] !== 'string',
        `${family}: the port table and engines.ts disagree`,
      );
  });
});

describe('the torch engine trains every family module', { skip: torchSkip }, () => {
  const VAE_METRICS = ['loss', 'recon', 'kl', 'grad_norm/encoder', 'grad_norm/decoder'];
  const CYCLE_METRICS = [
    'g_loss',
    'd_loss',
    'd_a',
    'd_b',
    'cycle',
    'identity',
    'grad_norm/generator',
    'grad_norm/discriminator',
  ];

  it('vae: the ELBO of the TensorFlow.js engine step for step; exact resume; gan sample reads it', async () => {
    const folder = scratch({
      'torch.gan': VAE('steps 6; seed 3; checkpoint 3; engine torch'),
      'tfjs.gan': VAE('steps 6; seed 3; checkpoint 3; engine tfjs'),
    });
    const torch = await gan(['train', 'torch.gan', ...python, '--runs', 'torch'], folder);
    assert.equal(torch.code, 0, torch.stderr);
    const tfjs = await gan(['train', 'tfjs.gan', '--runs', 'tfjs', '--backend', 'cpu'], folder);
    assert.equal(tfjs.code, 0, tfjs.stderr);
    const torchRun = onlyRun(join(folder, 'torch'));
    const tfjsRun = onlyRun(join(folder, 'tfjs'));
    assert.equal(readRun(torchRun).info.engine?.name, 'torch');
    assertClose(rows(torchRun, VAE_METRICS), rows(tfjsRun, VAE_METRICS), 1e-4, 'PyTorch vs TensorFlow.js');
    assert.deepEqual(
      readFileSync(join(torchRun, 'samples', 'step-000000.png')),
      readFileSync(join(tfjsRun, 'samples', 'step-000000.png')),
    );
    // Stopped at 3 and resumed to 6: the run it would have been.
    const first = await gan(['train', 'torch.gan', ...python, '--runs', 'split', '--steps', '3'], folder);
    assert.equal(first.code, 0, first.stderr);
    const split = onlyRun(join(folder, 'split'));
    const second = await gan(['train', '--resume', split, '--steps', '6'], folder);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(rows(split, VAE_METRICS), rows(torchRun, VAE_METRICS));
    const out = join(folder, 'sampled.png');
    const sampled = await gan(['sample', torchRun, '--n', '6', '--out', out], folder);
    assert.equal(sampled.code, 0, sampled.stderr);
    assert.deepEqual(readFileSync(out), readFileSync(join(torchRun, 'samples', 'step-000006.png')));
  });

  it('vae with an mse reconstruction on [-1, 1] data matches too', async () => {
    const model = (engine: string): string =>
      VAE(`steps 3; seed 5; engine ${engine}`, 'elbo beta=1 reconstruction=mse')
        .replace('scale [0, 1]', 'scale [-1, 1]')
        .replace('activation=sigmoid', 'activation=tanh');
    const folder = scratch({ 'torch.gan': model('torch'), 'tfjs.gan': model('tfjs') });
    const torch = await gan(['train', 'torch.gan', ...python, '--runs', 'torch'], folder);
    assert.equal(torch.code, 0, torch.stderr);
    const tfjs = await gan(['train', 'tfjs.gan', '--runs', 'tfjs', '--backend', 'cpu'], folder);
    assert.equal(tfjs.code, 0, tfjs.stderr);
    assertClose(
      rows(onlyRun(join(folder, 'torch')), VAE_METRICS),
      rows(onlyRun(join(folder, 'tfjs')), VAE_METRICS),
      1e-4,
      'mse: PyTorch vs TensorFlow.js',
    );
  });

  it('cyclegan: both generators and critics as TensorFlow.js trains them; 2 processes train as one', async () => {
    const folder = scratch({
      'torch.gan': CYCLE('steps 4; seed 2; checkpoint 2; engine torch'),
      'tfjs.gan': CYCLE('steps 4; seed 2; checkpoint 2; engine tfjs'),
    });
    const torch = await gan(['train', 'torch.gan', ...python, '--runs', 'torch'], folder);
    assert.equal(torch.code, 0, torch.stderr);
    const tfjs = await gan(['train', 'tfjs.gan', '--runs', 'tfjs', '--backend', 'cpu'], folder);
    assert.equal(tfjs.code, 0, tfjs.stderr);
    const torchRun = onlyRun(join(folder, 'torch'));
    const tfjsRun = onlyRun(join(folder, 'tfjs'));
    assertClose(
      rows(torchRun, CYCLE_METRICS),
      rows(tfjsRun, CYCLE_METRICS),
      1e-4,
      'PyTorch vs TensorFlow.js',
    );
    assert.deepEqual(
      readFileSync(join(torchRun, 'samples', 'step-000000.png')),
      readFileSync(join(tfjsRun, 'samples', 'step-000000.png')),
    );
    // Instance norm is per image, so each process's half of the batch gives the one-process gradients.
    const two = await gan(
      ['train', 'torch.gan', ...python, '--runs', 'two', '--nproc', '2', '--steps', '2'],
      folder,
    );
    assert.equal(two.code, 0, two.stderr);
    const twoRun = onlyRun(join(folder, 'two'));
    const resumed = await gan(['train', '--resume', twoRun, '--steps', '4'], folder);
    assert.equal(resumed.code, 0, resumed.stderr);
    assertClose(rows(twoRun, CYCLE_METRICS), rows(torchRun, CYCLE_METRICS), 1e-4, '2 processes vs 1');
  });

  const SR_METRICS = [
    'g_loss',
    'content',
    'adversarial',
    'feature',
    'd_loss',
    'd_real',
    'd_fake',
    'stage',
    'grad_norm/generator',
  ];

  it('srgan: pretraining, then the adversarial stage, as TensorFlow.js trains them; exact resume across the stages', async () => {
    const folder = scratch({
      'torch.gan': SR('steps 5; seed 7; checkpoint 1; ema 0.8; engine torch'),
      'tfjs.gan': SR('steps 5; seed 7; checkpoint 1; ema 0.8; engine tfjs'),
      'features.gan': SR(
        'steps 4; seed 7; engine torch',
        'lsgan content=l1 adversarial=1e-2 features=discriminator feature_weight=0.5',
      ),
      'features-tfjs.gan': SR(
        'steps 4; seed 7; engine tfjs',
        'lsgan content=l1 adversarial=1e-2 features=discriminator feature_weight=0.5',
      ),
    });
    const train = async (file: string, runs: string, extra: string[] = []): Promise<string> => {
      const engine = file.includes('tfjs') ? ['--backend', 'cpu'] : python;
      const r = await gan(['train', file, ...engine, '--runs', runs, ...extra], folder);
      assert.equal(r.code, 0, r.stderr);
      return onlyRun(join(folder, runs));
    };
    const torchRun = await train('torch.gan', 'torch');
    const tfjsRun = await train('tfjs.gan', 'tfjs');
    const torchRows = rows(torchRun, SR_METRICS);
    assert.deepEqual(
      torchRows.map((row) => row.stage),
      [0, 0, 1, 1, 1],
    );
    assertClose(torchRows, rows(tfjsRun, SR_METRICS), 1e-4, 'PyTorch vs TensorFlow.js');
    assertClose(
      rows(await train('features.gan', 'features'), SR_METRICS),
      rows(await train('features-tfjs.gan', 'features-tfjs'), SR_METRICS),
      1e-4,
      'feature loss: PyTorch vs TensorFlow.js',
    );
    // The last grid comes from the weight average (EMA) PyTorch kept, as TensorFlow.js's does.
    assert.deepEqual(
      readFileSync(join(torchRun, 'samples', 'step-000005.png')),
      readFileSync(join(tfjsRun, 'samples', 'step-000005.png')),
    );
    // Stopped in pretraining, resumed into the adversarial stage: the same run.
    const split = await train('torch.gan', 'split', ['--steps', '1']);
    const resumed = await gan(['train', '--resume', split, '--steps', '5'], folder);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(rows(split, SR_METRICS), torchRows);
  });

  it('spectral norm (sn=true): the power iteration and its u as TensorFlow.js keeps them', async () => {
    const model = (engine: string): string => `model sn: gan {
  data shapes size=8x8 channels=1 { scale [-1, 1]; batch 8 }
  latent 4
  generator {
    dense 4*4*8 sn=true activation=relu
    reshape [4, 4, 8]
    deconv 4 kernel=3 stride=2 sn=true activation=relu
    conv 1 kernel=3 activation=tanh
  }
  discriminator {
    conv 8 kernel=3 stride=2 sn=true
    leakyrelu
    flatten
    dense 1 sn=true
  }
  loss hinge
  optimizer adam lr=2e-3 beta1=0.5
  train { steps 4; seed 6; d_steps 2; checkpoint 2; engine ${engine} }
  sample { every 2; grid 2x2 }
}
`;
    const folder = scratch({ 'torch.gan': model('torch'), 'tfjs.gan': model('tfjs') });
    const torch = await gan(['train', 'torch.gan', ...python, '--runs', 'torch'], folder);
    assert.equal(torch.code, 0, torch.stderr);
    const tfjs = await gan(['train', 'tfjs.gan', '--runs', 'tfjs', '--backend', 'cpu'], folder);
    assert.equal(tfjs.code, 0, tfjs.stderr);
    const names = ['d_loss', 'g_loss', 'd_real', 'd_fake', 'grad_norm/discriminator', 'grad_norm/generator'];
    const torchRun = onlyRun(join(folder, 'torch'));
    const tfjsRun = onlyRun(join(folder, 'tfjs'));
    assertClose(rows(torchRun, names), rows(tfjsRun, names), 1e-4, 'PyTorch vs TensorFlow.js');
    // u crosses back with the weights: the checkpointed grids agree too.
    assert.deepEqual(
      readFileSync(join(torchRun, 'samples', 'step-000004.png')),
      readFileSync(join(tfjsRun, 'samples', 'step-000004.png')),
    );
  });

  for (const [what, text] of [
    ['2 levels, stochastic binarisation', (e: string) => PIXEL(`steps 3; seed 2; engine ${e}`)],
    [
      'conditional on the class',
      (e: string) =>
        PIXEL(
          `steps 3; seed 2; engine ${e}`,
          'levels 2 quantize=stochastic\n  condition classes=3',
          2,
          'channels=1',
        ),
    ],
    [
      'a colour logistic mixture',
      (e: string) =>
        PIXEL(`steps 3; seed 2; engine ${e}`, 'levels 256 output=logistic mixtures=2', 20, 'channels=3'),
    ],
  ] as const)
    it(`pixelcnn, ${what}: the likelihood TensorFlow.js trains`, async () => {
      const folder = scratch({ 'torch.gan': text('torch'), 'tfjs.gan': text('tfjs') });
      const torch = await gan(['train', 'torch.gan', ...python, '--runs', 'torch'], folder);
      assert.equal(torch.code, 0, torch.stderr);
      const tfjs = await gan(['train', 'tfjs.gan', '--runs', 'tfjs', '--backend', 'cpu'], folder);
      assert.equal(tfjs.code, 0, tfjs.stderr);
      const names = ['loss', 'bits_per_dim', 'grad_norm/network'];
      assertClose(
        rows(onlyRun(join(folder, 'torch')), names),
        rows(onlyRun(join(folder, 'tfjs')), names),
        1e-4,
        'PyTorch vs TensorFlow.js',
      );
    });

  it('video: the trajectory (lstm, gru) and both critics as TensorFlow.js trains them, the frame critic on the frames critic_frames picks; weight averages; 2 processes', async () => {
    const model = (engine: string): string => `model clips: video {
  data moving_shapes size=8x8 channels=1 frames=3 { scale [-1, 1]; batch 4 }
  latent 4
  motion 2
  critic_frames 2
  trajectory { lstm 5; gru 6; dense 2 }
  generator { dense 16; leakyrelu; dense 64 activation=tanh; reshape [8, 8, 1] }
  discriminator { flatten; dense 8; leakyrelu; dense 1 }
  video_discriminator { conv 4 kernel=3 stride=2; leakyrelu; flatten; dense 1 }
  loss lsgan
  optimizer adam lr=2e-3 beta1=0.5
  train { steps 4; seed 3; d_steps 2; ema 0.8; checkpoint 2; engine ${engine} }
  sample { every 2; grid 3x3 }
}
`;
    const folder = scratch({ 'torch.gan': model('torch'), 'tfjs.gan': model('tfjs') });
    const torch = await gan(['train', 'torch.gan', ...python, '--runs', 'torch'], folder);
    assert.equal(torch.code, 0, torch.stderr);
    const tfjs = await gan(['train', 'tfjs.gan', '--runs', 'tfjs', '--backend', 'cpu'], folder);
    assert.equal(tfjs.code, 0, tfjs.stderr);
    const names = [
      'd_loss',
      'v_loss',
      'g_loss',
      'd_real',
      'd_fake',
      'v_real',
      'v_fake',
      'grad_norm/trajectory',
      'grad_norm/generator',
      'grad_norm/discriminator',
      'grad_norm/video_discriminator',
    ];
    const torchRun = onlyRun(join(folder, 'torch'));
    const tfjsRun = onlyRun(join(folder, 'tfjs'));
    assertClose(rows(torchRun, names), rows(tfjsRun, names), 1e-4, 'PyTorch vs TensorFlow.js');
    // The grid comes from the weight averages PyTorch kept.
    assert.deepEqual(
      readFileSync(join(torchRun, 'samples', 'step-000004.png')),
      readFileSync(join(tfjsRun, 'samples', 'step-000004.png')),
    );
    // Two processes, two whole clips each; resumed across the change.
    const two = await gan(
      ['train', 'torch.gan', ...python, '--runs', 'two', '--nproc', '2', '--steps', '2'],
      folder,
    );
    assert.equal(two.code, 0, two.stderr);
    const twoRun = onlyRun(join(folder, 'two'));
    const resumed = await gan(['train', '--resume', twoRun, '--steps', '4'], folder);
    assert.equal(resumed.code, 0, resumed.stderr);
    assertClose(rows(twoRun, names), rows(torchRun, names), 1e-4, '2 processes vs 1');
  });

  it('progan: growing and fading (α, real images blended), equalised learning rate, optimizers renewed per stage; exact resume mid-fade', async () => {
    const model = (engine: string, loss = 'nonsaturating'): string => `model tinypg: progan {
  data mnist { size 8x8; scale [-1, 1]; batch 8; limit 64 }
  latent 8
  grow { stable 16; fade 24; from_rgb 4 }
  generator {
    stage 4x4 { dense 4*4*8; reshape [4, 4, 8]; leakyrelu; pixelnorm }
    stage 8x8 { upsample 2; conv 4 kernel=3; leakyrelu; pixelnorm }
  }
  discriminator {
    stage 8x8 { conv 8 kernel=3 stride=2; leakyrelu }
    stage 4x4 { minibatchstd; conv 8 kernel=3; leakyrelu; flatten; dense 1 }
  }
  loss ${loss}
  optimizer adam lr=1e-3 beta1=0 beta2=0.99
  train { steps 7; seed 1; ema 0.9; checkpoint 1; engine ${engine} }
  sample { every 7; grid 2x2 }
}
`;
    const folder = scratch({
      'torch.gan': model('torch'),
      'tfjs.gan': model('tfjs'),
      'gp.gan': model('torch', 'wasserstein gp=10 drift=0.001'),
      'gp-tfjs.gan': model('tfjs', 'wasserstein gp=10 drift=0.001'),
    });
    const train = async (file: string, runs: string, extra: string[] = []): Promise<string> => {
      const engine = file.includes('tfjs') ? ['--backend', 'cpu'] : python;
      const r = await gan(['train', file, ...engine, '--runs', runs, ...extra], folder);
      assert.equal(r.code, 0, r.stderr);
      return onlyRun(join(folder, runs));
    };
    const names = [
      'd_loss',
      'g_loss',
      'd_real',
      'd_fake',
      'grad_norm/discriminator',
      'grad_norm/generator',
      'resolution',
      'alpha',
    ];
    const torchRun = await train('torch.gan', 'torch');
    const torchRows = rows(torchRun, names);
    assert.deepEqual(
      torchRows.map((row) => [row.resolution, Number(row.alpha.toFixed(3))]),
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
    assertClose(torchRows, rows(await train('tfjs.gan', 'tfjs'), names), 1e-4, 'PyTorch vs TensorFlow.js');
    // The weight average's grid, drawn by TensorFlow.js at the last step's α.
    assert.deepEqual(
      readFileSync(join(torchRun, 'samples', 'step-000007.png')),
      readFileSync(join(onlyRun(join(folder, 'tfjs')), 'samples', 'step-000007.png')),
    );
    // Stopped in the middle of the fade-in, resumed: the same run.
    const split = await train('torch.gan', 'split', ['--steps', '4']);
    const resumed = await gan(['train', '--resume', split, '--steps', '7'], folder);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(rows(split, names), torchRows);
    // WGAN-GP with the drift term: the first step's critic loss (a forward pass of the same weights)
    // agrees; the penalty's gradient is the exact one here, central differences on TensorFlow.js.
    const [gp] = rows(await train('gp.gan', 'gp', ['--steps', '1']), ['d_loss', 'd_real', 'd_fake']);
    const [gpTfjs] = rows(await train('gp-tfjs.gan', 'gp-tfjs', ['--steps', '1']), [
      'd_loss',
      'd_real',
      'd_fake',
    ]);
    assertClose([gp], [gpTfjs], 1e-4, 'WGAN-GP step 1');
  });

  it('stackgan: stage I (training the text encoder), then stage II with stage I frozen; the vocabulary kept with the checkpoints', async () => {
    const model = (engine: string): string => `model tinystack: stackgan {
  data emoji { size 8x8; scale [-1, 1]; batch 4; limit 40 }
  latent 4
  text embed=6 vocab=30
  augment 3 kl=1
  stage1 { size 4x4; steps 2 }
  generator { dense 4*4*4; reshape [4, 4, 4]; batchnorm; relu; conv 3 kernel=3 activation=tanh }
  discriminator { flatten; dense 8; leakyrelu; dense 1 }
  generator2 { conv 4 kernel=3 activation=relu; upsample 2; conv 3 kernel=3 activation=tanh }
  discriminator2 { conv 4 kernel=3 stride=2; leakyrelu; flatten; dense 1 }
  loss nonsaturating
  optimizer adam lr=1e-2 beta1=0.5
  train { steps 4; seed 3; checkpoint 1; engine ${engine} }
  sample { every 4; grid 2x4 }
}
`;
    const folder = scratch({ 'torch.gan': model('torch'), 'tfjs.gan': model('tfjs') });
    const torch = await gan(['train', 'torch.gan', ...python, '--runs', 'torch'], folder);
    assert.equal(torch.code, 0, torch.stderr);
    const tfjs = await gan(['train', 'tfjs.gan', '--runs', 'tfjs', '--backend', 'cpu'], folder);
    assert.equal(tfjs.code, 0, tfjs.stderr);
    const names = ['g_loss', 'd_loss', 'kl', 'd_real', 'd_fake', 'd_wrong', 'stage'];
    const torchRun = onlyRun(join(folder, 'torch'));
    const torchRows = rows(torchRun, names);
    assert.deepEqual(
      torchRows.map((row) => row.stage),
      [1, 1, 2, 2],
    );
    assertClose(torchRows, rows(onlyRun(join(folder, 'tfjs')), names), 1e-4, 'PyTorch vs TensorFlow.js');
    assert.ok(existsSync(join(torchRun, 'checkpoints', 'step-000002', 'vocabulary.json')), 'the vocabulary');
    // Stopped at the end of stage I, resumed into stage II: the same run.
    const first = await gan(['train', 'torch.gan', ...python, '--runs', 'split', '--steps', '2'], folder);
    assert.equal(first.code, 0, first.stderr);
    const split = onlyRun(join(folder, 'split'));
    const second = await gan(['train', '--resume', split, '--steps', '4'], folder);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(rows(split, names), torchRows);
    // A prompt through both stages, from the checkpoint PyTorch trained.
    const out = join(folder, 'prompt.png');
    const sampled = await gan(['sample', torchRun, '--text', 'red apple', '--out', out], folder);
    assert.equal(sampled.code, 0, sampled.stderr);
  });

  for (const condition of [
    'generator=embed discriminator=embed',
    'generator=batchnorm discriminator=projection',
  ])
    it(`cgan with ${condition}: the same steps as TensorFlow.js`, async () => {
      const model = (engine: string): string => `model tinycond: cgan {
  data mnist { scale [-1, 1]; batch 8; limit 64 }
  latent 4
  condition classes=10 embed=6 ${condition}
  generator { dense 7*7*4 bias=false; batchnorm; relu; reshape [7, 7, 4]; deconv 1 kernel=4 stride=4 norm=batch activation=tanh }
  discriminator { conv 8 kernel=4 stride=2; leakyrelu; flatten; dense 1 }
  loss hinge
  optimizer adam lr=2e-3 beta1=0.5
  train { steps 3; seed 2; ema 0.9; engine ${engine} }
  sample { every 3; grid 10x1 }
}
`;
      const folder = scratch({ 'torch.gan': model('torch'), 'tfjs.gan': model('tfjs') });
      const torch = await gan(['train', 'torch.gan', ...python, '--runs', 'torch'], folder);
      assert.equal(torch.code, 0, torch.stderr);
      const tfjs = await gan(['train', 'tfjs.gan', '--runs', 'tfjs', '--backend', 'cpu'], folder);
      assert.equal(tfjs.code, 0, tfjs.stderr);
      const names = [
        'd_loss',
        'g_loss',
        'd_real',
        'd_fake',
        'grad_norm/discriminator',
        'grad_norm/generator',
      ];
      const torchRun = onlyRun(join(folder, 'torch'));
      const tfjsRun = onlyRun(join(folder, 'tfjs'));
      assertClose(rows(torchRun, names), rows(tfjsRun, names), 1e-4, 'PyTorch vs TensorFlow.js');
      // The weight average's grid, per class (inference-mode norms): the same pixels up to rounding.
      const grid = (run: string): Uint8Array =>
        PNG.sync.read(readFileSync(join(run, 'samples', 'step-000003.png'))).data;
      const [a, b] = [grid(torchRun), grid(tfjsRun)];
      assert.equal(a.length, b.length);
      assert.ok(
        a.every((v, i) => Math.abs(v - b[i]) <= 1),
        'the grids differ by more than a rounding step',
      );
    });

  it('a checkpoint of the first torch engine (one file per network and optimizer) still resumes', async () => {
    const model = `model old: gan {
  data shapes size=8x8 channels=1 { scale [-1, 1]; batch 8 }
  latent 4
  generator {
    dense 8*8*1 activation=tanh
    reshape [8, 8, 1]
  }
  discriminator {
    flatten
    dense 1
  }
  loss nonsaturating
  optimizer adam lr=1e-3 beta1=0.5
  train { steps 4; seed 1; checkpoint 2; ema 0.9; engine torch }
  sample { every 2; grid 2x2 }
}
`;
    const folder = scratch({ 'old.gan': model });
    const whole = await gan(['train', 'old.gan', ...python, '--runs', 'whole'], folder);
    assert.equal(whole.code, 0, whole.stderr);
    const first = await gan(['train', 'old.gan', ...python, '--runs', 'split', '--steps', '2'], folder);
    assert.equal(first.code, 0, first.stderr);
    const split = onlyRun(join(folder, 'split'));
    // Rewritten in the layout the engine saved before family modules: named keys, no "networks".
    const state = join(split, 'checkpoints', 'step-000002', 'torch-state.pt');
    const rewrite = spawnSync(
      PYTHON,
      [
        '-c',
        [
          'import sys, torch',
          's = torch.load(sys.argv[1])',
          'n, o = s.pop("networks"), s.pop("optimizers")',
          's.update(generator=n["generator"], discriminator=n["discriminator"], average=n["generator_ema"],',
          '         g_optimizer=o["generator"], d_optimizer=o["discriminator"])',
          'torch.save(s, sys.argv[1])',
        ].join('\n'),
        state,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(rewrite.status, 0, rewrite.stderr);
    writeManifest(dirname(state)); // as the old engine's checkpoint had it
    const second = await gan(['train', '--resume', split, '--steps', '4'], folder);
    assert.equal(second.code, 0, second.stderr);
    const names = ['d_loss', 'g_loss', 'd_real', 'd_fake'];
    assert.deepEqual(rows(split, names), rows(onlyRun(join(folder, 'whole')), names));
  });
});
