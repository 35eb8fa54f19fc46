// pixelcnn on the torch engine: the TensorFlow.js family's step (engine/families/pixelcnn.ts) —
// the exact negative log-likelihood of the quantized batch under a softmax over the levels or the
// discretised logistic mixture (pixelcnnMixture.ts, with its log-space bin masses), optionally
// given each image's class. Quantizing (stochastic binarisation draws from the trainer's stream)
// happens in Node, so both engines see the same levels.
import type { ResolvedModel } from '../../../language/model';
import { couplings } from '../../../language/families/pixelcnnOutput';
import { batchLabels } from '../../engine/families/pixelcnnCondition';
import { quantize } from '../../engine/families/pixelcnn';
import { MIN_LOG_SCALE } from '../../engine/families/pixelcnnMixture';
import { ExportError, networkClass } from '../../export/pytorchNetworks';
import { layersPy } from '../../export/pytorchRuntime';
import { optimizerPy } from '../../export/pytorchTrain';
import type { StepInput, TorchPort } from './port';

function modelPy(model: ResolvedModel): string {
  const network = model.networks.network;
  if (!network || !model.levels) throw new ExportError(`${model.name} needs a network and levels`);
  const [h, w, c] = model.data[0].shape;
  const classes = model.condition?.classes ?? null;
  return [
    `"""The network of ${model.name}, from ${model.name}.gan, in PyTorch (GAN Studio's torch engine).`,
    '',
    'Tensors are channels-first here (N, C, H, W); the comments give the .gan file\'s height×width×channels."""',
    layersPy([network]),
    `IMAGE_SHAPE = (${c}, ${h}, ${w})  # channels, height, width`,
    ...(classes === null
      ? []
      : [`CLASSES = ${classes}  # each PixelCNN layer adds a learned bias per class`]),
    '',
    '',
    networkClass(
      network,
      'Network',
      `An image to every pixel's distribution given the pixels before it${classes === null ? '' : ' and the class'}.`,
      classes === null ? 'none' : 'classbias',
    ),
    '',
  ].join('\n');
}

function enginePy(model: ResolvedModel): string {
  const levels = model.levels;
  if (!levels) throw new ExportError(`${model.name} has no levels`);
  const [h, w, c] = model.data[0].shape;
  const conditional = model.condition !== null;
  const pairs = couplings(c).map(([earlier, later]) => `(${earlier}, ${later})`);
  return String.raw`LEVELS = ${levels.levels}
MIXTURES = ${levels.output === 'logistic' ? levels.mixtures : 0}  # 0: a softmax over the levels
COUPLINGS = [${pairs.join(', ')}]  # (earlier, later) channel pairs whose coefficient shifts the later mean
MIN_LOG_SCALE = ${MIN_LOG_SCALE}
SERIES_BELOW = 0.01
DIMS = ${h * w * c}


def softplus(x):
    return torch.relu(x) + torch.log1p(torch.exp(-x.abs()))


def log1m_exp(d, log_d):
    """log(1 - exp(-d)): its series where the bin is narrow against the scale, else through expm1."""
    series = log_d - d / 2 + d.square() / 24
    direct = torch.log(-torch.expm1(-d.clamp(min=SERIES_BELOW)))
    return torch.where(d >= SERIES_BELOW, direct, series)


def mixture_log_prob(params, targets):
    """log p of every pixel under the discretised logistic mixture (PixelCNN++), each bin's mass in log space."""
    n, channels, k = params.shape[0], targets.shape[1], MIXTURES
    x = targets.float() * (2 / (LEVELS - 1)) - 1
    means = params[:, k : k + channels * k].reshape(n, channels, k)
    log_s = params[:, k + channels * k : k + 2 * channels * k].reshape(n, channels, k).clamp(min=MIN_LOG_SCALE)
    if COUPLINGS:
        start = k + 2 * channels * k
        coef = params[:, start : start + len(COUPLINGS) * k].reshape(n, len(COUPLINGS), k).tanh()
        shifts = []
        for c in range(channels):
            shift = torch.zeros(n, 1, k, device=params.device)
            for j, (earlier, later) in enumerate(COUPLINGS):
                if later == c:
                    shift = shift + coef[:, j : j + 1] * x[:, earlier].reshape(n, 1, 1)
            shifts.append(shift)
        means = means + torch.cat(shifts, 1)
    half = 1 / (LEVELS - 1)
    centered = x.reshape(n, channels, 1) - means
    inv_s = torch.exp(-log_s)
    below = -softplus(-(inv_s * (centered + half)))
    above = -softplus(inv_s * (centered - half))
    inside = below + above + log1m_exp(inv_s * (2 * half), -log_s + math.log(2 * half))
    level = targets.float().reshape(n, channels, 1)
    log_probs = torch.where(level <= 0, below, torch.where(level >= LEVELS - 1, above, inside))
    return torch.logsumexp(log_probs.sum(1) + F.log_softmax(params[:, :k], dim=1), 1)


def nll_per_image(out, targets):
    """Summed -log p(x) per image (nats); out is N, P, H, W, targets the levels in height, width, channel order."""
    n = out.shape[0]
    flat = out.permute(0, 2, 3, 1).reshape(n * out.shape[2] * out.shape[3], -1)
    if MIXTURES:
        return -mixture_log_prob(flat, targets.reshape(flat.shape[0], -1)).reshape(n, -1).sum(1)
    logp = F.log_softmax(flat.reshape(-1, LEVELS), dim=1)
    return -logp.gather(1, targets.reshape(-1, 1)).reshape(n, -1).sum(1)


class FamilyEngine(Engine):
    def build(self):
        self.network("network", Network())
        self.optimizers["network"] = ${optimizerPy(model.optimizers.network, 'self.networks["network"].parameters()')}

    def step(self, inputs, step):
        x = self.images(next(inputs))
        targets = next(inputs).to(self.device)
        network = self.trained("network")
        out = network(x${conditional ? ', next(inputs).reshape(-1).to(self.device)' : ''})
        loss = nll_per_image(out, targets).mean()
        norm = self.update(self.optimizers["network"], loss, self.networks["network"])
        return self.report({"loss": loss, "bits_per_dim": loss / (DIMS * math.log(2))}, {"grad_norm/network": norm})`;
}

export const pixelcnnPort: TorchPort = {
  pushed: ['network'],
  modelPy,
  enginePy,
  imports: (model) => [...(model.condition ? ['CLASSES'] : []), 'IMAGE_SHAPE', 'Network'],
  async stepInputs({ model, sources, rng }) {
    const levels = model.levels;
    if (!levels) throw new Error(`model ${model.name} has no levels`);
    const batch = await sources[0].next();
    const q = quantize(batch.images, model.data[0].scale, levels, rng);
    const top = levels.levels - 1;
    const inputs: StepInput[] = [
      // The network reads the levels as values in [0, 1], as the TensorFlow.js family feeds them.
      { values: Float32Array.from(q, (level) => level / top), rows: batch.count },
      { values: q, rows: batch.count },
    ];
    const labels = batchLabels(model, batch);
    if (labels) inputs.push({ values: labels, rows: batch.count });
    return inputs;
  },
};
