// stackgan on the torch engine: the TensorFlow.js family's step (engine/families/stackgan.ts) —
// until `stage1 steps` stage I (its critic also trains the text encoder), then stage II with
// stage I, its augmentation and the encoder frozen; matching-aware critics on real, fake and
// real-with-the-wrong-caption pairs; conditioning augmentation with its KL term. Captions become
// bags of words in Node with the run's vocabulary (saved with every checkpoint, as on TensorFlow.js),
// and stage I's real images are resized there by the TensorFlow.js family's own resize.
import * as tf from '@tensorflow/tfjs';
import type { ResolvedModel } from '../../../language/model';
import { imageTensor } from '../../engine/families/family';
import { StackganFamily, stackganSpec, wrongCaptions } from '../../engine/families/stackgan';
import { latentValues } from '../../engine/noise';
import { resizeImages } from '../../engine/resize';
import { stackganModelPy, stackganOptimizers, stackganPiecesPy } from '../../export/pytorchStackgan';
import { optimizerPy } from '../../export/pytorchTrain';
import type { TorchPort } from './port';

const NETWORKS = [
  'generator',
  'discriminator',
  'generator2',
  'discriminator2',
  'text_encoder',
  'augment1',
  'augment2',
  'text_code1',
  'text_code2',
] as const;

function enginePy(model: ResolvedModel): string {
  const optimizers = stackganOptimizers(model);
  return String.raw`${stackganPiecesPy(model)}


class FamilyEngine(Engine):
    def build(self):
        for name, module in (("generator", Generator()), ("discriminator", Discriminator()),
                             ("generator2", Generator2()), ("discriminator2", Discriminator2()),
                             *text_networks().items()):
            self.network(name, module)
        n = self.networks
        # What each update trains: stage I's critic trains the text encoder too.
        self.trains = {
            "generator": ("generator", "augment1"),
            "discriminator": ("discriminator", "text_code1", "text_encoder"),
            "generator2": ("generator2", "augment2"),
            "discriminator2": ("discriminator2", "text_code2"),
        }
        self.optimizers["generator"] = ${optimizerPy(optimizers.generator, 'parameters(n["generator"], n["augment1"])')}
        self.optimizers["discriminator"] = ${optimizerPy(optimizers.discriminator, 'parameters(n["discriminator"], n["text_code1"], n["text_encoder"])')}
        self.optimizers["generator2"] = ${optimizerPy(optimizers.generator2, 'parameters(n["generator2"], n["augment2"])')}
        self.optimizers["discriminator2"] = ${optimizerPy(optimizers.discriminator2, 'parameters(n["discriminator2"], n["text_code2"])')}

    def update_with(self, name, loss):
        return self.update(self.optimizers[name], loss, *(self.networks[m] for m in self.trains[name]))

    def draw(self, z, embedding, eps1, eps2, first):
        """The stage's images and the KL of the augmentation that drew them; stage I runs in inference
        mode once frozen."""
        g1 = self.trained("generator")
        g1.train(first)
        code1, kl = augment(self.trained("augment1"), embedding, eps1)
        images = g1(torch.cat([z, code1], 1))
        if not first:
            code2, kl = augment(self.trained("augment2"), embedding, eps2)
            images = self.trained("generator2")(with_planes(images, code2))
        return images, kl

    def step(self, inputs, step):
        first = step < STAGE1
        real = self.images(next(inputs), LOW_SHAPE if first else IMAGE_SHAPE)
        right, wrong = next(inputs).to(self.device), next(inputs).to(self.device)
        z, eps1, eps2 = (next(inputs).to(self.device) for _ in range(3))
        encoder = self.trained("text_encoder")
        critic = self.trained("discriminator" if first else "discriminator2")
        compress = self.trained("text_code1" if first else "text_code2")
        with torch.no_grad():
            fake, _ = self.draw(z, encoder(right), eps1, eps2, first)
        code, code_wrong = compress(encoder(right)), compress(encoder(wrong))
        on_real = critic(with_planes(real, code))
        on_fake = critic(with_planes(fake, code))
        on_wrong = critic(with_planes(real, code_wrong))
        d_loss = bce(on_real, 1.0) + 0.5 * (bce(on_fake, 0.0) + bce(on_wrong, 0.0))
        d_name, g_name = ("discriminator", "generator") if first else ("discriminator2", "generator2")
        d_norm = self.update_with(d_name, d_loss)
        embedding = encoder(right)
        images, kl = self.draw(z, embedding, eps1, eps2, first)
        g_loss = bce(critic(with_planes(images, compress(embedding))), 1.0) + KL * kl
        g_norm = self.update_with(g_name, g_loss)
        means = {"g_loss": g_loss, "d_loss": d_loss, "kl": kl, "d_real": torch.sigmoid(on_real).mean(),
                 "d_fake": torch.sigmoid(on_fake).mean(), "d_wrong": torch.sigmoid(on_wrong).mean(),
                 "stage": torch.tensor(1.0 if first else 2.0)}
        return self.report(means, {"grad_norm/" + d_name: d_norm, "grad_norm/" + g_name: g_norm})`;
}

export const stackganPort: TorchPort = {
  pushed: NETWORKS,
  modelPy: (model) => stackganModelPy(model, `${model.name}.gan`),
  enginePy,
  imports: () => [
    'AUGMENT',
    'IMAGE_SHAPE',
    'LOW_SHAPE',
    'Discriminator',
    'Discriminator2',
    'Generator',
    'Generator2',
    'text_networks',
  ],
  async stepInputs({ model, sources, rng }, step, inner) {
    if (!(inner instanceof StackganFamily)) throw new Error('the stackgan port needs the stackgan family');
    const latent = model.latent;
    if (!latent) throw new Error(`model ${model.name} has no latent`);
    const source = sources[0];
    const batch = await source.next();
    if (!batch.captions) throw new Error('the data gave images without captions');
    const spec = stackganSpec(model);
    const n = batch.count;
    // The TensorFlow.js family's order: z, then each augmentation's ε.
    const z = latentValues(rng, n, latent);
    const eps1 = rng.fillNormal(new Float32Array(n * spec.augment));
    const eps2 = rng.fillNormal(new Float32Array(n * spec.augment));
    let real = batch.images;
    if (step < spec.stage1Steps) {
      const scale = model.data[0].scale;
      const low = tf.tidy(() =>
        resizeImages(imageTensor(batch, source.shape), spec.low[0], spec.low[1], 'area').clipByValue(
          scale[0],
          scale[1],
        ),
      );
      real = (await low.data()) as Float32Array;
      low.dispose();
    }
    return [
      { values: real, rows: n },
      { values: inner.wordBags(batch.captions), rows: n },
      { values: inner.wordBags(wrongCaptions(batch.captions)), rows: n },
      { values: z, rows: n },
      { values: eps1, rows: n },
      { values: eps2, rows: n },
    ];
  },
};
