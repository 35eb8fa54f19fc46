// The torch engine as a training family: the model's own TensorFlow.js family keeps the networks
// the rest of GAN Studio reads (checkpoints in the layers format, sample grids, evaluation, the
// preview), while every training step runs in PyTorch (engineProcess.ts). The TensorFlow.js copies
// start from the same initial weights, and take PyTorch's weights whenever they are read.
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import type { SampleRequest } from '../../protocol/sample';
import type { TorchEngineInfo } from '../../protocol/training';
import type { SampleProgress, StepMetrics } from '../contract';
import type { Family, FamilyDeps } from '../engine/families/family';
import type { ImageGrid } from '../engine/png';
import { engineScript } from './engineScript';
import { TORCH_PORTS, type StepInput, type TorchPort } from './families';
import { EngineProcess, type EngineReady } from './engineProcess';

/** PyTorch's part of a checkpoint: its weights, optimizer slots, weight average and random state (dropout). */
export const TORCH_STATE = 'torch-state.pt';

export interface TorchEngineOptions {
  readonly python: string;
  readonly threads: number;
  readonly device: 'auto' | 'cpu';
  /** Data-parallel processes on this machine (DistributedDataParallel); each takes batch / processes. */
  readonly processes: number;
}

function weightsOf(network: tf.LayersModel): tf.LayerVariable[] {
  // Layer by layer, each layer's own order: what PyTorch's state_dict lists.
  return network.layers.flatMap((layer) => layer.weights);
}

const NON_FINITE: Readonly<Record<string, number>> = { nan: NaN, inf: Infinity, '-inf': -Infinity };

/** engine.py's metrics: numbers, and 'nan' / 'inf' / '-inf' for what JSON cannot carry. */
function finiteOrNamed(raw: unknown): StepMetrics {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(raw as Record<string, unknown>))
    out[name] = typeof value === 'number' ? value : (NON_FINITE[String(value)] ?? NaN);
  return out;
}

export class TorchFamily implements Family {
  readonly optimizers = {};
  readonly imagesPerStep: number;
  readonly batchesPerStep: number;
  // With the family's own state (stackgan's vocabulary), which the checkpoint keeps as for TensorFlow.js.
  readonly state = {
    save: async (dir: string): Promise<void> => {
      await this.inner.state?.save(dir);
      await this.process.request({ cmd: 'save', path: join(dir, TORCH_STATE) });
    },
    load: async (dir: string): Promise<void> => {
      await this.inner.state?.load(dir);
      await this.process.request({ cmd: 'load', path: join(dir, TORCH_STATE) });
      this.synced = true; // the layers-format networks were just loaded from the same checkpoint
    },
  };
  private synced = true;
  /** The step the last trainStep trained (what synced networks show). */
  private lastStep = 0;
  private readonly processes: number;
  readonly engine: TorchEngineInfo;

  private constructor(
    private readonly deps: FamilyDeps,
    private readonly inner: Family,
    private readonly port: TorchPort,
    private readonly process: EngineProcess,
    info: EngineReady,
    python: string,
    processes: number,
  ) {
    const device = processes > 1 ? `${info.device} × ${processes} processes` : info.device;
    this.engine = { name: 'torch', torch: info.torch, device, python, processes };
    this.imagesPerStep = inner.imagesPerStep;
    this.processes = processes;
    this.batchesPerStep = inner.batchesPerStep;
  }

  static async create(deps: FamilyDeps, inner: Family, options: TorchEngineOptions): Promise<TorchFamily> {
    const port = TORCH_PORTS[deps.model.family];
    if (!port) throw new Error(`the PyTorch engine has no ${deps.model.family} family`);
    const engine = new EngineProcess({
      python: options.python,
      files: { 'model.py': port.modelPy(deps.model), 'engine.py': engineScript(deps.model, port) },
      threads: options.threads,
      device: options.device,
      processes: options.processes,
    });
    try {
      const info = await engine.ready;
      const family = new TorchFamily(deps, inner, port, engine, info, options.python, options.processes);
      // Both engines start from the same weights: TensorFlow.js's initialisers, seeded by the model.
      for (const [name, network] of family.weightSets().pushed) await family.pushWeights(name, network);
      return family;
    } catch (error) {
      engine.close();
      throw error;
    }
  }

  get networks(): Family['networks'] {
    return this.inner.networks;
  }

  /** The networks whose weights cross, by engine.py's names: the port's, or the family's own. */
  private weightSets(): NonNullable<ReturnType<NonNullable<TorchPort['weightSets']>>> {
    if (this.port.weightSets) return this.port.weightSets(this.inner);
    const networks = this.inner.networks;
    return {
      pushed: this.port.pushed.map((name) => {
        const network = networks[name];
        if (!network) throw new Error(`the ${this.deps.model.family} family has no ${name} network`);
        return [name, network] as const;
      }),
      pulled: Object.entries(networks),
    };
  }

  private async pushWeights(name: string, network: tf.LayersModel): Promise<void> {
    const weights = weightsOf(network);
    const values = await Promise.all(weights.map((w) => w.read().data() as Promise<Float32Array>));
    const total = values.reduce((n, v) => n + v.length, 0);
    const payload = new Float32Array(total);
    let offset = 0;
    for (const v of values) {
      payload.set(v, offset);
      offset += v.length;
    }
    await this.process.request(
      { cmd: 'set_weights', network: name, shapes: weights.map((w) => w.shape) },
      new Uint8Array(payload.buffer),
    );
  }

  private async pullWeights(name: string, network: tf.LayersModel): Promise<void> {
    const { header, payload } = await this.process.request({ cmd: 'get_weights', network: name });
    const shapes = header.shapes as number[][];
    const weights = weightsOf(network);
    if (shapes.length !== weights.length)
      throw new Error(`PyTorch's ${name} has ${shapes.length} weights, TensorFlow.js's ${weights.length}`);
    const values = new Float32Array(payload.buffer, payload.byteOffset, payload.byteLength / 4);
    let offset = 0;
    weights.forEach((w, i) => {
      const size = shapes[i].reduce((a, b) => a * b, 1);
      // In TensorFlow.js's own shape: a PReLU's slopes are [C] in PyTorch, [1, 1, C] here.
      const shape = w.read().shape;
      if (size !== shape.reduce((a, b) => a * b, 1))
        throw new Error(
          `PyTorch's ${name} weight ${i} has shape [${shapes[i].join(', ')}], TensorFlow.js's [${shape.join(', ')}]`,
        );
      const value = tf.tensor(values.subarray(offset, offset + size), shape);
      offset += size;
      w.write(value);
      value.dispose();
    });
  }

  /** Brings the TensorFlow.js networks up to PyTorch's weights (after steps were trained). */
  async syncNetworks(): Promise<void> {
    if (this.synced) return;
    for (const [name, network] of this.weightSets().pulled) await this.pullWeights(name, network);
    this.port.synced?.(this.inner, this.lastStep);
    this.synced = true;
  }

  async trainStep(step: number): Promise<StepMetrics> {
    const inputs = await this.port.stepInputs(this.deps, step, this.inner);
    const processes = this.processes;
    for (const input of inputs)
      if (input.rows % processes !== 0)
        throw new Error(`a batch of ${input.rows} does not split evenly over ${processes} processes`);
    // Each process gets its consecutive share of every input (the global batch is the one batch).
    const share = ({ values, rows }: StepInput, rank: number): Uint8Array => {
      const per = values.length / rows;
      const part = values.subarray((rank * rows * per) / processes, ((rank + 1) * rows * per) / processes);
      return new Uint8Array(part.buffer, part.byteOffset, part.byteLength);
    };
    const described = inputs.map((input) => ({
      rows: input.rows / processes,
      width: input.rows ? input.values.length / input.rows : 0,
      type: input.values instanceof Int32Array ? 'int32' : 'float32',
    }));
    this.synced = false;
    this.lastStep = step;
    const state = this.port.stepState?.(this.deps.model, step) ?? {};
    const { header } = await this.process.requestEach((rank) => ({
      header: { cmd: 'step', step, state, inputs: described },
      payload: Buffer.concat(inputs.map((input) => share(input, rank))),
    }));
    return finiteOrNamed(header.metrics);
  }

  async render(request: SampleRequest, progress?: SampleProgress): Promise<ImageGrid> {
    await this.syncNetworks();
    return this.inner.render(request, progress);
  }

  dispose(): void {
    this.process.close();
    this.inner.dispose();
  }
}
