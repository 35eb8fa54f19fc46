// cyclegan on the torch engine: the TensorFlow.js family's step (engine/families/cyclegan.ts) —
// both generators against both discriminators plus the cycle and identity L1 terms in one update,
// then both discriminators on their domain's real images and the step's translations, halved.
import type { ResolvedModel } from '../../../language/model';
import { cycleganLossPy, cycleganModelPy, cycleganOptimizers } from '../../export/pytorchCyclegan';
import { optimizerPy } from '../../export/pytorchTrain';
import type { TorchPort } from './port';

const NETWORKS = ['g_ab', 'g_ba', 'd_a', 'd_b'] as const;

function enginePy(model: ResolvedModel): string {
  const optimizers = cycleganOptimizers(model);
  return [
    cycleganLossPy(model),
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
    `        self.optimizers["generator"] = ${optimizerPy(optimizers.generators, 'generators')}`,
    `        self.optimizers["discriminator"] = ${optimizerPy(optimizers.discriminators, 'discriminators')}`,
    '',
    '    def step(self, inputs, step):',
    '        a, b = self.images(next(inputs)), self.images(next(inputs))',
    '        g_ab, g_ba, d_a, d_b = (self.trained(n) for n in ("g_ab", "g_ba", "d_a", "d_b"))',
    '        g_loss, cycle, identity, fake_a, fake_b = generator_objective(g_ab, g_ba, d_a, d_b, a, b)',
    '        g_norm = self.update(self.optimizers["generator"], g_loss, self.networks["g_ab"], self.networks["g_ba"])',
    '        d_loss, loss_a, loss_b = critic_objective(d_a, d_b, a, b, fake_a, fake_b)',
    '        d_norm = self.update(self.optimizers["discriminator"], d_loss, self.networks["d_a"], self.networks["d_b"])',
    '        means = {"g_loss": g_loss, "d_loss": d_loss, "cycle": cycle, "identity": identity, "d_a": loss_a, "d_b": loss_b}',
    '        return self.report(means, {"grad_norm/generator": g_norm, "grad_norm/discriminator": d_norm})',
  ].join('\n');
}

export const cycleganPort: TorchPort = {
  pushed: NETWORKS,
  modelPy: (model) => cycleganModelPy(model, `${model.name}.gan`),
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
