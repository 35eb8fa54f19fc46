// pixelcnn on the torch engine: the TensorFlow.js family's step (engine/families/pixelcnn.ts) —
// the exact negative log-likelihood of the quantized batch under a softmax over the levels or the
// discretised logistic mixture (pixelcnnMixture.ts, with its log-space bin masses), optionally
// given each image's class. Quantizing (stochastic binarisation draws from the trainer's stream)
// happens in Node, so both engines see the same levels.
import type { ResolvedModel } from '../../../language/model';
import { batchLabels } from '../../engine/families/pixelcnnCondition';
import { quantize } from '../../engine/families/pixelcnn';
import { pixelcnnModelPy, pixelcnnNllPy } from '../../export/pytorchPixelcnn';
import { optimizerPy } from '../../export/pytorchTrain';
import type { StepInput, TorchPort } from './port';

function enginePy(model: ResolvedModel): string {
  const conditional = model.condition !== null;
  return String.raw`${pixelcnnNllPy(model)}


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
  modelPy: (model) => pixelcnnModelPy(model, `${model.name}.gan`),
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
