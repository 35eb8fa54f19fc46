// train.py of an exported `gan` model: the adversarial loop of the TensorFlow.js engine
// (src/training/engine/families/adversarial.ts, losses.ts) in plain PyTorch, with
// DistributedDataParallel when started by torchrun and a GAN Studio run folder written by rank 0.
import type { ResolvedModel, ResolvedOptimizer } from '../../language/model';
import { torchExportProblems } from '../../language/schema';
import { ExportError } from './pytorchNetworks';

export const LOSSES: Readonly<Record<string, { d: string; g: string; readout: 'sigmoid' | 'raw' }>> = {
  nonsaturating: {
    d: 'F.softplus(real_out).mean() - SMOOTHING * real_out.mean() + F.softplus(fake_out).mean()',
    g: 'F.softplus(-g_out).mean()',
    readout: 'sigmoid',
  },
  minimax: {
    d: 'F.softplus(real_out).mean() - SMOOTHING * real_out.mean() + F.softplus(fake_out).mean()',
    g: '-F.softplus(g_out).mean()',
    readout: 'sigmoid',
  },
  hinge: {
    d: 'F.relu(1 - real_out).mean() + F.relu(1 + fake_out).mean()',
    g: '-g_out.mean()',
    readout: 'raw',
  },
  lsgan: {
    d: '0.5 * ((real_out - SMOOTHING) ** 2).mean() + 0.5 * (fake_out**2).mean()',
    g: '0.5 * ((g_out - 1) ** 2).mean()',
    readout: 'raw',
  },
  wasserstein: {
    d: 'fake_out.mean() - real_out.mean()',
    g: '-g_out.mean()',
    readout: 'raw',
  },
};

/** The adversarial loss in Python: discriminator_loss, generator_loss and readout (d_real / d_fake),
 *  with SMOOTHING defined beside it. */
export function adversarialLossPy(kind: string): string {
  const loss = LOSSES[kind];
  if (!loss) throw new ExportError(`loss ${kind} has no PyTorch version`);
  const sigmoid = loss.readout === 'sigmoid';
  return [
    'def discriminator_loss(real_out, fake_out):',
    `    return ${loss.d}`,
    '',
    '',
    'def generator_loss(g_out):',
    `    return ${loss.g}`,
    '',
    '',
    'def readout(out):',
    `    """d_real / d_fake as the editor charts them: ${sigmoid ? 'mean σ(D)' : 'mean raw score'}."""`,
    `    return ${sigmoid ? 'torch.sigmoid(out).mean()' : 'out.mean()'}`,
  ].join('\n');
}

/** WGAN-GP's penalty weight (`loss wasserstein gp=…`); 0 without one. */
export function penaltyWeight(model: ResolvedModel): number {
  const gp = model.loss.params.gp;
  return model.loss.kind === 'wasserstein' && typeof gp === 'number' ? gp : 0;
}

/** WGAN-GP's penalty in PyTorch, λ·E[(‖∇x D(x̂)‖ − 1)²] at x̂ between real and fake images, with its
 *  own gradient by double backward (create_graph). */
export function gradientPenaltyPy(): string {
  return [
    'def gradient_penalty(critic, real, fake, mix):',
    '    """GP * mean((|grad_x D(x)| - 1)^2) at x = mix * real + (1 - mix) * fake, differentiable (double backward)."""',
    '    between = (real * mix + fake * (1 - mix)).requires_grad_(True)',
    '    (grad,) = torch.autograd.grad(critic(between).sum(), between, create_graph=True)',
    '    norms = grad.flatten(1).square().sum(1).add(1e-12).sqrt()',
    '    return GP * (norms - 1).square().mean()',
  ].join('\n');
}

/** An optimizer as PyTorch builds it, with the TensorFlow.js engine's epsilon and decay. */
export function optimizerPy(spec: ResolvedOptimizer | undefined, parameters: string): string {
  if (!spec) throw new ExportError('the model has no optimizer');
  switch (spec.kind) {
    case 'adam':
      return `torch.optim.Adam(${parameters}, lr=${spec.lr}, betas=(${spec.beta1}, ${spec.beta2}), eps=1e-8)`;
    case 'rmsprop':
      return `torch.optim.RMSprop(${parameters}, lr=${spec.lr}, alpha=0.99, eps=1e-8, momentum=${spec.momentum})`;
    case 'sgd':
      return `torch.optim.SGD(${parameters}, lr=${spec.lr}, momentum=${spec.momentum})`;
  }
}

export function optimizerLine(
  model: ResolvedModel,
  role: 'generator' | 'discriminator',
  net: string,
): string {
  const spec = model.optimizers[role];
  if (!spec) throw new ExportError(`the model has no optimizer for its ${role}`);
  return optimizerPy(spec, `${net}.parameters()`);
}

/** What the export does not carry yet, each with its line and reason; empty when the model exports whole. */
export function unsupportedTrainSettings(model: ResolvedModel): string[] {
  return torchExportProblems(model).map((p) =>
    p.line === null ? p.message : `line ${p.line + 1}: ${p.message}`,
  );
}

export interface TrainScriptInputs {
  readonly model: ResolvedModel;
  readonly steps: number;
  readonly stepsPerEpoch: number;
  readonly sourceFile: string;
}

export function trainScript({ model, steps, stepsPerEpoch, sourceFile }: TrainScriptInputs): string {
  const loss = LOSSES[model.loss.kind];
  if (!loss || !model.latent) throw new ExportError(unsupportedTrainSettings(model).join('; '));
  const data = model.data[0];
  const [rows, cols] = model.sample.grid;
  // A conditional model's networks take the batch's labels too; its fakes take the real batch's.
  const conditional = model.condition !== null;
  const y = conditional ? ', labels' : '';
  const smoothing = typeof model.loss.params.smoothing === 'number' ? model.loss.params.smoothing : 1;
  return String.raw`#!/usr/bin/env python3
"""Trains ${model.name} as ${sourceFile} describes it, on one process or many.

    python train.py                           # one process: the first GPU, else the CPU
    torchrun --nproc_per_node=4 train.py      # four processes (GPUs, or CPU with gloo)

The global batch of ${data.batch} is split evenly between the processes: each step sees the same
images and the same noise whatever the process count (DistributedSampler over one seeded
permutation; the noise drawn for the whole batch, then split). Rank 0 writes a GAN Studio run
folder under --runs that the editor's Runs view, dashboard and 'gan runs' open.
"""
import argparse
import copy
import os
import socket
import time

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler

from data import load_images
from model import ${conditional ? 'CLASSES, ' : ''}IMAGE_SHAPE, LATENT, Discriminator, Generator
from run_folder import RunFolder, now

MODEL = "${model.name}"
SEED = ${model.train.seed}
BATCH = ${data.batch}
STEPS = ${steps}
STEPS_PER_EPOCH = ${stepsPerEpoch}
D_STEPS = ${model.train.dSteps}
SMOOTHING = ${smoothing}  # the real label the discriminator is trained towards
GP = ${penaltyWeight(model)}  # WGAN-GP's penalty weight (loss wasserstein gp=…); 0: none
SAMPLE_EVERY = ${model.sample.every}
CHECKPOINT_EVERY = ${model.train.checkpoint}
GRID = (${rows}, ${cols})
SCALE = (${data.scale[0]}, ${data.scale[1]})
LOSS = "${model.loss.kind}"
EMA = ${model.train.ema ?? 'None'}  # the generator's weight average's decay (samples come from it); None: off


${adversarialLossPy(model.loss.kind)}


${gradientPenaltyPy()}

def update_average(average, generator):
    """average = EMA·average + (1 − EMA)·weights; running statistics are copied."""
    with torch.no_grad():
        for a, w in zip(average.parameters(), generator.parameters()):
            a.mul_(EMA).add_(w, alpha=1 - EMA)
        for a, b in zip(average.buffers(), generator.buffers()):
            a.copy_(b)


def parse_args():
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


def mean_over_processes(values, world):
    stacked = torch.stack([v.detach().float() for v in values])
    if world > 1:
        dist.all_reduce(stacked)
        stacked /= world
    return stacked.tolist()


def endless_batches(loader, sampler, start_step):
    """Batches from the one that step start_step takes: epochs reshuffled by (SEED, epoch)."""
    epoch, skip = divmod(start_step * D_STEPS, len(loader))
    while True:
        sampler.set_epoch(epoch)
        for i, batch in enumerate(loader):
            if i >= skip:
                yield batch
        epoch, skip = epoch + 1, 0


def main():
    args = parse_args()
    rank, world, device = start_processes(args.cpu)
    torch.manual_seed(SEED)
    generator, discriminator = Generator().to(device), Discriminator().to(device)
    if args.sync_bn and device.type != "cuda":
        raise SystemExit("--sync-bn needs GPUs: PyTorch's SyncBatchNorm runs on CUDA only")
    if args.sync_bn and world > 1:
        generator = torch.nn.SyncBatchNorm.convert_sync_batchnorm(generator)
        discriminator = torch.nn.SyncBatchNorm.convert_sync_batchnorm(discriminator)
    g_optimizer = ${optimizerLine(model, 'generator', 'generator')}
    d_optimizer = ${optimizerLine(model, 'discriminator', 'discriminator')}
    average = copy.deepcopy(generator).requires_grad_(False) if EMA is not None else None
    noise = torch.Generator().manual_seed(SEED + 1)
    fixed_noise = torch.randn(GRID[0] * GRID[1], LATENT, generator=torch.Generator().manual_seed(SEED + 2))${
      conditional
        ? '\n    fixed_labels = torch.arange(GRID[0]).repeat_interleave(GRID[1]) % CLASSES  # one class per row'
        : ''
    }

    step, run = 0, None
    if args.resume:
        state = torch.load(RunFolder.open_existing(args.resume).latest_checkpoint(), map_location=device)
        generator.load_state_dict(state["generator"])
        discriminator.load_state_dict(state["discriminator"])
        g_optimizer.load_state_dict(state["g_optimizer"])
        d_optimizer.load_state_dict(state["d_optimizer"])
        if average is not None:
            average.load_state_dict(state["average"])
        noise.set_state(state["noise"])
        torch.set_rng_state(state["torch_rng"])
        step = state["step"]
    if world > 1:
        # Each network wrapped on its own: the generator's update must not sync the critic's grads.
        generator = DistributedDataParallel(generator)
        discriminator = DistributedDataParallel(discriminator)

    dataset = load_images(SCALE)
    sampler = DistributedSampler(dataset, num_replicas=world, rank=rank, shuffle=True, seed=SEED, drop_last=True)
    loader = DataLoader(dataset, batch_size=BATCH // world, sampler=sampler, drop_last=True)
    batches = endless_batches(loader, sampler, step)

    if rank == 0:
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
                "id": run_id, "model": MODEL, "family": "${model.family}",
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

    started = time.perf_counter()
    try:
        while step < args.steps:
            for i in range(D_STEPS):
                ${conditional ? 'real, labels = (t.to(device) for t in next(batches))' : 'real = next(batches)[0].to(device)'}
                z = torch.randn(BATCH, LATENT, generator=noise)[rank::world].to(device)
                # The generator's update backpropagates through the last critic step's images only
                # (with a gradient penalty it makes its own, below).
                with torch.set_grad_enabled(GP == 0 and i == D_STEPS - 1):
                    fake = generator(z${y})
                real_out, fake_out = discriminator(real${y}), discriminator(fake.detach()${y})
                d_loss = discriminator_loss(real_out, fake_out)
                if GP > 0:
                    mix = torch.rand(BATCH, generator=noise)[rank::world].to(device).view(-1, 1, 1, 1)
                    # Through the plain critic: DistributedDataParallel takes no autograd.grad of its own
                    # forward; the penalty's parameter gradient is all-reduced in the backward below.
                    plain_d = discriminator.module if world > 1 else discriminator
                    d_loss = d_loss + gradient_penalty(lambda x: plain_d(x${y}), real, fake.detach(), mix)
                d_optimizer.zero_grad(set_to_none=True)
                d_loss.backward()
                d_optimizer.step()
            if GP > 0:
                z = torch.randn(BATCH, LATENT, generator=noise)[rank::world].to(device)
                fake = generator(z${y})
            # The generator learns against the critic just updated (as the editor's engine does).
            g_out = discriminator(fake${y})
            g_loss = generator_loss(g_out)
            g_optimizer.zero_grad(set_to_none=True)
            g_loss.backward()
            g_optimizer.step()
            if average is not None:
                update_average(average, generator.module if world > 1 else generator)
            step += 1

            d_loss_v, g_loss_v, d_real, d_fake = mean_over_processes(
                [d_loss, g_loss, readout(real_out), readout(fake_out)], world)
            if rank == 0:
                elapsed = time.perf_counter() - started
                run.append_metrics({
                    "step": step, "epoch": step * D_STEPS // STEPS_PER_EPOCH, "time": round(elapsed, 3),
                    "d_loss": d_loss_v, "g_loss": g_loss_v, "d_real": d_real, "d_fake": d_fake,
                })
                if step % SAMPLE_EVERY == 0 or step == args.steps:
                    plain = average if average is not None else generator.module if world > 1 else generator
                    plain.eval()
                    with torch.no_grad():
                        run.write_sample_grid(step, plain(fixed_noise.to(device)${conditional ? ', fixed_labels.to(device)' : ''}).cpu(), GRID[0], GRID[1], SCALE)
                    plain.train()
                if step % CHECKPOINT_EVERY == 0 or step == args.steps:
                    plain_g = generator.module if world > 1 else generator
                    plain_d = discriminator.module if world > 1 else discriminator
                    torch.save({
                        "step": step, "generator": plain_g.state_dict(), "discriminator": plain_d.state_dict(),
                        "g_optimizer": g_optimizer.state_dict(), "d_optimizer": d_optimizer.state_dict(),
                        "noise": noise.get_state(), "torch_rng": torch.get_rng_state(),
                        "average": average.state_dict() if average is not None else None,
                    }, run.checkpoint_path(step) + ".tmp")
                    os.replace(run.checkpoint_path(step) + ".tmp", run.checkpoint_path(step))
                run.update(step=step)
                print("step %d/%d  d_loss %.4f  g_loss %.4f" % (step, args.steps, d_loss_v, g_loss_v), flush=True)
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


if __name__ == "__main__":
    main()
`;
}
