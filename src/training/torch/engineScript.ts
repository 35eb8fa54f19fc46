// engine.py: the PyTorch side of the torch engine, a step server (engineProcess.ts). The Node
// trainer owns the data order, the noise, the run folder and the progress protocol, and sends each
// step's batches with their noise (so a torch run sees what a TensorFlow.js run of the model sees);
// Python holds the networks, optimizers and weight average, and answers with the step's metrics.
// Weights cross in TensorFlow's layouts, so the TensorFlow.js copies of the networks (checkpoints,
// sample grids, evaluation) read them as their own. The shared server is engineServer.ts; the
// family's networks and step come from its module in families/.
import type { ResolvedModel } from '../../language/model';
import { ENGINE_BASE_PY, ENGINE_SERVER_PY } from './engineServer';
import type { TorchPort } from './families';

export function engineScript(model: ResolvedModel, port: TorchPort): string {
  return [
    `"""GAN Studio's PyTorch engine for ${model.name} (${model.family}): one training step per request (see torchFamily.ts)."""`,
    'import copy',
    'import json',
    'import math',
    'import os',
    'import shutil',
    'import socket',
    'import sys',
    '',
    'import torch',
    'import torch.distributed as dist',
    'import torch.nn.functional as F',
    'from torch import nn',
    'from torch.nn.parallel import DistributedDataParallel',
    '',
    `from model import ${port.imports(model).join(', ')}`,
    '',
    `SEED = ${model.train.seed}`,
    '',
    '',
    ENGINE_BASE_PY,
    '',
    '',
    port.enginePy(model),
    '',
    '',
    ENGINE_SERVER_PY,
    '',
  ].join('\n');
}
