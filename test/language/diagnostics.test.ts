// One failing file and a passing neighbour per diagnostic code; applying a code's fix removes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, DIAGNOSTIC_CODES } from '../../src/language';
import { applyFix, codes, diagnosticsWith, example, GAN, replaceOnce } from './helpers';

interface Case {
  code: keyof typeof DIAGNOSTIC_CODES;
  bad: string;
  good: string;
  /** The message must mention these (both sides of a mismatch, the fix to make). */
  mentions?: string[];
  /** The diagnostic offers a fix that removes it. */
  fix?: boolean;
}

const VAE = example('mnist-vae.gan');
const CYCLE = example('shapes-cyclegan.gan');
const CGAN = example('fashion-cgan.gan');
const SR = example('mnist-srgan.gan');
const PG = example('mnist-progan.gan');
const PIXEL = example('mnist-pixelcnn.gan');
const STACK = example('emoji-stackgan.gan');
const TEXT_CGAN = example('emoji-text-cgan.gan');
const VIDEO = example('moving-mnist-video.gan');
const MASKED = `model m: pixelcnn {
  data mnist { scale [0, 1]; batch 8 }
  levels 2
  network {
    maskedconv 16 kernel=5 mask=A
    relu
    maskedconv 16 kernel=3 mask=B activation=relu
    maskedconv 2 kernel=1
  }
}
`;
const r = replaceOnce;

const cases: Case[] = [
  { code: 'E100', bad: r(GAN, 'latent 64', 'latent 64 )'), good: GAN },
  { code: 'E101', bad: GAN.trimEnd().slice(0, -1), good: GAN },
  { code: 'E102', bad: GAN + '}\n', good: GAN },
  {
    code: 'E103',
    bad: r(GAN, 'data mnist {', 'data folder "imgs size=28x28 channels=1 {'),
    good: r(GAN, 'data mnist {', 'data folder "imgs" size=28x28 channels=1 {'),
  },
  { code: 'E104', bad: r(GAN, 'latent 64', 'latent 2e'), good: r(GAN, 'latent 64', 'latent 2e1') },
  { code: 'E104', bad: r(GAN, 'grid 4x4', 'grid 4x'), good: GAN },
  { code: 'E200', bad: r(GAN, 'model m: gan', 'model m: gann'), good: GAN, mentions: ['gan'], fix: true },
  { code: 'E201', bad: r(GAN, 'sample {', 'sampel {'), good: GAN, mentions: ['sample'], fix: true },
  { code: 'E201', bad: r(GAN, 'seed 1', 'sed 1'), good: GAN, mentions: ['seed'], fix: true },
  // A network section's head line takes no settings: one written there was silently ignored.
  { code: 'E201', bad: r(GAN, 'generator {', 'generator frames=1 {'), good: GAN, mentions: ['frames'] },
  { code: 'E100', bad: r(VIDEO, 'trajectory {', 'trajectory 8 {'), good: VIDEO },
  {
    code: 'E206',
    bad: r(VIDEO, '  motion 4', '  critic_frames 9\n  motion 4'),
    good: r(VIDEO, '  motion 4', '  critic_frames 8\n  motion 4'),
    mentions: ['critic_frames', '8'],
  },
  {
    code: 'E202',
    bad: r(GAN, '    batchnorm\n', '    batchnrm\n'),
    good: GAN,
    mentions: ['batchnorm'],
    fix: true,
  },
  {
    code: 'E203',
    bad: r(GAN, 'deconv 32 kernel=4', 'deconv 32 kernal=4'),
    good: GAN,
    mentions: ['kernel'],
    fix: true,
  },
  { code: 'E204', bad: r(GAN, 'deconv 32 kernel=4', 'deconv 32 kernel=4 kernel=4'), good: GAN, fix: true },
  { code: 'E204', bad: r(GAN, 'latent 64', 'latent 64\n  latent 32'), good: GAN, fix: true },
  {
    code: 'E204',
    bad: GAN + GAN.replace('# A small DCGAN used by the tests.\n', ''),
    good: GAN + GAN.replace('model m:', 'model n:'),
  },
  { code: 'E205', bad: r(GAN, 'latent 64', 'latent "64"'), good: GAN },
  {
    code: 'E205',
    bad: r(GAN, 'deconv 32 kernel=4', 'deconv 32 kernel=4.5'),
    good: GAN,
    mentions: ['whole number'],
  },
  {
    code: 'E206',
    bad: r(GAN, '    flatten\n', '    flatten\n    dropout 1.5\n'),
    good: r(GAN, '    flatten\n', '    flatten\n    dropout 0.5\n'),
  },
  { code: 'E206', bad: r(GAN, 'batch 64', 'batch 0'), good: GAN },
  { code: 'E206', bad: r(GAN, 'seed 1', 'seed 1; threads 0'), good: r(GAN, 'seed 1', 'seed 1; threads 2') },
  { code: 'E206', bad: r(GAN, 'seed 1', 'seed 1; threads 65'), good: r(GAN, 'seed 1', 'seed 1; threads 64') },
  { code: 'E205', bad: r(GAN, 'seed 1', 'seed 1; threads 1.5'), good: r(GAN, 'seed 1', 'seed 1; threads 1') },
  {
    code: 'E206',
    bad: r(GAN, 'scale [-1, 1]', 'scale [0, 2]'),
    good: r(GAN, 'scale [-1, 1]', 'scale [0, 1]').replace('activation=tanh', 'activation=sigmoid'),
  },
  {
    code: 'E207',
    bad: r(GAN, '    flatten\n', '    flatten\n    dropout\n'),
    good: r(GAN, '    flatten\n', '    flatten\n    dropout 0.3\n'),
  },
  { code: 'E208', bad: r(GAN, '  latent 64\n', ''), good: GAN, mentions: ['latent'], fix: true },
  {
    code: 'E213',
    bad: r(GAN, 'train { steps 100; seed 1 }', 'train { epochs 5; steps 10 }'),
    good: r(GAN, 'train { steps 100; seed 1 }', 'train { steps 10 }'),
    fix: true,
  },
  {
    code: 'E213',
    bad: r(GAN, 'data mnist {', 'data folder "faces" size=28x28x3 channels=1 {'),
    good: r(GAN, 'data mnist {', 'data folder "faces" size=28x28x1 {'),
    mentions: ['channels=1'],
    fix: true,
  },
  {
    code: 'E214',
    bad: r(GAN, 'data mnist {', 'data "faces" size=28x28 channels=1 {'),
    good: r(GAN, 'data mnist {', 'data folder "faces" size=28x28 channels=1 {'),
    mentions: ['folder'],
    fix: true,
  },
  {
    code: 'E215',
    bad: CGAN.replace('classes=10', 'classes=12'),
    good: CGAN,
    mentions: ['10 classes'],
    fix: true,
  },
  {
    code: 'E215',
    bad: r(PIXEL, 'condition classes=10', 'condition classes=12'),
    good: PIXEL,
    mentions: ['classes=12', '10 classes'],
    fix: true,
  },
  {
    code: 'E203',
    bad: r(PIXEL, 'condition classes=10', 'condition classes=10 generator=embed'),
    good: PIXEL,
    mentions: ['cgan', '`classes` only'],
    fix: true,
  },
  {
    code: 'E216',
    bad: r(GAN, 'data mnist {', 'data shapes size=28x28 channels=1 {').replace('steps 100', 'epochs 2'),
    good: r(GAN, 'data mnist {', 'data shapes size=28x28 channels=1 {'),
    mentions: ['endless'],
    fix: true,
  },
  {
    code: 'E209',
    bad: r(GAN, '  loss nonsaturating', '  encoder { dense 3 }\n  loss nonsaturating'),
    good: GAN,
    fix: true,
  },
  {
    code: 'E211',
    bad: GAN + 'model v extends mm {\n  latent 32\n}\n',
    good: GAN + 'model v extends m {\n  latent 32\n}\n',
    fix: true,
  },
  {
    code: 'E211',
    bad: GAN + 'model a extends b {\n}\nmodel b extends a {\n}\n',
    good: GAN + 'model a extends m {\n}\nmodel b extends a {\n}\n',
    mentions: ['cycle'],
  },
  {
    code: 'E212',
    bad: r(GAN, 'activation=tanh', 'activation=tanhh'),
    good: GAN,
    mentions: ['tanh'],
    fix: true,
  },
  { code: 'E212', bad: r(GAN, 'loss nonsaturating', 'loss elbo'), good: GAN },
  {
    code: 'E300',
    bad: r(GAN, 'deconv 1 kernel=4', 'deconv 3 kernel=4'),
    good: GAN,
    mentions: ['[28, 28, 3]', '[28, 28, 1]'],
    fix: true,
  },
  {
    code: 'E301',
    bad: r(GAN, 'reshape [7, 7, 64]', 'reshape [7, 7, 128]'),
    good: GAN,
    mentions: ['6272', '3136'],
    fix: true,
  },
  { code: 'E302', bad: r(GAN, '  discriminator {\n', '  discriminator {\n    flatten\n'), good: GAN },
  {
    code: 'E303',
    bad: r(GAN, 'conv 64 kernel=4 stride=2', 'conv 64 kernel=16 stride=2 padding=valid'),
    good: r(GAN, 'conv 64 kernel=4 stride=2', 'conv 64 kernel=4 stride=2 padding=valid'),
  },
  { code: 'E304', bad: r(GAN, '    dense 1\n', ''), good: GAN, mentions: ['[3136]'], fix: true },
  {
    code: 'E305',
    bad: r(CYCLE, 'conv 64 kernel=3 norm=instance\n', 'conv 32 kernel=3 norm=instance\n'),
    good: CYCLE,
    mentions: ['[16, 16, 64]', '[16, 16, 32]'],
  },
  { code: 'E306', bad: r(VAE, '    flatten\n    dense 256 activation=relu\n', ''), good: VAE, fix: true },
  {
    code: 'E307',
    bad: r(CYCLE, 'kind=square size=32x32', 'kind=square size=16x16'),
    good: CYCLE,
    mentions: ['[32, 32, 1]', '[16, 16, 1]'],
  },
  {
    code: 'E308',
    bad: r(CGAN, 'data fashion_mnist {', 'data folder "clothes" size=28x28 channels=1 {'),
    good: r(
      CGAN,
      'data fashion_mnist {',
      'data folder "clothes" size=28x28 channels=1 labels=true classes=10 {',
    ),
    mentions: ['labels=true'],
  },
  {
    code: 'E308',
    bad: r(PIXEL, 'data mnist {', 'data folder "digits" size=28x28 channels=1 {'),
    good: r(PIXEL, 'data mnist {', 'data folder "digits" size=28x28 channels=1 labels=true {'),
    mentions: ['conditional pixelcnn', 'labels=true'],
  },
  {
    code: 'E320',
    bad: r(MASKED, 'maskedconv 16 kernel=3 mask=B activation=relu', 'conv 16 kernel=3 activation=relu'),
    good: MASKED,
    mentions: ['below and to the right', 'maskedconv'],
    fix: true,
  },
  {
    code: 'E320',
    bad: r(MASKED, '    relu\n', '    maxpool size=1\n'),
    good: MASKED,
    mentions: ['pooling'],
    fix: true,
  },
  { code: 'E320', bad: r(MASKED, '    relu\n', '    batchnorm\n'), good: MASKED, fix: true },
  {
    code: 'E320',
    bad: r(PIXEL, '    relu\n', '    conv 48 kernel=3\n'),
    good: PIXEL,
    mentions: ['kernel=3'],
    fix: true,
  },
  {
    code: 'E321',
    bad: r(MASKED, 'kernel=5 mask=A', 'kernel=5 mask=B'),
    good: MASKED,
    mentions: ['mask=A'],
    fix: true,
  },
  {
    code: 'E321',
    bad: r(MASKED, 'kernel=5 mask=A', 'kernel=5'),
    good: MASKED,
    mentions: ['mask=A'],
    fix: true,
  },
  {
    code: 'E321',
    bad: r(
      r(MASKED, 'maskedconv 16 kernel=5 mask=A', 'conv 16 kernel=1'),
      'kernel=3 mask=B',
      'kernel=1 mask=B',
    ),
    good: MASKED,
    mentions: ['mask=A'],
  },
  {
    code: 'E322',
    bad: r(MASKED, 'maskedconv 2 kernel=1', 'maskedconv 1 kernel=1'),
    good: MASKED,
    mentions: ['[28, 28, 1]', '[28, 28, 2]', 'levels'],
    fix: true,
  },
  {
    code: 'E322',
    bad: r(MASKED, 'levels 2', 'levels 256'),
    good: r(r(MASKED, 'levels 2', 'levels 256'), 'maskedconv 2 kernel=1', 'maskedconv 256 kernel=1'),
    mentions: ['[28, 28, 256]'],
    fix: true,
  },
  {
    code: 'E323',
    bad: r(PIXEL, 'gated 16 kernel=7 mask=A', 'maskedconv 48 kernel=7 mask=A'),
    good: PIXEL,
    mentions: ['mask=A'],
    fix: true,
  },
  {
    code: 'E323',
    bad: r(PIXEL, 'repeat 5 { gated 16 kernel=3 }', 'repeat 5 { gated 24 kernel=3 }'),
    good: PIXEL,
    mentions: ['[28, 28, 48]'],
  },
  {
    code: 'E206',
    bad: r(PIXEL, 'data mnist {', 'data shapes size=28x28 channels=3 {'),
    good: r(PIXEL, 'data mnist {', 'data shapes size=28x28 channels=1 {'),
    mentions: ['channels', 'output=logistic'],
    fix: true,
  },
  {
    // Colour with the logistic mixture: K·10 outputs per pixel (PixelCNN++), checked by E322.
    code: 'E322',
    bad: r(
      r(MASKED, 'data mnist {', 'data emoji size=16x16 {'),
      'levels 2',
      'levels 256 output=logistic mixtures=4',
    ),
    good: r(
      r(
        r(MASKED, 'data mnist {', 'data emoji size=16x16 {'),
        'levels 2',
        'levels 256 output=logistic mixtures=4',
      ),
      'maskedconv 2 kernel=1',
      'maskedconv 40 kernel=1',
    ),
    mentions: ['[16, 16, 2]', '[16, 16, 40]', '4 logistic mixture components', 'coupling'],
    fix: true,
  },
  {
    code: 'E322',
    bad: r(MASKED, 'levels 2', 'levels 256 output=logistic'),
    good: r(
      r(MASKED, 'levels 2', 'levels 256 output=logistic'),
      'maskedconv 2 kernel=1',
      'maskedconv 15 kernel=1',
    ),
    mentions: ['[28, 28, 15]', '5 logistic mixture components × (1 logit, 1 mean, 1 log-scale)'],
    fix: true,
  },
  {
    code: 'E213',
    bad: r(MASKED, 'levels 2', 'levels 2 { mixtures 3 }'),
    good: r(MASKED, 'levels 2', 'levels 2 output=logistic { mixtures 3 }'),
    mentions: ['output=logistic'],
    fix: true,
  },
  {
    code: 'E209',
    bad: r(GAN, 'sample {', 'evaluate { nll every=100 }\n  sample {'),
    good: r(GAN, 'sample {', 'evaluate { fid every=100 }\n  sample {'),
    mentions: ['likelihood'],
    fix: true,
  },
  {
    code: 'W400',
    bad: r(GAN, 'activation=tanh', 'activation=sigmoid'),
    good: GAN,
    mentions: ['tanh'],
    fix: true,
  },
  { code: 'W401', bad: r(GAN, '    flatten\n', '    maxpool\n    flatten\n'), good: GAN },
  {
    code: 'W402',
    bad: r(
      r(GAN, 'loss nonsaturating', 'loss wasserstein gp=10'),
      '    conv 64 kernel=4 stride=2\n',
      '    conv 64 kernel=4 stride=2\n    batchnorm\n',
    ),
    good: r(
      r(GAN, 'loss nonsaturating', 'loss wasserstein gp=10'),
      '    conv 64 kernel=4 stride=2\n',
      '    conv 64 kernel=4 stride=2\n    layernorm\n',
    ),
  },
  { code: 'W403', bad: r(GAN, '    dense 1\n', '    dense 1 activation=sigmoid\n'), good: GAN, fix: true },
  { code: 'W403', bad: r(GAN, '    dense 1\n', '    dense 1\n    sigmoid\n'), good: GAN, fix: true },
  {
    code: 'W404',
    bad: r(GAN, '    conv 64 kernel=4 stride=2\n    leakyrelu', '    conv 64 kernel=4 stride=2\n    relu'),
    good: GAN,
    fix: true,
  },
  { code: 'W405', bad: r(GAN, 'lr=2e-4', 'lr=0.5'), good: GAN, mentions: ['lr=0.5'], fix: true },
  {
    code: 'W406',
    bad: r(GAN, 'batch 64', 'batch 1'),
    good: r(r(GAN, 'batch 64', 'batch 1'), '    batchnorm\n', ''),
  },
  {
    code: 'W407',
    bad: r(VAE, 'deconv 1 kernel=3 activation=sigmoid', 'deconv 1 kernel=3 activation=relu'),
    good: VAE,
    fix: true,
  },
  {
    code: 'W409',
    bad: CGAN.replace('condition classes=10', 'condition classes=10 generator=embed discriminator=embed'),
    good: CGAN.replace(
      'condition classes=10',
      'condition classes=10 generator=embed discriminator=projection',
    ),
    mentions: ['ignore z', 'onehot'],
    fix: true,
  },
  {
    code: 'E309',
    bad: CGAN.replace('condition classes=10', 'condition classes=10 generator=batchnorm').replaceAll(
      '    batchnorm\n',
      '',
    ),
    good: CGAN.replace('condition classes=10', 'condition classes=10 generator=batchnorm'),
    mentions: ['no `batchnorm`', 'generator=onehot'],
    fix: true,
  },
  {
    code: 'E304',
    bad: CGAN.replace('condition classes=10', 'condition classes=10 discriminator=projection').replace(
      '    flatten\n    dropout 0.3\n    dense 1\n',
      '    flatten\n    dense 1\n    dropout 0.3\n',
    ),
    good: CGAN.replace('condition classes=10', 'condition classes=10 discriminator=projection'),
    mentions: ['projection', 'dense 1'],
  },
  {
    code: 'W408',
    bad: r(GAN, '    flatten\n    dense 1\n', '    dense 1\n'),
    good: GAN,
    fix: true,
  },
  {
    code: 'E310',
    bad: r(SR, 'conv 4*32 kernel=3', 'conv 30 kernel=3'),
    good: SR,
    mentions: ['pixelshuffle 2', '30', '2×2 = 4'],
  },
  { code: 'E311', bad: r(SR, 'upscale 4', 'upscale 3'), good: SR, mentions: ['upscale 3', '[28, 28, 1]'] },
  // The generator's input follows the factor: 14x14 from upscale 2, so it draws 56x56.
  { code: 'E300', bad: r(SR, 'upscale 4', 'upscale 2'), good: SR, mentions: ['[56, 56, 1]', '[28, 28, 1]'] },
  { code: 'E208', bad: r(SR, '  upscale 4 method=bicubic', ''), good: SR, mentions: ['upscale'], fix: true },
  { code: 'E209', bad: r(GAN, 'latent 64', 'latent 64\n  upscale 4'), good: GAN },
  { code: 'E209', bad: r(GAN, 'latent 64', 'latent 64\n  pretrain { steps 10 }'), good: GAN },
  { code: 'E212', bad: r(SR, 'method=bicubic', 'method=lanczos'), good: SR, mentions: ['bicubic', 'area'] },
  { code: 'E212', bad: r(SR, 'content=mse', 'content=vgg'), good: SR, mentions: ['mse', 'l1'] },
  { code: 'E207', bad: r(SR, 'pretrain { steps 300 }', 'pretrain { }'), good: SR, mentions: ['steps'] },
  {
    code: 'E206',
    bad: r(SR, 'seed 1 }', 'seed 1; d_steps 2 }'),
    good: r(SR, 'seed 1 }', 'seed 1; d_steps 1 }'),
    mentions: ['d_steps'],
  },
  // progan: networks of stages that double the resolution up to the data size, mirrored.
  {
    code: 'E330',
    bad: r(PG, '    stage 4x4 {\n', '    flatten\n    stage 4x4 {\n'),
    good: PG,
    mentions: ['flatten', 'stage'],
  },
  {
    code: 'E330',
    bad: r(PG, 'stage 16x16 { upsample 2', 'stage 16x16 { upsample 1'),
    good: PG,
    mentions: ['16x16', '8x8'],
  },
  {
    code: 'E330',
    bad: r(PG, 'size 32x32;', 'size 64x64;'),
    good: PG,
    mentions: ['64x64', '32x32'],
  },
  {
    code: 'E330',
    bad: r(PG, '    stage 8x8 { conv 64 kernel=3 stride=2; leakyrelu }\n', ''),
    good: PG,
    mentions: ['3 stages', '4', '32x32, 16x16, 8x8, 4x4'],
  },
  {
    code: 'E330',
    bad: r(PG, 'stage 16x16 { conv 64 kernel=3 stride=2', 'stage 16x16 { conv 64 kernel=3 stride=1'),
    good: PG,
    mentions: ['8x8', '16x16'],
  },
  {
    code: 'E212',
    bad: r(PG, 'stable 4800;', 'stable 4800; unit epochs;'),
    good: PG,
    mentions: ['images', 'steps'],
  },
  // stackgan
  {
    code: 'E312',
    bad: r(STACK, 'data emoji { size 64x64;', 'data shapes { size 64x64; channels 3;'),
    good: STACK,
    mentions: ['shapes', 'captions'],
  },
  {
    code: 'E313',
    bad: r(STACK, 'size 16x16; steps 1500', 'size 24x24; steps 1500'),
    good: STACK,
    mentions: ['24x24', '[64, 64, 3]'],
  },
  // The stage-I generator's last layer no longer doubles: it draws 8x8 where stage I is 16x16.
  {
    code: 'E300',
    bad: r(STACK, 'deconv 3 kernel=4 stride=2 activation=tanh', 'deconv 3 kernel=4 stride=1 activation=tanh'),
    good: STACK,
    mentions: ['stage-I generator', '[16, 16, 3]'],
  },
  {
    code: 'E304',
    bad: r(STACK, '    flatten\n    dense 1\n  }\n\n  loss', '  }\n\n  loss'),
    good: STACK,
    mentions: ['discriminator2'],
  },
  { code: 'E208', bad: r(STACK, '  augment 16 kl=1', ''), good: STACK, mentions: ['augment'], fix: true },
  { code: 'E209', bad: r(GAN, 'latent 64', 'latent 64\n  stage1 { size 8x8; steps 10 }'), good: GAN },
  { code: 'E206', bad: r(STACK, 'seed 1 }', 'seed 1; ema 0.99 }'), good: STACK, mentions: ['ema'] },
  {
    code: 'E206',
    bad: r(PIXEL, 'condition classes=10', 'condition text'),
    good: PIXEL,
    mentions: ['condition text', 'cgan', 'stackgan'],
  },
  {
    code: 'E312',
    bad: r(TEXT_CGAN, 'data emoji { size 32x32;', 'data shapes { size 32x32; channels 3;'),
    good: TEXT_CGAN,
    mentions: ['`condition text`', 'shapes', 'captions.txt'],
  },
  {
    code: 'E203',
    bad: r(TEXT_CGAN, 'condition text embed=64', 'condition text classes=10 embed=64'),
    good: TEXT_CGAN,
    mentions: ['`classes`', 'caption'],
    fix: true,
  },
  {
    code: 'E207',
    bad: r(CGAN, 'condition classes=10', 'condition embed=10'),
    good: CGAN,
    mentions: ['`classes`', '`text`'],
  },
  { code: 'E206', bad: r(STACK, 'seed 1 }', 'seed 1; d_steps 2 }'), good: STACK, mentions: ['d_steps'] },
  {
    code: 'E324',
    bad: r(VIDEO, '    dense 4\n', '    dense 6\n'),
    good: VIDEO,
    mentions: ['[8, 6]', '[8, 4]'],
  },
  { code: 'E325', bad: r(GAN, 'data mnist', 'data moving_mnist'), good: GAN, mentions: ['video'] },
  {
    code: 'E325',
    bad: r(VIDEO, 'data moving_mnist { size 32x32; frames 8; speed 2;', 'data mnist {'),
    good: VIDEO,
    mentions: ['moving_mnist', 'clips'],
  },
  {
    code: 'E325',
    bad: r(GAN, 'data mnist', 'data clips "videos"'),
    good: GAN,
    mentions: ['clips', 'video'],
  },
  {
    code: 'E304',
    bad: r(VIDEO, '    dense 1\n  }\n\n  loss', '    dense 2\n  }\n\n  loss'),
    good: VIDEO,
    mentions: ['video_discriminator', 'one logit per clip'],
  },
  {
    code: 'E206',
    bad: r(VIDEO, 'size 32x32', 'size 24x24'),
    good: r(r(VIDEO, 'size 32x32', 'size 24x24'), 'speed 2;', 'speed 2; digit_size 20;'),
    mentions: ['28x28', 'digit_size'],
  },
  {
    code: 'E206',
    bad: r(VIDEO, 'speed 2;', 'speed 2; digit_size 20;').replace('size 32x32', 'size 16x16'),
    good: r(VIDEO, 'speed 2;', 'speed 2; digit_size 16;').replace('size 32x32', 'size 16x16'),
    mentions: ['20x20', '16x16'],
  },
  { code: 'E216', bad: r(VIDEO, 'steps 3500', 'epochs 2'), good: VIDEO, mentions: ['moving_mnist'] },
  {
    code: 'E302',
    bad: r(VIDEO, '    gru 32\n', '    reshape [8, 4, 1]\n    gru 32\n'),
    good: VIDEO,
    mentions: ['gru', 'sequence'],
  },
];

test('every diagnostic code in the language brief has a case', () => {
  const covered = new Set(cases.map((c) => c.code));
  const missing = Object.keys(DIAGNOSTIC_CODES).filter(
    (c) => !covered.has(c as keyof typeof DIAGNOSTIC_CODES),
  );
  assert.deepEqual(missing, []);
});

test('the neighbours used as passing files have no errors at all', () => {
  assert.deepEqual(codes(GAN), []);
  assert.deepEqual(codes(VAE), []);
  assert.deepEqual(codes(CYCLE), []);
  assert.deepEqual(codes(CGAN), []);
  assert.deepEqual(codes(PIXEL), []);
  assert.deepEqual(codes(MASKED), []);
  assert.deepEqual(codes(SR), []);
  assert.deepEqual(codes(VIDEO), []);
});

test('video: shapes per frame and per clip follow the data’s frames and the motion size', () => {
  const model = (text: string) => analyze(text).models[0].resolved;
  const nets = model(VIDEO)?.networks;
  assert.deepEqual(nets?.trajectory?.inputShape, [8, 4]);
  assert.deepEqual(nets?.generator?.inputShape, [36]);
  assert.deepEqual(nets?.discriminator?.inputShape, [32, 32, 1]);
  assert.deepEqual(nets?.video_discriminator?.inputShape, [32, 32, 8]);
  const longer = model(r(r(VIDEO, 'frames 8', 'frames 12'), 'grid 4x8', 'grid 4x12'));
  assert.deepEqual(longer?.networks.trajectory?.inputShape, [12, 4]);
  assert.deepEqual(longer?.networks.video_discriminator?.inputShape, [32, 32, 12]);
  // tfjs's GRU: three gates of input, recurrent and bias weights.
  assert.equal(nets?.trajectory?.layers[0].paramCount, 3 * 32 * (4 + 32 + 1));
});

test('srgan: without pretrain the model resolves with no pretraining stage', () => {
  const model = analyze(r(SR, '  pretrain { steps 300 }\n', '')).models[0].resolved;
  assert.ok(model, 'resolves');
  assert.deepEqual(model.settings, { upscale: { factor: 4, method: 'bicubic' } });
});

test('srgan: the generator takes the data size divided by the upscale factor', () => {
  const model = (text: string) => analyze(text).models[0].resolved;
  assert.deepEqual(model(SR)?.networks.generator?.inputShape, [7, 7, 1]);
  assert.deepEqual(model(SR)?.networks.discriminator?.inputShape, [28, 28, 1]);
  const two = r(
    r(SR, 'upscale 4', 'upscale 2'),
    '    conv 4*32 kernel=3\n    pixelshuffle 2                  # -> 28x28x32\n    prelu\n',
    '',
  );
  assert.deepEqual(model(two)?.networks.generator?.inputShape, [14, 14, 1]);
  assert.deepEqual(model(two)?.settings, {
    upscale: { factor: 2, method: 'bicubic' },
    pretrain: { steps: 300 },
  });
});

for (const [i, c] of cases.entries()) {
  test(`${c.code} #${i}: reported on the failing file, not on its neighbour`, () => {
    const found = diagnosticsWith(c.bad, c.code);
    assert.ok(found.length > 0, `expected ${c.code}, got ${JSON.stringify(codes(c.bad))}`);
    assert.equal(
      diagnosticsWith(c.good, c.code).length,
      0,
      `neighbour has ${c.code}: ${JSON.stringify(diagnosticsWith(c.good, c.code))}`,
    );
    const d = found[0];
    assert.ok(d.start <= d.end && d.end <= c.bad.length, 'range inside the document');
    assert.equal(d.severity, c.code.startsWith('W') ? 'warning' : 'error');
    for (const m of c.mentions ?? [])
      assert.ok(d.message.includes(m), `message ${JSON.stringify(d.message)} should mention ${m}`);
    if (c.fix) {
      assert.ok(d.fixes.length > 0, `${c.code} should offer a fix`);
      const fixed = applyFix(c.bad, d.fixes[0]);
      const after = diagnosticsWith(fixed, c.code);
      assert.ok(
        after.length < found.length,
        `fix "${d.fixes[0].title}" should remove ${c.code}; text:\n${fixed}`,
      );
    }
  });
}

test('ranges are precise: an unknown parameter is underlined exactly', () => {
  const bad = replaceOnce(GAN, 'deconv 32 kernel=4', 'deconv 32 kernal=4');
  const d = diagnosticsWith(bad, 'E203')[0];
  assert.equal(bad.slice(d.start, d.end), 'kernal');
});

test('the parser recovers: errors in one model do not hide errors in the next', () => {
  const text =
    replaceOnce(GAN, 'latent 64', 'latent 64 )') +
    GAN.replace('model m:', 'model n:').replace('batchnorm\n', 'batchnrm\n');
  const found = codes(text);
  assert.ok(found.includes('E100'));
  assert.ok(found.includes('E202'));
});

test('a variant reports what only it breaks, at its extends clause', () => {
  const text = GAN + 'model v extends m {\n  generator {\n    dense 10\n  }\n}\n';
  const a = analyze(text);
  const e300 = a.diagnostics.filter((d) => d.code === 'E300');
  assert.equal(e300.length, 1);
  const vStart = text.indexOf('model v');
  assert.ok(e300[0].start > vStart);
  assert.ok(a.models.find((m) => m.name === 'm')?.resolved, 'the base still resolves');
});

test('inherited problems are not reported twice', () => {
  const bad = replaceOnce(GAN, 'lr=2e-4', 'lr=0.5') + 'model v extends m {\n  latent 32\n}\n';
  assert.equal(diagnosticsWith(bad, 'W405').length, 1);
});
