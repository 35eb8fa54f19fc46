// `gan export --to pytorch`: a standalone PyTorch project for one model — model.py (the networks),
// data.py and data/ (the training images as bytes), run_folder.py (GAN Studio's run folder),
// train.py (single process or torchrun/DDP), model.gan and a README. Depends on PyTorch alone.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  DiscriminatorConditioning,
  FamilyName,
  GeneratorConditioning,
  ResolvedModel,
} from '../../language/model';
import { ExportError, networkClass, type LabelInput } from './pytorchNetworks';
import { layersPy, RUN_FOLDER_PY } from './pytorchRuntime';
import { trainScript, unsupportedTrainSettings, type TrainScriptInputs } from './pytorchTrain';
import { cycleganModelPy, cycleganTrainScript } from './pytorchCyclegan';
import { pixelcnnModelPy, pixelcnnTrainScript } from './pytorchPixelcnn';
import { proganModelPy, proganTrainScript } from './pytorchProgan';
import { captionsTxt, stackganModelPy, stackganTrainScript } from './pytorchStackgan';
import { videoModelPy, videoTrainScript } from './pytorchVideo';
import { srganLowResolution, srganModelPy, srganTrainScript } from './pytorchSrgan';
import { vaeModelPy, vaeTrainScript } from './pytorchVae';

export { ExportError } from './pytorchNetworks';

/** The training images of one data section as the export stores them: count × height × width ×
 *  channels bytes in data/<name>.u8. */
export interface ExportedImages {
  /** "images" for a model's one data section; a cyclegan's domain ("a", "b") for each of its two. */
  readonly name: string;
  readonly count: number;
  /** Images per training item: a clip's frames (consecutive), or 1. */
  readonly frames?: number;
  readonly shape: readonly [number, number, number];
  readonly bytes: Uint8Array;
  /** Each image's class (one byte each) when the model is conditional; null otherwise. */
  readonly labels: Uint8Array | null;
  /** Each image's caption when the family is text-conditioned (stackgan); null otherwise. */
  readonly captions?: readonly string[] | null;
}

export interface PytorchExport {
  readonly model: ResolvedModel;
  /** The .gan file as the user names it, for the generated files' headers. */
  readonly sourceFile: string;
  /** One part per data section, in the file's order. */
  readonly images: readonly ExportedImages[];
  /** The budget in steps (epochs converted with the first section's images). */
  readonly steps: number;
}

/** Steps of a model's budget: `steps`, or `epochs` × full batches of the exported items (images or clips). */
export function budgetSteps(model: ResolvedModel, itemCount: number): number {
  if (model.train.steps !== null) return model.train.steps;
  const perEpoch = Math.floor(itemCount / model.data[0].batch / model.train.dSteps);
  return (model.train.epochs ?? 1) * Math.max(1, perEpoch);
}

/** Why the model cannot be exported (empty: it can), checked before any data is read. */
export function exportProblems(model: ResolvedModel): string[] {
  return unsupportedTrainSettings(model);
}

const GENERATOR_LABELS: Readonly<Record<GeneratorConditioning, LabelInput>> = {
  onehot: 'onehot',
  embed: 'embed',
  batchnorm: 'batchnorm',
};

const DISCRIMINATOR_LABELS: Readonly<Record<DiscriminatorConditioning, LabelInput>> = {
  planes: 'planes',
  embed: 'embedplane',
  projection: 'projection',
};

/** One exported family: its model.py, its train.py, and what its networks are (the README's table). */
interface ExportedFamily {
  readonly modelPy: (model: ResolvedModel, sourceFile: string) => string;
  readonly trainPy: (inputs: TrainScriptInputs) => string;
  readonly networks: string;
  /** Whether the images' captions travel too (data/captions.txt). */
  readonly captions?: boolean;
  /** Further data parts made from the exported images (srgan: GAN Studio's low-resolution inputs). */
  readonly derivedParts?: (
    model: ResolvedModel,
    images: readonly ExportedImages[],
  ) => Promise<ExportedImages[]>;
}

const ADVERSARIAL: ExportedFamily = {
  modelPy: adversarialModelPy,
  trainPy: trainScript,
  networks: 'the generator and discriminator',
};

/** The families `gan export --to pytorch` writes (the language's TORCH_FAMILIES marks them
 *  `exported`; test/training/torch/export.test.ts holds the two equal). */
export const EXPORTED_FAMILIES: Readonly<Record<FamilyName, ExportedFamily | null>> = {
  gan: ADVERSARIAL,
  cgan: ADVERSARIAL,
  vae: { modelPy: vaeModelPy, trainPy: vaeTrainScript, networks: 'the encoder and decoder' },
  cyclegan: {
    modelPy: cycleganModelPy,
    trainPy: cycleganTrainScript,
    networks: 'the generator and discriminator (each built twice, one per direction and domain)',
  },
  srgan: {
    modelPy: srganModelPy,
    trainPy: srganTrainScript,
    networks: 'the generator and discriminator',
    derivedParts: srganLowResolution,
  },
  pixelcnn: { modelPy: pixelcnnModelPy, trainPy: pixelcnnTrainScript, networks: 'the network' },
  progan: {
    modelPy: proganModelPy,
    trainPy: proganTrainScript,
    networks: 'the generator and discriminator, stage by stage with their RGB layers',
  },
  stackgan: {
    modelPy: stackganModelPy,
    trainPy: stackganTrainScript,
    networks: 'both stages’ generators and discriminators, and the text path',
    captions: true,
  },
  video: {
    modelPy: videoModelPy,
    trainPy: videoTrainScript,
    networks: 'the trajectory, the frame generator, and the frame and clip critics',
  },
};

/** Whether the model's family trains on captions, which the export then carries. */
export function exportsCaptions(model: ResolvedModel): boolean {
  return exportedFamily(model).captions === true;
}

function exportedFamily(model: ResolvedModel): ExportedFamily {
  const family = EXPORTED_FAMILIES[model.family];
  if (!family) throw new ExportError(exportProblems(model).join('\n'));
  return family;
}

/** The data parts a family makes from the exported images (none for most). */
export async function derivedParts(
  model: ResolvedModel,
  images: readonly ExportedImages[],
): Promise<ExportedImages[]> {
  return (await exportedFamily(model).derivedParts?.(model, images)) ?? [];
}

export function modelPy(model: ResolvedModel, sourceFile: string): string {
  return exportedFamily(model).modelPy(model, sourceFile);
}

function adversarialModelPy(model: ResolvedModel, sourceFile: string): string {
  const g = model.networks.generator;
  const d = model.networks.discriminator;
  const latent = model.latent?.size;
  if (!g || !d || latent === undefined) throw new ExportError(exportProblems(model).join('; '));
  const [h, w, c] = model.data[0].shape;
  const condition = model.condition;
  const classes = condition?.classes ?? null;
  const gIn: LabelInput = !condition ? 'none' : GENERATOR_LABELS[condition.generator];
  const dIn: LabelInput = !condition ? 'none' : DISCRIMINATOR_LABELS[condition.discriminator];
  const conditioning = gIn === 'onehot' && dIn === 'planes' ? 'default' : 'other';
  return [
    `"""The networks of ${model.name}, from ${sourceFile}, in PyTorch.`,
    '',
    "Tensors are channels-first here (N, C, H, W); the comments give the .gan file's height×width×channels.",
    'Generated by GAN Studio (gan export); each module names the .gan line it comes from."""',
    layersPy([g, d], conditioning),
    `LATENT = ${latent}`,
    `IMAGE_SHAPE = (${c}, ${h}, ${w})  # channels, height, width`,
    ...(!condition
      ? []
      : [
          `CLASSES = ${classes}  # the label: ${condition.generator} at the generator, ${condition.discriminator} at the discriminator`,
          ...(gIn === 'embed' || dIn === 'embedplane'
            ? [`EMBED = ${condition.embed}  # the label embedding`]
            : []),
        ]),
    '',
    '',
    networkClass(
      g,
      'Generator',
      classes === null ? `Noise (${latent}) to an image.` : `Noise (${latent}) and a class to an image.`,
      gIn,
    ),
    '',
    '',
    networkClass(
      d,
      'Discriminator',
      `An image${classes === null ? '' : ' and its class'} to one score per image (a logit, or a critic score).`,
      dIn,
    ),
    '',
  ].join('\n');
}

function dataPy(parts: readonly ExportedImages[]): string {
  const labelled = parts.some((p) => p.labels !== null);
  const captioned = parts.some((p) => p.captions);
  const table = parts.map((p) => `    "${p.name}": (${p.count}, ${p.shape.join(', ')}),`);
  return String.raw`"""The training images, exported from GAN Studio as bytes: data/<part>.u8 holds N×H×W×C bytes,
row-major (one part, "images", or one per domain); data/labels.u8 one class per image, for a
conditional model${captioned ? '; data/captions.txt one caption per image, a line each' : ''}."""
import os

import torch
from torch.utils.data import TensorDataset

PARTS = {  # name: (count, height, width, channels)
${table.join('\n')}
}
LABELLED = ${labelled ? 'True' : 'False'}


def read_bytes(name):
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", name), "rb") as f:
        return torch.frombuffer(bytearray(f.read()), dtype=torch.uint8)


def load_images(scale, part="images"):
    """A part's images as (C, H, W) float tensors in scale = (low, high), with their class when labelled."""
    count, height, width, channels = PARTS[part]
    pixels = read_bytes(part + ".u8").reshape(count, height, width, channels)
    low, high = scale
    images = pixels.permute(0, 3, 1, 2).float().div(255).mul(high - low).add(low)
    if LABELLED:
        return TensorDataset(images, read_bytes("labels.u8").long())
    return TensorDataset(images)
${captioned ? LOAD_CAPTIONS_PY : ''}`;
}

const LOAD_CAPTIONS_PY = String.raw`

def load_captions():
    """Each training image's caption, in the images' order."""
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "captions.txt"), encoding="utf-8") as f:
        return f.read().split("\n")[: PARTS["images"][0]]
`;

function readme(
  model: ResolvedModel,
  sourceFile: string,
  steps: number,
  parts: readonly ExportedImages[],
): string {
  const files = parts.map((p) => `\`data/${p.name}.u8\``).join(', ');
  const what = parts
    .map(
      (p) =>
        `${p.count} ${parts.length > 1 ? `domain-${p.name} ` : ''}training images (${p.shape.join('×')})`,
    )
    .join('; ');
  const batch = model.data[0].batch;
  return `# ${model.name} in PyTorch

Exported by GAN Studio from \`${sourceFile}\` (model \`${model.name}\`, ${model.family} family): the same
networks, loss, optimizers and schedule as the editor trains, in a project that needs only PyTorch.

| file | what |
| --- | --- |
| \`model.py\` | ${exportedFamily(model).networks}, layer by layer, with the \`.gan\` lines they come from |
| \`train.py\` | the training loop: one process, or many under \`torchrun\` (DistributedDataParallel) |
| \`data.py\`, ${files} | the ${what} |
| \`run_folder.py\` | writes a GAN Studio run folder, so the editor opens runs trained here |
| \`model.gan\` | the model as GAN Studio resolved it |

## Train

\`\`\`sh
python train.py                       # ${steps} steps, batch ${batch}; the first GPU, else the CPU
python train.py --steps 500 --runs runs
python train.py --resume runs/${model.name}-YYYYMMDD-HHMMSS
\`\`\`

## Several GPUs, or several machines

The global batch (${batch}) is split evenly over the processes, so every process count trains on the same
images with the same noise. Each network is wrapped in its own \`DistributedDataParallel\`; \`--sync-bn\`
turns batch normalisation into \`SyncBatchNorm\` (statistics over the whole batch, as one process has;
PyTorch runs it on GPUs only). Without it each process normalises over its share of the batch.

\`\`\`sh
torchrun --nproc_per_node=4 train.py --sync-bn                 # 4 GPUs (nccl)
torchrun --nproc_per_node=4 train.py --cpu                     # 4 CPU processes (gloo)

# two machines, 8 GPUs each: run on both, with the first machine's address
torchrun --nnodes=2 --nproc_per_node=8 --rdzv-id=${model.name} --rdzv-backend=c10d \\
  --rdzv-endpoint=HOST_OF_NODE_0:29500 train.py --sync-bn
\`\`\`

(PyTorch 1.13 on Python 3.11, as Debian 12 ships them, needs \`torchrun --redirects 1 --tee 1 …\`: its
launcher cannot parse the default redirect settings on that Python.)

Rank 0 writes the run folder (\`runs/<model>-<time>/\`: run.json, metrics.jsonl, samples/step-NNNNNN.png,
checkpoints-torch/). Copy it into a workspace's \`.gan/runs\` to see its curves and samples in GAN Studio.
`;
}

/** Writes the project into `dir` (created if needed); returns the files written. */
export function writePytorchProject(dir: string, spec: PytorchExport): string[] {
  const problems = exportProblems(spec.model);
  if (problems.length) throw new ExportError(problems.join('\n'));
  const { model, images, sourceFile, steps } = spec;
  const items = images[0].count / (images[0].frames ?? 1);
  const stepsPerEpoch = Math.max(1, Math.floor(items / model.data[0].batch));
  const files: Record<string, string | Uint8Array> = {
    'model.py': modelPy(model, sourceFile),
    'train.py': exportedFamily(model).trainPy({ model, steps, stepsPerEpoch, sourceFile }),
    'data.py': dataPy(images),
    'run_folder.py': RUN_FOLDER_PY,
    'model.gan': model.source,
    'README.md': readme(model, sourceFile, steps, images),
    ...Object.fromEntries(images.map((part) => [`data/${part.name}.u8`, part.bytes])),
    ...(images[0].labels ? { 'data/labels.u8': images[0].labels } : {}),
    ...(images[0].captions ? { 'data/captions.txt': captionsTxt(images[0].captions) } : {}),
  };
  mkdirSync(join(dir, 'data'), { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return Object.keys(files);
}
