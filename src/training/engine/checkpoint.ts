// A trainer checkpoint: every network (tfjs layers format), each optimizer's slots, and the
// trainer state (step, random stream, data positions) that makes a resumed run continue exactly.
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataPosition } from '../contract';
import { loadNetworkWeights, loadTensors, saveNetwork, saveTensors } from './modelFiles';
import { optimizerState, restoreOptimizerState } from './optimizers';
import type { RngState } from './rng';

export const NETWORKS_DIR = 'networks';
export const OPTIMIZERS_DIR = 'optimizers';
export const TRAINER_STATE = 'trainer.json';
const FORMAT = 1;

export interface TrainerState {
  readonly format: number;
  readonly model: string;
  readonly family: string;
  readonly step: number;
  readonly rng: RngState;
  readonly data: readonly DataPosition[];
  /** 'torch': PyTorch trained it; its optimizer slots are PyTorch's (torch-state.pt), not here. */
  readonly engine?: 'torch';
}

export interface CheckpointParts {
  readonly networks: Readonly<Record<string, tf.LayersModel>>;
  readonly optimizers: Readonly<Record<string, tf.Optimizer>>;
  /** Family state besides networks and optimizers (stackgan: its vocabulary), as files in the checkpoint. */
  readonly state?: { save(dir: string): void | Promise<void>; load(dir: string): void | Promise<void> };
}

export async function writeCheckpoint(
  dir: string,
  parts: CheckpointParts,
  state: Omit<TrainerState, 'format'>,
): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const [name, model] of Object.entries(parts.networks))
    await saveNetwork(model, join(dir, NETWORKS_DIR, name));
  for (const [name, optimizer] of Object.entries(parts.optimizers))
    await saveTensors(await optimizerState(optimizer), join(dir, OPTIMIZERS_DIR), name);
  await parts.state?.save(dir);
  writeFileSync(join(dir, TRAINER_STATE), JSON.stringify({ format: FORMAT, ...state }, null, 2));
}

export async function readCheckpoint(
  dir: string,
  parts: CheckpointParts,
  model: string,
): Promise<TrainerState> {
  const state = JSON.parse(readFileSync(join(dir, TRAINER_STATE), 'utf8')) as TrainerState;
  if (state.format !== FORMAT)
    throw new Error(`checkpoint ${dir} has format ${state.format}, expected ${FORMAT}`);
  if (state.model !== model) throw new Error(`checkpoint ${dir} is of model ${state.model}, not ${model}`);
  for (const [name, network] of Object.entries(parts.networks))
    await loadNetworkWeights(network, join(dir, NETWORKS_DIR, name));
  // A sampler or evaluator reading a torch checkpoint needs its networks only.
  if (state.engine !== 'torch')
    for (const [name, optimizer] of Object.entries(parts.optimizers))
      await restoreOptimizerState(optimizer, loadTensors(join(dir, OPTIMIZERS_DIR), name));
  await parts.state?.load(dir);
  return state;
}
