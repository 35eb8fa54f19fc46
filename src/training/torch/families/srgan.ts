// srgan on the torch engine: the TensorFlow.js family's step (engine/families/srgan.ts) — the
// content loss alone until `pretrain` steps, then the generator on content + adversarial (+ the
// discriminator feature loss) and the discriminator on originals vs super-resolved images. The
// low-resolution inputs are made in Node by the TensorFlow.js family's own resize, so both engines
// train on the same pixels.
import * as tf from '@tensorflow/tfjs';
import type { ResolvedModel } from '../../../language/model';
import { imageTensor } from '../../engine/families/family';
import { pretrainStepsOf, shrink, upscaleOf } from '../../engine/families/srgan';
import { ExportError, networkClass } from '../../export/pytorchNetworks';
import { layersPy } from '../../export/pytorchRuntime';
import { adversarialLossPy, optimizerPy } from '../../export/pytorchTrain';
import type { TorchPort } from './port';

function modelPy(model: ResolvedModel): string {
  const { generator, discriminator } = model.networks;
  if (!generator || !discriminator)
    throw new ExportError(`${model.name} needs a generator and a discriminator`);
  const [h, w, c] = model.data[0].shape;
  const [lh, lw] = generator.inputShape;
  return [
    `"""The networks of ${model.name}, from ${model.name}.gan, in PyTorch (GAN Studio's torch engine).`,
    '',
    'Tensors are channels-first here (N, C, H, W); the comments give the .gan file\'s height×width×channels."""',
    layersPy([generator, discriminator]),
    `IMAGE_SHAPE = (${c}, ${h}, ${w})  # channels, height, width`,
    `LOW_SHAPE = (${c}, ${lh}, ${lw})  # the generator's input: the image shrunk by the upscale factor`,
    '',
    '',
    networkClass(generator, 'Generator', 'A low-resolution image to one at the data size.'),
    '',
    '',
    networkClass(
      discriminator,
      'Discriminator',
      'An image to one score (a logit, or a least-squares score).',
    ),
    '',
  ].join('\n');
}

function enginePy(model: ResolvedModel): string {
  const params = model.loss.params;
  const number = (name: string, fallback: number): number =>
    typeof params[name] === 'number' ? params[name] : fallback;
  const features = params.features === 'discriminator';
  const g = model.optimizers.generator ?? model.optimizers.discriminator;
  const d = model.optimizers.discriminator ?? g;
  return String.raw`PRETRAIN = ${pretrainStepsOf(model)}  # content-only generator steps before the adversarial stage
ADVERSARIAL = ${number('adversarial', 1e-3)}  # the adversarial term's weight
FEATURE_WEIGHT = ${features ? number('feature_weight', 1) : 0}  # the discriminator feature loss's weight; 0: none
L1 = ${params.content === 'l1' ? 'True' : 'False'}  # content loss: mean absolute error, else mean squared error
SMOOTHING = 1
EMA = ${model.train.ema ?? 'None'}


${adversarialLossPy(model.loss.kind)}


def content_loss(output, target):
    diff = output - target
    return (diff.abs() if L1 else diff.square()).mean()


def with_features(discriminator, x):
    """The score and what the discriminator's last layer reads (the feature loss compares those)."""
    features = discriminator.layers[:-1](x)
    return discriminator.layers[-1](features), features


class FamilyEngine(Engine):
    def build(self):
        self.generator = self.network("generator", Generator())
        self.discriminator = self.network("discriminator", Discriminator())
        self.optimizers["generator"] = ${optimizerPy(g, 'self.generator.parameters()')}
        self.optimizers["discriminator"] = ${optimizerPy(d, 'self.discriminator.parameters()')}

    def weights_set(self, name):
        if name == "generator" and EMA is not None:
            self.start_average("generator", "generator_ema")

    def step(self, inputs, step):
        hr, lr = self.images(next(inputs)), self.images(next(inputs), LOW_SHAPE)
        generator = self.trained("generator")
        zero = torch.zeros((), device=self.device)
        if step < PRETRAIN:
            content = content_loss(generator(lr), hr)
            g_norm = self.update(self.optimizers["generator"], content, self.generator)
            if EMA is not None:
                self.update_averages(EMA)
            means = {"g_loss": content, "content": content, "adversarial": zero, "feature": zero,
                     "d_loss": zero, "d_real": zero, "d_fake": zero, "stage": zero}
            return self.report(means, {"grad_norm/generator": g_norm})
        sr = generator(lr)
        content = content_loss(sr, hr)
        g_loss = content
        feature = zero
        if FEATURE_WEIGHT > 0:
            logit, sr_features = with_features(self.discriminator, sr)
            _, hr_features = with_features(self.discriminator, hr)
            feature = (sr_features - hr_features).square().mean()
            g_loss = g_loss + FEATURE_WEIGHT * feature
        else:
            logit = self.trained("discriminator")(sr)
        adversarial = generator_loss(logit)
        g_loss = g_loss + ADVERSARIAL * adversarial
        g_norm = self.update(self.optimizers["generator"], g_loss, self.generator)
        discriminator = self.trained("discriminator")
        real_out, fake_out = discriminator(hr), discriminator(sr.detach())
        d_loss = discriminator_loss(real_out, fake_out)
        d_norm = self.update(self.optimizers["discriminator"], d_loss, self.discriminator)
        if EMA is not None:
            self.update_averages(EMA)
        means = {"g_loss": g_loss, "content": content, "adversarial": adversarial, "feature": feature,
                 "d_loss": d_loss, "d_real": readout(real_out), "d_fake": readout(fake_out), "stage": torch.ones(())}
        return self.report(means, {"grad_norm/generator": g_norm, "grad_norm/discriminator": d_norm})`;
}

export const srganPort: TorchPort = {
  pushed: ['discriminator', 'generator'],
  modelPy,
  enginePy,
  imports: () => ['IMAGE_SHAPE', 'LOW_SHAPE', 'Discriminator', 'Generator'],
  async stepInputs({ model, sources }) {
    const source = sources[0];
    const batch = await source.next();
    const low = tf.tidy(() =>
      shrink(imageTensor(batch, source.shape), upscaleOf(model), model.data[0].scale),
    );
    const values = (await low.data()) as Float32Array;
    low.dispose();
    return [
      { values: batch.images, rows: batch.count },
      { values, rows: batch.count },
    ];
  },
};
