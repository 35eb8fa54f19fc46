// cyclegan on the torch engine: the TensorFlow.js family's step (engine/families/cyclegan.ts) —
// both generators against both discriminators plus the cycle and identity L1 terms in one update,
// then both discriminators on their domain's real images and the step's translations, halved.
import type { ResolvedModel } from '../../../language/model';
import { ExportError, networkClass } from '../../export/pytorchNetworks';
import { optimizerPy } from '../../export/pytorchTrain';
import { layersPy } from '../../export/pytorchRuntime';
import type { TorchPort } from './port';

const NETWORKS = ['g_ab', 'g_ba', 'd_a', 'd_b'] as const;

function modelPy(model: ResolvedModel): string {
  const { generator, discriminator } = model.networks;
  if (!generator || !discriminator)
    throw new ExportError(`${model.name} needs a generator and a discriminator`);
  const [h, w, c] = model.data[0].shape;
  return [
    `"""The networks of ${model.name}, from ${model.name}.gan, in PyTorch (GAN Studio's torch engine):`,
    'each is built twice, G_ab and G_ba, D_a and D_b.',
    '',
    'Tensors are channels-first here (N, C, H, W); the comments give the .gan file\'s height×width×channels."""',
    layersPy([generator, discriminator]),
    `IMAGE_SHAPE = (${c}, ${h}, ${w})  # channels, height, width (both domains)`,
    '',
    '',
    networkClass(generator, 'Generator', "An image of one domain to the other's."),
    '',
    '',
    networkClass(
      discriminator,
      'Discriminator',
      'An image to its realness scores (a patch map, or one score).',
    ),
    '',
  ].join('\n');
}

const ADVERSARIAL: Readonly<Record<string, { g: string; d: string }>> = {
  lsgan: {
    g: '(out - 1).square().mean()',
    d: '0.5 * ((real_out - 1).square().mean() + fake_out.square().mean())',
  },
  nonsaturating: {
    g: 'F.binary_cross_entropy_with_logits(out, torch.ones_like(out))',
    d: '0.5 * (F.binary_cross_entropy_with_logits(real_out, torch.ones_like(real_out)) + F.binary_cross_entropy_with_logits(fake_out, torch.zeros_like(fake_out)))',
  },
};

function enginePy(model: ResolvedModel): string {
  const loss = ADVERSARIAL[model.loss.kind];
  if (!loss)
    throw new ExportError(
      `the PyTorch engine's cyclegan takes lsgan or nonsaturating, not ${model.loss.kind}`,
    );
  const weight = (name: string, fallback: number): number => {
    const value = model.loss.params[name];
    return typeof value === 'number' ? value : fallback;
  };
  const g = model.optimizers.generator ?? model.optimizers.discriminator;
  const d = model.optimizers.discriminator ?? g;
  return [
    `CYCLE = ${weight('cycle', 10)}  # the cycle term's weight`,
    `IDENTITY = ${weight('identity', 5)}  # the identity term's weight; 0: none`,
    '',
    '',
    'def generator_loss(out):',
    `    return ${loss.g}`,
    '',
    '',
    'def discriminator_loss(real_out, fake_out):',
    `    return ${loss.d}`,
    '',
    '',
    'def l1(a, b):',
    '    return (a - b).abs().mean()',
    '',
    '',
    'class FamilyEngine(Engine):',
    '    def build(self):',
    '        for name in ("g_ab", "g_ba"):',
    '            self.network(name, Generator())',
    '        for name in ("d_a", "d_b"):',
    '            self.network(name, Discriminator())',
    '        generators = [p for n in ("g_ab", "g_ba") for p in self.networks[n].parameters()]',
    '        discriminators = [p for n in ("d_a", "d_b") for p in self.networks[n].parameters()]',
    `        self.optimizers["generator"] = ${optimizerPy(g, 'generators')}`,
    `        self.optimizers["discriminator"] = ${optimizerPy(d, 'discriminators')}`,
    '',
    '    def step(self, inputs, step):',
    '        a, b = self.images(next(inputs)), self.images(next(inputs))',
    '        g_ab, g_ba, d_a, d_b = (self.trained(n) for n in ("g_ab", "g_ba", "d_a", "d_b"))',
    "        # The TensorFlow.js family's order of calls (batch norms' running statistics follow it).",
    '        fake_b, fake_a = g_ab(a), g_ba(b)',
    '        adversarial = generator_loss(d_b(fake_b)) + generator_loss(d_a(fake_a))',
    '        cycle = l1(g_ba(fake_b), a) + l1(g_ab(fake_a), b)',
    '        g_loss = adversarial + CYCLE * cycle',
    '        identity = torch.zeros((), device=self.device)',
    '        if IDENTITY > 0:',
    '            identity = l1(g_ba(a), a) + l1(g_ab(b), b)',
    '            g_loss = g_loss + IDENTITY * identity',
    '        g_norm = self.update(self.optimizers["generator"], g_loss, self.networks["g_ab"], self.networks["g_ba"])',
    '        fake_a, fake_b = fake_a.detach(), fake_b.detach()',
    '        loss_a = discriminator_loss(d_a(a), d_a(fake_a))',
    '        loss_b = discriminator_loss(d_b(b), d_b(fake_b))',
    '        d_loss = loss_a + loss_b',
    '        d_norm = self.update(self.optimizers["discriminator"], d_loss, self.networks["d_a"], self.networks["d_b"])',
    '        means = {"g_loss": g_loss, "d_loss": d_loss, "cycle": cycle, "identity": identity, "d_a": loss_a, "d_b": loss_b}',
    '        return self.report(means, {"grad_norm/generator": g_norm, "grad_norm/discriminator": d_norm})',
  ].join('\n');
}

export const cycleganPort: TorchPort = {
  pushed: NETWORKS,
  modelPy,
  enginePy,
  imports: () => ['IMAGE_SHAPE', 'Discriminator', 'Generator'],
  async stepInputs({ sources }) {
    const [a, b] = await Promise.all([sources[0].next(), sources[1].next()]);
    return [
      { values: a.images, rows: a.count },
      { values: b.images, rows: b.count },
    ];
  },
};
