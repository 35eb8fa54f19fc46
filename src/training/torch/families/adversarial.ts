// gan and cgan on the torch engine: the TensorFlow.js adversarial loop (engine/families/adversarial.ts)
// with d_steps critic updates, the model's loss, WGAN-GP by double backward, and the generator's
// weight average. model.py is the export's.
import type { ResolvedModel } from '../../../language/model';
import { latentValues } from '../../engine/noise';
import { modelPy } from '../../export/pytorchProject';
import {
  adversarialLossPy,
  gradientPenaltyPy,
  optimizerLine,
  penaltyWeight,
} from '../../export/pytorchTrain';
import type { StepInput, TorchPort } from './port';

function enginePy(model: ResolvedModel): string {
  const conditional = model.condition !== null;
  const y = conditional ? ', labels' : '';
  const smoothing = typeof model.loss.params.smoothing === 'number' ? model.loss.params.smoothing : 1;
  return String.raw`D_STEPS = ${model.train.dSteps}
SMOOTHING = ${smoothing}
EMA = ${model.train.ema ?? 'None'}
GP = ${penaltyWeight(model)}  # WGAN-GP's penalty weight; 0: none


${gradientPenaltyPy()}


${adversarialLossPy(model.loss.kind)}


class FamilyEngine(Engine):
    def build(self):
        self.generator = self.network("generator", Generator())
        self.discriminator = self.network("discriminator", Discriminator())
        self.optimizers["generator"] = ${optimizerLine(model, 'generator', 'self.generator')}
        self.optimizers["discriminator"] = ${optimizerLine(model, 'discriminator', 'self.discriminator')}

    def weights_set(self, name):
        if name == "generator" and EMA is not None:
            self.start_average("generator", "generator_ema")

    def upgrade_state(self, state):
        networks = {"generator": state["generator"], "discriminator": state["discriminator"]}
        if state.get("average") is not None:
            networks["generator_ema"] = state["average"]
        optimizers = {"generator": state["g_optimizer"], "discriminator": state["d_optimizer"]}
        return dict(state, networks=networks, optimizers=optimizers)

    def step(self, inputs, step):
        generator, discriminator = self.trained("generator"), self.trained("discriminator")
        batches = []
        for _ in range(D_STEPS):
            batch = {"images": self.images(next(inputs))}${
              conditional ? '\n            batch["labels"] = next(inputs).reshape(-1).to(self.device)' : ''
            }
            batch["noise"] = next(inputs).to(self.device)
            if GP > 0:
                batch["mix"] = next(inputs).to(self.device)
            batches.append(batch)
        # With a gradient penalty every critic update makes its own fakes and the generator its own
        # (the penalty's double backward must not reach the generator); without, the last critic
        # update and the generator's share one forward pass, as in the TensorFlow.js engine.
        shared = GP == 0
        for i, batch in enumerate(batches):
            real = batch["images"]${conditional ? '\n            labels = batch["labels"]' : ''}
            with torch.set_grad_enabled(shared and i == len(batches) - 1):
                fake = generator(batch["noise"]${y})
            real_out, fake_out = discriminator(real${y}), discriminator(fake.detach()${y})
            d_loss = discriminator_loss(real_out, fake_out)
            if GP > 0:
                mix = batch["mix"].view(-1, *([1] * (real.dim() - 1)))
                # Through the plain critic: DistributedDataParallel takes no autograd.grad of its own
                # forward, and the penalty's parameter gradient still reaches the same parameters,
                # whose all-reduce happens in the backward below.
                d_loss = d_loss + gradient_penalty(lambda x: self.discriminator(x${y}), real, fake.detach(), mix)
            d_norm = self.update(self.optimizers["discriminator"], d_loss, self.discriminator)
        if not shared:
            fake = generator(next(inputs).to(self.device)${y})
        # The generator learns against the critic just updated, as the TensorFlow.js engine does.
        g_loss = generator_loss(discriminator(fake${y}))
        g_norm = self.update(self.optimizers["generator"], g_loss, self.generator)
        if EMA is not None:
            self.update_averages(EMA)
        means = {"d_loss": d_loss, "g_loss": g_loss, "d_real": readout(real_out), "d_fake": readout(fake_out)}
        return self.report(means, {"grad_norm/discriminator": d_norm, "grad_norm/generator": g_norm})`;
}

export const adversarialPort: TorchPort = {
  pushed: ['discriminator', 'generator'],
  modelPy: (model) => modelPy(model, `${model.name}.gan`),
  enginePy,
  imports: (model) => [
    ...(model.condition ? ['CLASSES'] : []),
    'IMAGE_SHAPE',
    'LATENT',
    'Discriminator',
    'Generator',
  ],
  async stepInputs({ model, sources, rng }) {
    const latent = model.latent;
    if (!latent) throw new Error(`model ${model.name} has no latent`);
    const labelled = model.condition !== null;
    const penalty = penaltyWeight(model) > 0;
    const inputs: StepInput[] = [];
    let last = 0;
    // The TensorFlow.js engine's order: per critic batch its noise (and with a gradient penalty its
    // mixing weights), then with a penalty the generator's own noise.
    for (let k = 0; k < model.train.dSteps; k++) {
      const batch = await sources[0].next();
      if (labelled && !batch.labels)
        throw new Error('this model needs labelled data, but the batch has no labels');
      inputs.push({ values: batch.images, rows: batch.count });
      if (labelled && batch.labels) inputs.push({ values: batch.labels, rows: batch.count });
      inputs.push({ values: latentValues(rng, batch.count, latent), rows: batch.count });
      if (penalty)
        inputs.push({ values: rng.fillUniform(new Float32Array(batch.count), 0, 1), rows: batch.count });
      last = batch.count;
    }
    if (penalty) inputs.push({ values: latentValues(rng, last, latent), rows: last });
    return inputs;
  },
};
