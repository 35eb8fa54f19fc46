// srgan on the torch engine: the TensorFlow.js family's step (engine/families/srgan.ts) — the
// content loss alone until `pretrain` steps, then the generator on content + adversarial (+ the
// discriminator feature loss) and the discriminator on originals vs super-resolved images. The
// low-resolution inputs are made in Node by the TensorFlow.js family's own resize, so both engines
// train on the same pixels.
import * as tf from '@tensorflow/tfjs';
import type { ResolvedModel } from '../../../language/model';
import { imageTensor } from '../../engine/families/family';
import { shrink, upscaleOf } from '../../engine/families/srgan';
import { srganLossPy, srganModelPy, srganOptimizers } from '../../export/pytorchSrgan';
import { optimizerPy } from '../../export/pytorchTrain';
import type { TorchPort } from './port';

function enginePy(model: ResolvedModel): string {
  const optimizers = srganOptimizers(model);
  return String.raw`${srganLossPy(model)}


class FamilyEngine(Engine):
    def build(self):
        self.generator = self.network("generator", Generator())
        self.discriminator = self.network("discriminator", Discriminator())
        self.optimizers["generator"] = ${optimizerPy(optimizers.generator, 'self.generator.parameters()')}
        self.optimizers["discriminator"] = ${optimizerPy(optimizers.discriminator, 'self.discriminator.parameters()')}

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
  modelPy: (model) => srganModelPy(model, `${model.name}.gan`),
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
