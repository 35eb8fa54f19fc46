// vae on the torch engine: the TensorFlow.js family's step (engine/families/vae.ts) — encoder to
// mean and log-variance heads, z = mean + exp(log_variance / 2)·ε with ε from the trainer's stream,
// the negative ELBO (bce or mse reconstruction summed over pixels, plus β·KL), one joint update.
import type { ResolvedModel } from '../../../language/model';
import { latentValues } from '../../engine/noise';
import { ExportError, networkClass } from '../../export/pytorchNetworks';
import { optimizerPy } from '../../export/pytorchTrain';
import { layersPy } from '../../export/pytorchRuntime';
import type { TorchPort } from './port';

function modelPy(model: ResolvedModel): string {
  const { encoder, decoder } = model.networks;
  const latent = model.latent?.size;
  if (!encoder || !decoder || latent === undefined)
    throw new ExportError(`${model.name} needs an encoder, a decoder and a latent`);
  const [h, w, c] = model.data[0].shape;
  return [
    `"""The networks of ${model.name}, from ${model.name}.gan, in PyTorch (GAN Studio's torch engine).`,
    '',
    'Tensors are channels-first here (N, C, H, W); the comments give the .gan file\'s height×width×channels."""',
    layersPy([encoder, decoder]),
    `LATENT = ${latent}`,
    `IMAGE_SHAPE = (${c}, ${h}, ${w})  # channels, height, width`,
    '',
    '',
    networkClass(
      encoder,
      'Encoder',
      `An image to its posterior's mean and log-variance (${latent} each).`,
      'none',
      {
        names: ['mean', 'log_variance'],
        units: latent,
      },
    ),
    '',
    '',
    networkClass(decoder, 'Decoder', `A latent (${latent}) to an image.`),
    '',
  ].join('\n');
}

function enginePy(model: ResolvedModel): string {
  const beta = typeof model.loss.params.beta === 'number' ? model.loss.params.beta : 1;
  const bce = model.loss.params.reconstruction !== 'mse';
  const [low, high] = model.data[0].scale;
  const encoderOptimizer = model.optimizers.encoder ?? model.optimizers.decoder;
  const decoderOptimizer = model.optimizers.decoder ?? encoderOptimizer;
  const reconstruction = bce
    ? [
        "    # Binary cross-entropy on [0, 1] (the data's scale mapped there), clipped as TensorFlow.js does.",
        `    p = ((output - ${low}) / ${high - low}).clamp(1e-7, 1 - 1e-7)`,
        `    t = (target - ${low}) / ${high - low}`,
        '    return -(t * p.log() + (1 - t) * (1 - p).log()).flatten(1).sum(1).mean()',
      ]
    : ['    return (output - target).square().flatten(1).sum(1).mean()'];
  return [
    `BETA = ${beta}  # the KL term's weight`,
    '',
    '',
    'def reconstruction_loss(output, target):',
    ...reconstruction,
    '',
    '',
    'class FamilyEngine(Engine):',
    '    def build(self):',
    '        self.encoder = self.network("encoder", Encoder())',
    '        self.decoder = self.network("decoder", Decoder())',
    `        self.optimizers["encoder"] = ${optimizerPy(encoderOptimizer, 'self.encoder.parameters()')}`,
    `        self.optimizers["decoder"] = ${optimizerPy(decoderOptimizer, 'self.decoder.parameters()')}`,
    '',
    '    def step(self, inputs, step):',
    '        x = self.images(next(inputs))',
    '        eps = next(inputs).to(self.device)',
    '        mean, log_variance = self.trained("encoder")(x)',
    '        z = mean + (0.5 * log_variance).exp() * eps',
    '        reconstruction = reconstruction_loss(self.trained("decoder")(z), x)',
    '        kl = -0.5 * (1 + log_variance - mean.square() - log_variance.exp()).sum(1).mean()',
    '        loss = reconstruction + BETA * kl',
    '        optimizers = self.optimizers.values()',
    '        for optimizer in optimizers:',
    '            optimizer.zero_grad(set_to_none=True)',
    '        loss.backward()',
    '        norms = {"grad_norm/" + name: grad_norm(self.networks[name]) for name in ("encoder", "decoder")}',
    '        for optimizer in optimizers:',
    '            optimizer.step()',
    '        return self.report({"loss": loss, "recon": reconstruction, "kl": kl}, norms)',
  ].join('\n');
}

export const vaePort: TorchPort = {
  pushed: ['encoder', 'decoder'],
  modelPy,
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
