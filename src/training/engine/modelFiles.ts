// Networks on disk in the TensorFlow.js layers format (model.json + weights.bin), through node:fs:
// @tensorflow/tfjs without tfjs-node has no file:// handler.
import * as tf from '@tensorflow/tfjs';
import type { NamedTensor } from '@tensorflow/tfjs-core/dist/tensor_types';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

function joinWeightData(data: tf.io.WeightData): ArrayBuffer {
  return Array.isArray(data) ? tf.io.CompositeArrayBuffer.join(data) : data;
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}

/** An IOHandler reading and writing `dir/model.json` and `dir/weights.bin`. */
export function directoryIO(dir: string): tf.io.IOHandler {
  return {
    save: async (artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> => {
      mkdirSync(dir, { recursive: true });
      const weights = artifacts.weightData ? joinWeightData(artifacts.weightData) : new ArrayBuffer(0);
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology ?? {},
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? 'GAN Studio',
        convertedBy: null,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
      };
      writeFileSync(join(dir, WEIGHTS_BIN), new Uint8Array(weights));
      writeFileSync(join(dir, MODEL_JSON), JSON.stringify(modelJson));
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          weightDataBytes: weights.byteLength,
        },
      };
    },
    load: async (): Promise<tf.io.ModelArtifacts> => {
      const modelJson = JSON.parse(readFileSync(join(dir, MODEL_JSON), 'utf8')) as tf.io.ModelJSON;
      const weightSpecs = modelJson.weightsManifest.flatMap((group) => group.weights);
      return {
        modelTopology: modelJson.modelTopology,
        format: modelJson.format,
        generatedBy: modelJson.generatedBy,
        weightSpecs,
        weightData: toArrayBuffer(readFileSync(join(dir, WEIGHTS_BIN))),
      };
    },
  };
}

export async function saveNetwork(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(directoryIO(dir));
}

/** Restores weights saved by saveNetwork into an already compiled model of the same architecture. */
export async function loadNetworkWeights(model: tf.LayersModel, dir: string): Promise<void> {
  const handler = directoryIO(dir);
  if (!handler.load) throw new Error('directoryIO has no load');
  const artifacts = await handler.load();
  const specs = artifacts.weightSpecs ?? [];
  const data = artifacts.weightData ? joinWeightData(artifacts.weightData) : new ArrayBuffer(0);
  const named = tf.io.decodeWeights(data, specs);
  const targets = model.weights;
  if (specs.length !== targets.length)
    throw new Error(`checkpoint ${dir} holds ${specs.length} weights; the network has ${targets.length}`);
  // Names differ between processes (tfjs makes them unique per process), the order does not.
  specs.forEach((spec, i) => {
    const target = targets[i];
    const value = named[spec.name];
    if (!value || value.shape.join('x') !== target.shape.join('x'))
      throw new Error(
        `checkpoint weight ${spec.name} has shape [${value?.shape}], expected [${target.shape}]`,
      );
    target.write(value);
  });
  for (const tensor of Object.values(named)) tensor.dispose();
}

/** Named tensors (optimizer slots) as weights.bin + a JSON manifest. */
export async function saveTensors(tensors: NamedTensor[], dir: string, name: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const { data, specs } = await tf.io.encodeWeights(tensors);
  writeFileSync(join(dir, `${name}.bin`), new Uint8Array(joinWeightData(data)));
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(specs));
}

export function loadTensors(dir: string, name: string): NamedTensor[] {
  const specs = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as tf.io.WeightsManifestEntry[];
  const named = tf.io.decodeWeights(toArrayBuffer(readFileSync(join(dir, `${name}.bin`))), specs);
  return specs.map((spec) => ({ name: spec.name, tensor: named[spec.name] }));
}
