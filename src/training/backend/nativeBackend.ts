// @tensorflow/tfjs-node-gpu (CUDA) and @tensorflow/tfjs-node (native CPU): optional, found at run
// time; every failure explains what is missing and how to get it.
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { describeCudaProbe, probeCuda } from './cudaProbe';
import { errorText, loadModule, resolveOptionalModule, type ResolvedModule } from './optionalModules';

export type NativeKind = 'gpu' | 'node';

export const nativePackage: Record<NativeKind, string> = {
  gpu: '@tensorflow/tfjs-node-gpu',
  node: '@tensorflow/tfjs-node',
};

export interface NativeBackendStarted {
  readonly device: string;
  readonly threads: number;
}

/** The part of tfjs-node's backend that says whether TensorFlow found a GPU. */
interface NodeKernelBackend {
  readonly isUsingGpuDevice?: boolean;
}

export async function startNativeBackend(
  kind: NativeKind,
  extraModulePaths: readonly string[],
): Promise<NativeBackendStarted> {
  const module = resolveOptionalModule(nativePackage[kind], extraModulePaths);
  if (!module) throw new Error(notInstalledMessage(kind, extraModulePaths));
  try {
    loadModule(module);
  } catch (error) {
    throw new Error(loadFailedMessage(kind, module, errorText(error)), { cause: error });
  }
  if (!tf.findBackendFactory('tensorflow')) throw new Error(separateCopyMessage(module));
  if (!(await tf.setBackend('tensorflow'))) {
    throw new Error(
      loadFailedMessage(kind, module, 'tf.setBackend("tensorflow") failed (see the log above)'),
    );
  }
  const usingGpu = (tf.backend() as unknown as NodeKernelBackend).isUsingGpuDevice === true;
  if (kind === 'gpu' && !usingGpu) throw new Error(noGpuDeviceMessage(module));
  const version = tf.version_core;
  if (kind === 'gpu') {
    const gpus = probeCuda().gpus;
    return {
      device: `${gpus[0] ?? 'NVIDIA GPU'} (CUDA, tfjs-node-gpu ${module.version ?? version})`,
      threads: 1,
    };
  }
  return {
    device: `CPU (TensorFlow native, tfjs-node ${module.version ?? version})`,
    threads: os.availableParallelism(),
  };
}

export function installCommand(kind: NativeKind): string {
  return `npm install ${nativePackage[kind]}@${tf.version_core}`;
}

const cudaNeeds =
  'It needs Linux x64 or Windows with an NVIDIA driver, CUDA 11.2 and cuDNN 8.1: check `nvidia-smi`, ' +
  '`ldconfig -p | grep libcudart.so.11` and `ldconfig -p | grep libcudnn.so.8`.';

const downloadNote =
  'Its install script downloads libtensorflow 2.9.1 from storage.googleapis.com; without access to it, ' +
  'point TFJS_NODE_CDN_STORAGE or TFJS_NODE_BASE_URI at a mirror before installing.';

function cudaFacts(): string {
  return `On this machine: ${describeCudaProbe(probeCuda()).join('; ')}.`;
}

export function notInstalledMessage(kind: NativeKind, extraModulePaths: readonly string[]): string {
  const where = extraModulePaths.length ? ` (also looked in ${extraModulePaths.join(', ')})` : '';
  const lines = [
    `The '${kind}' backend needs ${nativePackage[kind]}, which is not installed${where}.`,
    `Install it in GAN Studio's folder, or in a folder named by the \`gan.training.modulePath\` setting (for the CLI: the \`GAN_MODULE_PATHS\` environment variable): \`${installCommand(kind)}\`.`,
  ];
  if (kind === 'gpu') lines.push(cudaNeeds, cudaFacts());
  lines.push(downloadNote);
  return lines.join('\n');
}

export function loadFailedMessage(kind: NativeKind, module: ResolvedModule, cause: string): string {
  const lines = [
    `${module.name}${module.version ? ` ${module.version}` : ''} is installed at ${module.dir} but failed to load: ${cause}`,
  ];
  if (kind === 'gpu') {
    lines.push(
      'Usually libtensorflow (deps/lib inside the package) is missing, or the CUDA 11.2 / cuDNN 8.1 libraries it links could not be loaded.',
      cudaNeeds,
      cudaFacts(),
    );
  } else {
    lines.push('Usually its native part (libtensorflow under deps/lib) was not downloaded during install.');
  }
  lines.push(`Reinstall with \`${installCommand(kind)}\` (or \`npm rebuild ${module.name}\`).`, downloadNote);
  return lines.join('\n');
}

function noGpuDeviceMessage(module: ResolvedModule): string {
  return [
    `${module.name} loaded, but TensorFlow found no usable CUDA GPU and would run on the CPU.`,
    cudaNeeds,
    cudaFacts(),
  ].join('\n');
}

function separateCopyMessage(module: ResolvedModule): string {
  return (
    `${module.name} at ${module.dir} loaded its own copy of @tensorflow/tfjs instead of GAN Studio's ` +
    `(${tf.version_core}), so its backend is invisible here. Install ${module.name}@${tf.version_core} ` +
    `in GAN Studio's folder, or next to a matching @tensorflow/tfjs.`
  );
}
