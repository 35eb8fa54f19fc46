// What every exported train.py shares, whatever its family: the docstring's usage, the command
// line, torchrun's processes, metric means over them, the batch stream that resumes mid-epoch, the
// GAN Studio run folder rank 0 writes, and atomic checkpoints. Each family's script adds its
// constants, networks and step (pytorchTrain.ts: gan/cgan; pytorchTrainVae.ts: vae).
import type { NetworkRole, ResolvedModel, ResolvedOptimizer } from '../../language/model';

/** What a family's train.py is written from. */
export interface TrainScriptInputs {
  readonly model: ResolvedModel;
  readonly steps: number;
  readonly stepsPerEpoch: number;
  readonly sourceFile: string;
}

export interface ScriptHead {
  /** Whether the step uses `copy` (weight averages) and torch.nn.functional. */
  readonly uses: ScriptUses;
  /** Names the script imports from model.py. */
  readonly fromModel: readonly string[];
  /** Names it imports from data.py (default: load_images). */
  readonly fromData?: readonly string[];
  /** The GRID line's value (rows, cols), with its comment when the layout is the family's own. */
  readonly grid: string;
  /** A comment on BATCH (what a batch is, when not plain images). */
  readonly batchNote?: string;
}

/** A train.py's head: shebang, docstring, imports and the constants the helpers read. */
export function scriptHeadPy(
  { model, steps, stepsPerEpoch, sourceFile }: TrainScriptInputs,
  head: ScriptHead,
): string {
  const data = model.data[0];
  return [
    '#!/usr/bin/env python3',
    usageDocstring(model, sourceFile),
    trainImportsPy(head.uses),
    '',
    `from data import ${(head.fromData ?? ['load_images']).join(', ')}`,
    `from model import ${head.fromModel.join(', ')}`,
    'from run_folder import RunFolder, now',
    '',
    `MODEL = "${model.name}"`,
    `SEED = ${model.train.seed}`,
    `BATCH = ${data.batch}${head.batchNote ? `  # ${head.batchNote}` : ''}`,
    `STEPS = ${steps}`,
    `STEPS_PER_EPOCH = ${stepsPerEpoch}`,
    `SAMPLE_EVERY = ${model.sample.every}`,
    `CHECKPOINT_EVERY = ${model.train.checkpoint}`,
    `GRID = ${head.grid}`,
    `SCALE = (${data.scale[0]}, ${data.scale[1]})`,
  ].join('\n');
}

/** Two networks' optimizer specs when one `optimizer` line may serve both: each its own, else the other's. */
export function optimizerPair(
  model: ResolvedModel,
  first: NetworkRole,
  second: NetworkRole,
): [ResolvedOptimizer | undefined, ResolvedOptimizer | undefined] {
  const one = model.optimizers[first] ?? model.optimizers[second];
  return [one, model.optimizers[second] ?? one];
}

/** update_average(average, network): the weight average the samples come from (EMA's decay). */
export const UPDATE_AVERAGE_PY = String.raw`def update_average(average, generator):
    """average = EMA·average + (1 − EMA)·weights; running statistics are copied."""
    with torch.no_grad():
        for a, w in zip(average.parameters(), generator.parameters()):
            a.mul_(EMA).add_(w, alpha=1 - EMA)
        for a, b in zip(average.buffers(), generator.buffers()):
            a.copy_(b)`;

/** The module docstring: how to run the script, and how the batch splits over processes. */
export function usageDocstring(model: ResolvedModel, sourceFile: string): string {
  return `"""Trains ${model.name} as ${sourceFile} describes it, on one process or many.

    python train.py                           # one process: the first GPU, else the CPU
    torchrun --nproc_per_node=4 train.py      # four processes (GPUs, or CPU with gloo)

The global batch of ${model.data[0].batch} is split evenly between the processes: each step sees the same
images and the same noise whatever the process count (DistributedSampler over one seeded
permutation; the noise drawn for the whole batch, then split). Rank 0 writes a GAN Studio run
folder under --runs that the editor's Runs view, dashboard and 'gan runs' open.
"""`;
}

/** Python functions of every train.py; they read MODEL, SEED, BATCH, STEPS, STEPS_PER_EPOCH, GRID and SCALE. */
export const TRAIN_HELPERS_PY = String.raw`def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=STEPS, help="train this many steps (default %(default)s)")
    parser.add_argument("--runs", default="runs", help="folder of run folders (default %(default)s)")
    parser.add_argument("--resume", metavar="RUN_FOLDER", help="continue a run from its newest checkpoint")
    parser.add_argument("--sync-bn", action="store_true", help="batch statistics over all processes (SyncBatchNorm, GPUs only)")
    parser.add_argument("--cpu", action="store_true", help="train on the CPU even when a GPU is present")
    return parser.parse_args()


def start_processes(use_cpu):
    """(rank, world size, device): torchrun's environment when present, else one process."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    cuda = torch.cuda.is_available() and not use_cpu
    if cuda:
        device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")))
        torch.cuda.set_device(device)
    else:
        device = torch.device("cpu")
    if world > 1:
        dist.init_process_group("nccl" if cuda else "gloo")
    if BATCH % world != 0:
        raise SystemExit("the batch of %d does not split evenly over %d processes" % (BATCH, world))
    return rank, world, device


def synced_batch_norm(networks, args, world, device):
    """--sync-bn: batch statistics over every process's share (PyTorch runs SyncBatchNorm on GPUs only)."""
    if args.sync_bn and device.type != "cuda":
        raise SystemExit("--sync-bn needs GPUs: PyTorch's SyncBatchNorm runs on CUDA only")
    if not (args.sync_bn and world > 1):
        return networks
    return [torch.nn.SyncBatchNorm.convert_sync_batchnorm(n) for n in networks]


def unwrapped(network):
    """The network itself, outside its DistributedDataParallel wrapper."""
    return network.module if isinstance(network, DistributedDataParallel) else network


def mean_over_processes(values, world):
    stacked = torch.stack([v.detach().float() for v in values])
    if world > 1:
        dist.all_reduce(stacked)
        stacked /= world
    return stacked.tolist()


def endless_batches(dataset, rank, world, start_step, per_step, seed=SEED):
    """This process's share of each batch (DistributedSampler over one permutation per epoch), from
    the batch that step start_step takes (per_step batches a step); epochs reshuffled by (seed, epoch)."""
    sampler = DistributedSampler(dataset, num_replicas=world, rank=rank, shuffle=True, seed=seed, drop_last=True)
    loader = DataLoader(dataset, batch_size=BATCH // world, sampler=sampler, drop_last=True)
    epoch, skip = divmod(start_step * per_step, len(loader))
    while True:
        sampler.set_epoch(epoch)
        for i, batch in enumerate(loader):
            if i >= skip:
                yield batch
        epoch, skip = epoch + 1, 0


def open_run(args, step, world, device, family):
    """Rank 0's run folder: the resumed one (metrics after its checkpoint dropped), else a new one."""
    if args.resume:
        run = RunFolder.open_existing(args.resume)
        run.drop_metrics_after(step)
        run.update(status="running", step=step, totalSteps=args.steps, finishedAt=None, error=None,
                   stepsOverride=None if args.steps == STEPS else args.steps)
    else:
        run_id = "%s-%s" % (MODEL, time.strftime("%Y%m%d-%H%M%S"))
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "model.gan"), encoding="utf-8") as f:
            source = f.read()
        device_name = torch.cuda.get_device_name(device) if device.type == "cuda" else "CPU"
        run = RunFolder(os.path.join(args.runs, run_id), {
            "id": run_id, "model": MODEL, "family": family,
            "sourceFile": os.path.abspath("model.gan"),
            "engine": "torch", "torchVersion": torch.__version__, "worldSize": world,
            "backend": "torch", "requestedBackend": "torch",
            "device": "%s (PyTorch %s, %d process%s)" % (device_name, torch.__version__, world, "" if world == 1 else "es"),
            "threads": torch.get_num_threads(), "seed": SEED,
            "status": "running", "step": 0, "totalSteps": args.steps, "stepsPerEpoch": STEPS_PER_EPOCH,
            "stepsOverride": None if args.steps == STEPS else args.steps, "dataLimit": None,
            "startedAt": now(), "finishedAt": None, "error": None,
        }, source)
    print("run folder: %s" % run.path, flush=True)
    return run


def save_checkpoint(run, step, state):
    """The step's checkpoint, written whole or not at all (a kill mid-write leaves the previous one)."""
    path = run.checkpoint_path(step)
    torch.save(dict(state, step=step), path + ".tmp")
    os.replace(path + ".tmp", path)


def sample_grid(run, step, networks, draw):
    """The sample grid of draw()'s images (GRID's rows, left to right), the networks in inference mode."""
    for network in networks:
        network.eval()
    with torch.no_grad():
        run.write_sample_grid(step, draw().cpu(), GRID[0], GRID[1], SCALE)
    for network in networks:
        network.train()


def finish(run, rank, world, train):
    """Runs train(); the run folder says how it ended, and every process leaves together."""
    try:
        train()
        if rank == 0:
            run.update(status="completed", finishedAt=now())
        if world > 1:
            # Every process leaves together: gloo can hang a process whose peer tore down first.
            dist.barrier()
    except KeyboardInterrupt:
        if rank == 0:
            run.update(status="stopped", finishedAt=now())
        raise
    except Exception as error:
        if rank == 0 and run is not None:
            run.update(status="failed", finishedAt=now(), error="%s: %s" % (type(error).__name__, error))
        raise
    finally:
        if world > 1:
            dist.destroy_process_group()
    if world > 1:
        # Leave without freeing the networks: in PyTorch 1.13, freeing DistributedDataParallel after
        # the group is gone can deadlock (a gloo thread waits for the interpreter lock held by the
        # thread joining it). Every file of the run is written and closed by now.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)`;

/** Modules a train.py imports only when its step uses them. */
export interface ScriptUses {
  readonly copy: boolean;
  readonly functional: boolean;
  readonly math?: boolean;
  /** Captions: tokenizing (re) and word counts (collections). */
  readonly text?: boolean;
  /** A dataset the script builds itself (image indices, clips). */
  readonly tensorDataset?: boolean;
}

/** The imports a train.py starts with: the helpers' own, and those its step uses. */
export function trainImportsPy(uses: ScriptUses): string {
  return [
    'import argparse',
    ...(uses.text ? ['import collections'] : []),
    ...(uses.copy ? ['import copy'] : []),
    ...(uses.math ? ['import math'] : []),
    'import os',
    ...(uses.text ? ['import re'] : []),
    'import sys',
    'import time',
    '',
    'import torch',
    'import torch.distributed as dist',
    ...(uses.functional ? ['import torch.nn.functional as F'] : []),
    'from torch.nn.parallel import DistributedDataParallel',
    `from torch.utils.data import DataLoader, DistributedSampler${uses.tensorDataset ? ', TensorDataset' : ''}`,
  ].join('\n');
}
