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
import { ExportError, networkClass } from '../../export/pytorchNetworks';
import { layersPy } from '../../export/pytorchRuntime';
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

function modelPy(model: ResolvedModel): string {
  const { generator, discriminator, generator2, discriminator2 } = model.networks;
  if (!generator || !discriminator || !generator2 || !discriminator2)
    throw new ExportError(`${model.name} needs both stages' generators and discriminators`);
  const spec = stackganSpec(model);
  const [h, w, c] = model.data[0].shape;
  return [
    `"""The networks of ${model.name}, from ${model.name}.gan, in PyTorch (GAN Studio's torch engine).`,
    '',
    'Tensors are channels-first here (N, C, H, W); the comments give the .gan file\'s height×width×channels."""',
    layersPy([generator, discriminator, generator2, discriminator2]),
    `IMAGE_SHAPE = (${c}, ${h}, ${w})  # stage II: channels, height, width`,
    `LOW_SHAPE = (${c}, ${spec.low[0]}, ${spec.low[1]})  # stage I`,
    `VOCABULARY = ${spec.vocab + 1}  # the bag of words' width (the vocabulary + unknown words)`,
    `EMBED = ${spec.embed}  # the text embedding`,
    `AUGMENT = ${spec.augment}  # the conditioning code`,
    '',
    '',
    networkClass(
      generator,
      'Generator',
      'Stage I: noise and the conditioning code to a low-resolution image.',
    ),
    '',
    '',
    networkClass(
      discriminator,
      'Discriminator',
      'Stage I: an image with the caption code as planes to one logit.',
    ),
    '',
    '',
    networkClass(
      generator2,
      'Generator2',
      'Stage II: the stage-I image with the code as planes to the full size.',
    ),
    '',
    '',
    networkClass(
      discriminator2,
      'Discriminator2',
      'Stage II: an image with the caption code as planes to one logit.',
    ),
    '',
  ].join('\n');
}

function enginePy(model: ResolvedModel): string {
  const spec = stackganSpec(model);
  const opt = model.optimizers;
  const pick = (...specs: (typeof opt.generator)[]) => specs.find((s) => s);
  return String.raw`STAGE1 = ${spec.stage1Steps}  # steps of stage I before stage II
KL = ${spec.kl}  # the augmentation's KL weight


def bce(logits, target):
    return F.binary_cross_entropy_with_logits(logits, torch.full_like(logits, target))


def with_planes(images, code):
    """The code joined to the images as constant planes after their channels."""
    return torch.cat([images, code[:, :, None, None].expand(-1, -1, images.shape[2], images.shape[3])], 1)


def augment(net, embedding, eps):
    """Conditioning augmentation: c = mu + sigma * eps around the embedding, and its KL to N(0, I)."""
    out = net(embedding)
    mu, log_var = out[:, :AUGMENT], out[:, AUGMENT:].clamp(-10, 10)
    code = mu + (0.5 * log_var).exp() * eps
    return code, 0.5 * (mu.square() + log_var.exp() - 1 - log_var).sum(1).mean()


def parameters(*modules):
    return [p for m in modules for p in m.parameters()]


class FamilyEngine(Engine):
    def build(self):
        for name, module in (("generator", Generator()), ("discriminator", Discriminator()),
                             ("generator2", Generator2()), ("discriminator2", Discriminator2()),
                             ("text_encoder", nn.Linear(VOCABULARY, EMBED, bias=False)),
                             ("augment1", nn.Linear(EMBED, 2 * AUGMENT)), ("augment2", nn.Linear(EMBED, 2 * AUGMENT)),
                             ("text_code1", nn.Linear(EMBED, AUGMENT)), ("text_code2", nn.Linear(EMBED, AUGMENT))):
            self.network(name, module)
        n = self.networks
        # What each update trains: stage I's critic trains the text encoder too.
        self.trains = {
            "generator": ("generator", "augment1"),
            "discriminator": ("discriminator", "text_code1", "text_encoder"),
            "generator2": ("generator2", "augment2"),
            "discriminator2": ("discriminator2", "text_code2"),
        }
        self.optimizers["generator"] = ${optimizerPy(pick(opt.generator, opt.discriminator), 'parameters(n["generator"], n["augment1"])')}
        self.optimizers["discriminator"] = ${optimizerPy(pick(opt.discriminator, opt.generator), 'parameters(n["discriminator"], n["text_code1"], n["text_encoder"])')}
        self.optimizers["generator2"] = ${optimizerPy(pick(opt.generator2, opt.generator, opt.discriminator), 'parameters(n["generator2"], n["augment2"])')}
        self.optimizers["discriminator2"] = ${optimizerPy(pick(opt.discriminator2, opt.discriminator, opt.generator), 'parameters(n["discriminator2"], n["text_code2"])')}

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
  modelPy,
  enginePy,
  imports: () => [
    'AUGMENT',
    'EMBED',
    'IMAGE_SHAPE',
    'LOW_SHAPE',
    'VOCABULARY',
    'Discriminator',
    'Discriminator2',
    'Generator',
    'Generator2',
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
