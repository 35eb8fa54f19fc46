// progan on the torch engine: the TensorFlow.js family's step (engine/families/progan.ts) — the
// networks composed up to the current stage with its fade-in α (sent with each step, from the
// growth schedule), real images brought to the stage's size in Node by the TensorFlow.js family's
// own pooling and blend, the critic's drift term, the optimizers renewed when a stage starts, and
// equalised learning rate as that family applies it (each kernel's update scaled by He's constant).
// WGAN-GP's penalty here is the true double backward, where TensorFlow.js differentiates its
// parameter gradient by central differences (see engine/gradientPenalty.ts).
import * as tf from '@tensorflow/tfjs';
import { growthAt, stageStart } from '../../../language/families/proganSchedule';
import type { ResolvedModel } from '../../../language/model';
import { imageTensor, numberParam } from '../../engine/families/family';
import { growthScheduleOf, ProganFamily, realImagesAt } from '../../engine/families/progan';
import { latentValues } from '../../engine/noise';
import {
  proganModelPy,
  proganOptimizers,
  proganStageSizes,
  proganUpdatePy,
} from '../../export/pytorchProgan';
import { optimizerPy } from '../../export/pytorchTrain';
import type { StepInput, TorchPort } from './port';

function enginePy(model: ResolvedModel): string {
  const { generator: g, discriminator: d } = proganOptimizers(model);
  const sgd = (spec: typeof g): boolean => spec?.kind === 'sgd';
  return String.raw`${proganUpdatePy(model)}


class FamilyEngine(Engine):
    PARTIAL = True

    def build(self):
        self.generator = self.network("generator", Generator())
        self.discriminator = self.network("discriminator", Discriminator())
        for role, module in (("generator", self.generator), ("discriminator", self.discriminator)):
            for k in range(STAGES):
                self.parts["%s.stage%d" % (role, k)] = module.stages[k]
                self.parts["%s.rgb%d" % (role, k)] = (module.to_rgb if role == "generator" else module.from_rgb)[k]
        self.scales = {
            **kernel_scales(self.generator, ${sgd(g) ? 'True' : 'False'}),
            **kernel_scales(self.discriminator, ${sgd(d) ? 'True' : 'False'}),
        }
        self.new_optimizers()

    def new_optimizers(self):
        self.optimizers["generator"] = ${optimizerPy(g, 'self.generator.parameters()')}
        self.optimizers["discriminator"] = ${optimizerPy(d, 'self.discriminator.parameters()')}

    def weights_set(self, name):
        if name == "generator.rgb%d" % (STAGES - 1) and EMA is not None:
            self.start_average("generator", "generator_ema")
            average = self.networks["generator_ema"]
            for k in range(STAGES):
                self.parts["generator_ema.stage%d" % k] = average.stages[k]
                self.parts["generator_ema.rgb%d" % k] = average.to_rgb[k]

    def update_growing(self, optimizer, loss, module):
        return update_growing(optimizer, loss, module, self.scales)

    def step(self, inputs, step):
        stage, alpha = self.state["stage"], self.state["alpha"]
        if self.state["reset"]:
            self.new_optimizers()
        fade_from = stage if self.state["fading"] and stage > 0 else stage + 1
        alphas = [1.0 if k < stage else alpha if k == stage else 0.0 for k in range(STAGES)]
        generator, critic = self.trained("generator"), self.trained("discriminator")
        size = SIZES[stage]
        for _ in range(D_STEPS):
            real = self.images(next(inputs), (CHANNELS, size, size))
            with torch.no_grad():
                fake = generator(next(inputs).to(self.device), stage, fade_from, alphas)
            real_out, fake_out = critic(real, stage, fade_from, alphas), critic(fake, stage, fade_from, alphas)
            d_loss = discriminator_loss(real_out, fake_out)
            if DRIFT > 0:
                d_loss = d_loss + DRIFT * real_out.square().mean()
            if GP > 0:
                mix = next(inputs).to(self.device).view(-1, 1, 1, 1)
                d_loss = d_loss + gradient_penalty(lambda x: self.discriminator(x, stage, fade_from, alphas), real, fake, mix)
            d_norm = self.update_growing(self.optimizers["discriminator"], d_loss, self.discriminator)
        fake = generator(next(inputs).to(self.device), stage, fade_from, alphas)
        g_loss = generator_loss(critic(fake, stage, fade_from, alphas))
        g_norm = self.update_growing(self.optimizers["generator"], g_loss, self.generator)
        if EMA is not None:
            self.update_averages(EMA)
        means = {"d_loss": d_loss, "g_loss": g_loss, "d_real": readout(real_out), "d_fake": readout(fake_out),
                 "resolution": torch.tensor(float(size)), "alpha": torch.tensor(float(alpha))}
        return self.report(means, {"grad_norm/discriminator": d_norm, "grad_norm/generator": g_norm})`;
}

/** The stage and RGB sub-networks of a TensorFlow.js progressive network, by engine.py's part names. */
function partsOf(role: string, full: tf.LayersModel | undefined): [string, tf.LayersModel][] {
  if (!full) throw new Error(`progan has no ${role} network`);
  const parts: [string, tf.LayersModel][] = [];
  for (const layer of full.layers) {
    const match = /_(stage|rgb)(\d+)$/.exec(layer.name);
    if (match && layer instanceof tf.LayersModel) parts.push([`${role}.${match[1]}${match[2]}`, layer]);
  }
  // Stages first, then the RGB layers: the generator's last RGB layer completes it (engine.py then
  // starts its weight average).
  return parts.sort(
    ([a], [b]) =>
      Number(a.includes('.rgb')) - Number(b.includes('.rgb')) || a.localeCompare(b, 'en', { numeric: true }),
  );
}

export const proganPort: TorchPort = {
  pushed: [], // weightSets: the stages and RGB layers cross one by one
  modelPy: (model) => proganModelPy(model, `${model.name}.gan`),
  enginePy,
  imports: () => [
    'CHANNELS',
    'IMAGE_SHAPE',
    'SIZES',
    'STAGES',
    'Conv2dTF',
    'ConvTranspose2dTF',
    'Discriminator',
    'Generator',
  ],
  weightSets(inner) {
    const pushed = [
      ...partsOf('discriminator', inner.networks.discriminator),
      ...partsOf('generator', inner.networks.generator),
    ];
    const average = inner.networks.generator_ema;
    return { pushed, pulled: average ? [...pushed, ...partsOf('generator_ema', average)] : pushed };
  },
  stepState(model, step) {
    const schedule = growthScheduleOf(model);
    const state = growthAt(schedule, step);
    const reset =
      model.settings.grow?.reset_optimizer !== false &&
      state.stage > 0 &&
      step === stageStart(schedule, state.stage);
    return { stage: state.stage, alpha: state.alpha, fading: state.fading, reset };
  },
  synced(inner, step) {
    if (inner instanceof ProganFamily) inner.showGrowthAt(step);
  },
  async stepInputs({ model, sources, rng }, step) {
    const latent = model.latent;
    if (!latent) throw new Error(`model ${model.name} has no latent`);
    const source = sources[0];
    const state = growthAt(growthScheduleOf(model), step);
    const size = proganStageSizes(model)[state.stage];
    const penalty = model.loss.kind === 'wasserstein' && numberParam(model.loss.params, 'gp', 0) > 0;
    const inputs: StepInput[] = [];
    let last = 0;
    // The TensorFlow.js family's order: per critic batch its noise (then the penalty's mixing
    // weights), then the generator's noise.
    for (let k = 0; k < model.train.dSteps; k++) {
      const batch = await source.next();
      const real = tf.tidy(() => realImagesAt(imageTensor(batch, source.shape), size, state));
      inputs.push({ values: (await real.data()) as Float32Array, rows: batch.count });
      real.dispose();
      inputs.push({ values: latentValues(rng, batch.count, latent), rows: batch.count });
      if (penalty)
        inputs.push({ values: rng.fillUniform(new Float32Array(batch.count), 0, 1), rows: batch.count });
      last = batch.count;
    }
    inputs.push({ values: latentValues(rng, last, latent), rows: last });
    return inputs;
  },
};
