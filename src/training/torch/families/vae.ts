// vae on the torch engine: the TensorFlow.js family's step (engine/families/vae.ts) — encoder to
// mean and log-variance heads, z = mean + exp(log_variance / 2)·ε with ε from the trainer's stream,
// the negative ELBO (bce or mse reconstruction summed over pixels, plus β·KL), one joint update.
import type { ResolvedModel } from '../../../language/model';
import { latentValues } from '../../engine/noise';
import { optimizerPy } from '../../export/pytorchTrain';
import { elboPy, vaeModelPy, vaeOptimizers } from '../../export/pytorchVae';
import type { TorchPort } from './port';

function enginePy(model: ResolvedModel): string {
  const optimizers = vaeOptimizers(model);
  return [
    elboPy(model),
    '',
    '',
    'class FamilyEngine(Engine):',
    '    def build(self):',
    '        self.encoder = self.network("encoder", Encoder())',
    '        self.decoder = self.network("decoder", Decoder())',
    `        self.optimizers["encoder"] = ${optimizerPy(optimizers.encoder, 'self.encoder.parameters()')}`,
    `        self.optimizers["decoder"] = ${optimizerPy(optimizers.decoder, 'self.decoder.parameters()')}`,
    '',
    '    def step(self, inputs, step):',
    '        x = self.images(next(inputs))',
    '        eps = next(inputs).to(self.device)',
    '        mean, log_variance = self.trained("encoder")(x)',
    '        z = mean + (0.5 * log_variance).exp() * eps',
    '        reconstruction = reconstruction_loss(self.trained("decoder")(z), x)',
    '        kl = kl_divergence(mean, log_variance)',
    '        loss = reconstruction + BETA * kl',
    '        norms = self.update_together(loss, ("encoder", "decoder"))',
    '        return self.report({"loss": loss, "recon": reconstruction, "kl": kl}, norms)',
  ].join('\n');
}

export const vaePort: TorchPort = {
  pushed: ['encoder', 'decoder'],
  modelPy: (model) => vaeModelPy(model, `${model.name}.gan`),
  enginePy,
  imports: () => ['IMAGE_SHAPE', 'LATENT', 'Decoder', 'Encoder'],
  async stepInputs({ model, sources, rng }) {
    const latent = model.latent;
    if (!latent) throw new Error(`model ${model.name} has no latent`);
    const batch = await sources[0].next();
    return [
      { values: batch.images, rows: batch.count },
      // ε of the reparameterisation: always a standard normal, as the TensorFlow.js family draws it.
      { values: latentValues(rng, batch.count, { ...latent, dist: 'normal' }), rows: batch.count },
    ];
  },
};
