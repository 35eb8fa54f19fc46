// progan on the torch engine: the TensorFlow.js family's step (engine/families/progan.ts) — the
// networks composed up to the current stage with its fade-in α (sent with each step, from the
// growth schedule), real images brought to the stage's size in Node by the TensorFlow.js family's
// own pooling and blend, the critic's drift term, the optimizers renewed when a stage starts, and
// equalised learning rate as that family applies it (each kernel's update scaled by He's constant).
// WGAN-GP's penalty here is the true double backward, where TensorFlow.js differentiates its
// parameter gradient by central differences (see engine/gradientPenalty.ts).
import * as tf from '@tensorflow/tfjs';
import { stagesOf, stageSize } from '../../../language/families/progan';
import { growthAt, stageStart } from '../../../language/families/proganSchedule';
import type { ResolvedLayer, ResolvedModel } from '../../../language/model';
import { imageTensor, numberParam } from '../../engine/families/family';
import { growthScheduleOf, ProganFamily, realImagesAt } from '../../engine/families/progan';
import { latentValues } from '../../engine/noise';
import { ExportError, sequential } from '../../export/pytorchNetworks';
import { layersPy } from '../../export/pytorchRuntime';
import { adversarialLossPy, gradientPenaltyPy, optimizerPy } from '../../export/pytorchTrain';
import type { StepInput, TorchPort } from './port';

/** The leaky ReLU slope after each from-RGB layer (the TensorFlow.js family's). */
const FROM_RGB_SLOPE = 0.2;

function stagesOfRole(model: ResolvedModel, role: 'generator' | 'discriminator'): readonly ResolvedLayer[] {
  const network = model.networks[role];
  const stages = network ? stagesOf(network.layers) : null;
  if (!stages) throw new ExportError(`${model.name}'s ${role} is not made of stages`);
  return stages;
}

function stageList(stages: readonly ResolvedLayer[]): string {
  return stages
    .map((stage) => {
      const [h, w] = stageSize(stage);
      return `            ${sequential(stage.body ?? [], '            ')},  # stage ${h}x${w}`;
    })
    .join('\n');
}

function modelPy(model: ResolvedModel): string {
  const generator = stagesOfRole(model, 'generator');
  // The discriminator's stages in the generator's order: index k works at stage k's size.
  const critic = [...stagesOfRole(model, 'discriminator')].reverse();
  const channels = model.data[0].shape[2];
  const latent = model.latent?.size;
  if (latent === undefined) throw new ExportError(`${model.name} has no latent`);
  const conv1 = (from: number, to: number): string =>
    `Conv2dTF(${from}, ${to}, kernel=1, stride=1, padding="valid", bias=True)`;
  return String.raw`"""The networks of ${model.name}, from ${model.name}.gan, in PyTorch (GAN Studio's torch engine):
progressive, each composed up to the stage in training with the fade-in weights alphas[k].

Tensors are channels-first here (N, C, H, W); the comments give the .gan file's height×width×channels."""
${layersPy([model.networks.generator, model.networks.discriminator])}
LATENT = ${latent}
CHANNELS = ${channels}
IMAGE_SHAPE = (${channels}, ${model.data[0].shape[0]}, ${model.data[0].shape[1]})  # channels, height, width at the data size
STAGES = ${generator.length}
SIZES = [${generator.map((s) => stageSize(s)[0]).join(', ')}]  # each stage's height (and width)


class Generator(nn.Module):
    """Noise (${latent}) through the stages, each with its 1x1 to-RGB convolution."""

    def __init__(self):
        super().__init__()
        self.stages = nn.ModuleList([
${stageList(generator)}
        ])
        self.to_rgb = nn.ModuleList([${generator.map((s) => conv1(s.outputShape[2], channels)).join(', ')}])
        init_like_tensorflow(self)

    def forward(self, z, top, fade_from, alphas):
        """Stages 0..top; from stage fade_from on, each new image blends with the older one upsampled."""
        h = self.stages[0](z)
        image = self.to_rgb[0](h)
        for k in range(1, top + 1):
            before, h = h, self.stages[k](h)
            if k < fade_from:
                continue
            old = F.interpolate(self.to_rgb[k - 1](before) if k == fade_from else image, scale_factor=2, mode="nearest")
            image = old + (self.to_rgb[k](h) - old) * alphas[k]
        return self.to_rgb[top](h) if fade_from > top else image


class Discriminator(nn.Module):
    """An image at stage top's size through a 1x1 from-RGB convolution and the stages down to 4x4."""

    def __init__(self):
        super().__init__()
        self.stages = nn.ModuleList([
${stageList(critic)}
        ])
        self.from_rgb = nn.ModuleList([${critic.map((s) => `nn.Sequential(${conv1(channels, s.inputShape[2])}, nn.LeakyReLU(${FROM_RGB_SLOPE}))`).join(', ')}])
        init_like_tensorflow(self)

    def forward(self, x, top, fade_from, alphas):
        image, features = x, self.from_rgb[top](x)
        for k in range(top, 0, -1):
            out = self.stages[k](features)
            image = F.avg_pool2d(image, 2)
            if k >= fade_from:
                older = self.from_rgb[k - 1](image)
                out = older + (out - older) * alphas[k]
            features = out
        return self.stages[0](features)
`;
}

function enginePy(model: ResolvedModel): string {
  const params = model.loss.params;
  const wasserstein = model.loss.kind === 'wasserstein';
  const g = model.optimizers.generator ?? model.optimizers.discriminator;
  const d = model.optimizers.discriminator ?? g;
  const equalized = model.settings.grow?.equalized_lr !== false;
  const sgd = (spec: typeof g): boolean => spec?.kind === 'sgd';
  return String.raw`D_STEPS = ${model.train.dSteps}
SMOOTHING = 1
EMA = ${model.train.ema ?? 'None'}
GP = ${wasserstein ? numberParam(params, 'gp', 0) : 0}  # WGAN-GP's penalty weight; 0: none
DRIFT = ${wasserstein ? numberParam(params, 'drift', 0) : 0}  # the critic's drift term on real scores
EQUALIZED = ${equalized ? 'True' : 'False'}  # equalised learning rate: kernel updates scaled by He's constant


${gradientPenaltyPy()}


${adversarialLossPy(model.loss.kind)}


def kernel_scales(module, squared):
    """He's constant sqrt(2 / fan-in) for each dense and convolution kernel (squared for SGD, whose
    step scales with the square), as the TensorFlow.js family scales their updates."""
    scales = {}
    for m in module.modules():
        if type(m) is nn.Linear or type(m) is Conv2dTF:
            fan_in = m.weight[0].numel()
        elif type(m) is ConvTranspose2dTF:
            fan_in = m.weight[:, 0].numel()
        else:
            continue
        he = math.sqrt(2 / fan_in)
        scales[m.weight] = he * he if squared else he
    return scales


class FamilyEngine(Engine):
    PARTIAL = True

    def build(self):
        self.generator = self.network("generator", Generator())
        self.discriminator = self.network("discriminator", Discriminator())
        for role, module in (("generator", self.generator), ("discriminator", self.discriminator)):
            for k in range(STAGES):
                self.parts["%s.stage%d" % (role, k)] = module.stages[k]
                self.parts["%s.rgb%d" % (role, k)] = (module.to_rgb if role == "generator" else module.from_rgb)[k]
        self.scales = {}
        if EQUALIZED:
            self.scales.update(kernel_scales(self.generator, ${sgd(g) ? 'True' : 'False'}))
            self.scales.update(kernel_scales(self.discriminator, ${sgd(d) ? 'True' : 'False'}))
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
        """One update as the TensorFlow.js family makes it: every parameter steps (the ones this stage
        does not reach with a zero gradient, so the optimizer's step count is the network's), and
        each reached kernel's move is scaled by its He constant."""
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        reached = [p for p in module.parameters() if p.grad is not None]
        norm = torch.stack([p.grad.norm() for p in reached]).norm()
        for p in module.parameters():
            if p.grad is None:
                p.grad = torch.zeros_like(p)
        before = {p: p.detach().clone() for p in reached if p in self.scales}
        optimizer.step()
        with torch.no_grad():
            for p, old in before.items():
                p.copy_(old + (p - old) * self.scales[p])
        return norm

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
  modelPy,
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
    const size = stageSize(stagesOfRole(model, 'generator')[state.stage]);
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
