// engine.py: the PyTorch side of the torch engine, a step server (engineProcess.ts). The Node
// trainer owns the data order, the noise, the run folder and the progress protocol, and sends each
// step's batches with their noise (so a torch run sees what a TensorFlow.js run of the model sees);
// Python holds the networks, optimizers and weight average, and answers with the step's metrics.
// Weights cross in TensorFlow's layouts, so the TensorFlow.js copies of the networks (checkpoints,
// sample grids, evaluation) read them as their own.
import type { ResolvedModel } from '../../language/model';
import { ExportError } from '../export/pytorchNetworks';
import { gradientPenaltyPy, LOSSES, optimizerLine, penaltyWeight } from '../export/pytorchTrain';

export function engineScript(model: ResolvedModel): string {
  const loss = LOSSES[model.loss.kind];
  const latent = model.latent;
  if (!loss || !latent) throw new ExportError(`the PyTorch engine cannot train ${model.name}`);
  const conditional = model.condition !== null;
  const y = conditional ? ', labels' : '';
  const smoothing = typeof model.loss.params.smoothing === 'number' ? model.loss.params.smoothing : 1;
  return String.raw`"""GAN Studio's PyTorch engine for ${model.name}: one training step per request (see torchFamily.ts)."""
import copy
import json
import math
import os
import shutil
import socket
import sys

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel

from model import ${conditional ? 'CLASSES, ' : ''}IMAGE_SHAPE, LATENT, Discriminator, Generator

SEED = ${model.train.seed}
D_STEPS = ${model.train.dSteps}
SMOOTHING = ${smoothing}
EMA = ${model.train.ema ?? 'None'}
GP = ${penaltyWeight(model)}  # WGAN-GP's penalty weight; 0: none


${gradientPenaltyPy()}


def discriminator_loss(real_out, fake_out):
    return ${loss.d}


def generator_loss(g_out):
    return ${loss.g}


def readout(out):
    return ${loss.readout === 'sigmoid' ? 'torch.sigmoid(out).mean()' : 'out.mean()'}


def grad_norm(module):
    norms = [p.grad.detach().norm() for p in module.parameters() if p.grad is not None]
    return torch.stack(norms).norm() if norms else torch.zeros(())


def to_tensorflow(t):
    """PyTorch's layout to TensorFlow's: linear [out, in] -> [in, out]; conv [out, in, kh, kw] -> [kh, kw, in, out]."""
    if t.dim() == 2:
        return t.t()
    if t.dim() == 4:
        return t.permute(2, 3, 1, 0)
    return t


def from_tensorflow(t):
    if t.dim() == 2:
        return t.t()
    if t.dim() == 4:
        return t.permute(3, 2, 0, 1)
    return t


def weights_of(module):
    """Parameters and running statistics in the order TensorFlow.js lists its layers' weights."""
    return [v for k, v in module.state_dict(keep_vars=True).items() if not k.endswith("num_batches_tracked")]


def float_bytes(tensors):
    flat = torch.cat([t.detach().reshape(-1).float().cpu() for t in tensors]) if tensors else torch.zeros(0)
    try:
        return flat.numpy().tobytes()
    except (ImportError, RuntimeError):  # a torch without numpy
        import array
        return array.array("f", flat.tolist()).tobytes()


class Engine:
    def __init__(self, device, world):
        self.device = device
        self.world = world
        self.wrapped = None  # (generator, discriminator) under DistributedDataParallel, once weights are set
        torch.manual_seed(SEED)
        self.generator = Generator().to(device)
        self.discriminator = Discriminator().to(device)
        self.g_optimizer = ${optimizerLine(model, 'generator', 'self.generator')}
        self.d_optimizer = ${optimizerLine(model, 'discriminator', 'self.discriminator')}
        self.average = None
        self.networks = {"generator": self.generator, "discriminator": self.discriminator}

    def set_weights(self, network, shapes, payload):
        values = torch.frombuffer(bytearray(payload), dtype=torch.float32)
        targets = weights_of(self.networks[network])
        if len(targets) != len(shapes):
            raise ValueError("%s has %d weights, got %d" % (network, len(targets), len(shapes)))
        offset = 0
        with torch.no_grad():
            for target, shape in zip(targets, shapes):
                size = 1
                for n in shape:
                    size *= n
                value = from_tensorflow(values[offset : offset + size].reshape(shape))
                offset += size
                if tuple(value.shape) != tuple(target.shape):
                    raise ValueError("%s: shape %s does not fit %s" % (network, tuple(value.shape), tuple(target.shape)))
                target.copy_(value)
        if network == "generator" and EMA is not None:
            self.average = copy.deepcopy(self.generator).requires_grad_(False)
            self.networks["generator_ema"] = self.average

    def get_weights(self, network):
        tensors = [to_tensorflow(t) for t in weights_of(self.networks[network])]
        return [list(t.shape) for t in tensors], float_bytes(tensors)

    def update_average(self):
        with torch.no_grad():
            for a, w in zip(self.average.parameters(), self.generator.parameters()):
                a.mul_(EMA).add_(w, alpha=1 - EMA)
            for a, b in zip(self.average.buffers(), self.generator.buffers()):
                a.copy_(b)

    def training_networks(self):
        """The networks a step trains: each in its own DistributedDataParallel with several processes
        (the generator's update must not synchronise the critic's gradients)."""
        if self.world == 1:
            return self.generator, self.discriminator
        if self.wrapped is None:
            self.wrapped = DistributedDataParallel(self.generator), DistributedDataParallel(self.discriminator)
        return self.wrapped

    def step(self, batches, generator_noise):
        generator, discriminator = self.training_networks()
        # With a gradient penalty every critic update makes its own fakes and the generator its own
        # (the penalty's double backward must not reach the generator); without, the last critic
        # update and the generator's share one forward pass, as in the TensorFlow.js engine.
        shared = GP == 0
        for i, batch in enumerate(batches):
            real = batch["images"].to(self.device)${conditional ? '\n            labels = batch["labels"].to(self.device)' : ''}
            z = batch["noise"].to(self.device)
            with torch.set_grad_enabled(shared and i == len(batches) - 1):
                fake = generator(z${y})
            real_out, fake_out = discriminator(real${y}), discriminator(fake.detach()${y})
            d_loss = discriminator_loss(real_out, fake_out)
            if GP > 0:
                mix = batch["mix"].to(self.device).view(-1, *([1] * (real.dim() - 1)))
                # Through the plain critic: DistributedDataParallel takes no autograd.grad of its own
                # forward, and the penalty's parameter gradient still reaches the same parameters,
                # whose all-reduce happens in the backward below.
                d_loss = d_loss + gradient_penalty(lambda x: self.discriminator(x${y}), real, fake.detach(), mix)
            self.d_optimizer.zero_grad(set_to_none=True)
            d_loss.backward()
            d_norm = grad_norm(self.discriminator)
            self.d_optimizer.step()
        if not shared:
            fake = generator(generator_noise.to(self.device)${y})
        # The generator learns against the critic just updated, as the TensorFlow.js engine does.
        g_loss = generator_loss(discriminator(fake${y}))
        self.g_optimizer.zero_grad(set_to_none=True)
        g_loss.backward()
        g_norm = grad_norm(self.generator)
        self.g_optimizer.step()
        if self.average is not None:
            self.update_average()
        shares = torch.stack([d_loss.detach(), g_loss.detach(), readout(real_out).detach(), readout(fake_out).detach()])
        if self.world > 1:
            dist.all_reduce(shares)  # each process saw its share of the batch: the batch's mean
            shares /= self.world
        values = torch.cat([shares, torch.stack([d_norm, g_norm])]).tolist()
        names = ["d_loss", "g_loss", "d_real", "d_fake", "grad_norm/discriminator", "grad_norm/generator"]
        # JSON has no NaN or infinity: a diverged value crosses as its name, which the trainer reports.
        metrics = {n: v if math.isfinite(v) else str(v) for n, v in zip(names, values)}
        metrics["lr/generator"] = self.g_optimizer.param_groups[0]["lr"]
        metrics["lr/discriminator"] = self.d_optimizer.param_groups[0]["lr"]
        return metrics

    def save(self, path):
        torch.save({
            "generator": self.generator.state_dict(), "discriminator": self.discriminator.state_dict(),
            "average": self.average.state_dict() if self.average is not None else None,
            "g_optimizer": self.g_optimizer.state_dict(), "d_optimizer": self.d_optimizer.state_dict(),
            "torch_rng": torch.get_rng_state(),
            "cuda_rng": torch.cuda.get_rng_state_all() if self.device.type == "cuda" else None,
        }, path)

    def load(self, path):
        state = torch.load(path, map_location=self.device)
        self.generator.load_state_dict(state["generator"])
        self.discriminator.load_state_dict(state["discriminator"])
        if state["average"] is not None and self.average is not None:
            self.average.load_state_dict(state["average"])
        self.g_optimizer.load_state_dict(state["g_optimizer"])
        self.d_optimizer.load_state_dict(state["d_optimizer"])
        torch.set_rng_state(state["torch_rng"])
        if state.get("cuda_rng") is not None and self.device.type == "cuda":
            torch.cuda.set_rng_state_all(state["cuda_rng"])


def read_batches(header, payload):
    channels, height, width = IMAGE_SHAPE
    offset, batches = 0, []
    for spec in header["batches"]:
        count = spec["count"]
        size = count * height * width * channels * 4
        images = torch.frombuffer(bytearray(payload[offset : offset + size]), dtype=torch.float32)
        offset += size
        batch = {"images": images.reshape(count, height, width, channels).permute(0, 3, 1, 2).contiguous()}
        if spec.get("labels"):
            batch["labels"] = torch.frombuffer(bytearray(payload[offset : offset + count * 4]), dtype=torch.int32).long()
            offset += count * 4
        noise = torch.frombuffer(bytearray(payload[offset : offset + count * LATENT * 4]), dtype=torch.float32)
        batch["noise"] = noise.reshape(count, LATENT)
        offset += count * LATENT * 4
        if GP > 0:
            batch["mix"] = torch.frombuffer(bytearray(payload[offset : offset + count * 4]), dtype=torch.float32)
            offset += count * 4
        batches.append(batch)
    generator_noise = None
    if GP > 0:
        count = header["batches"][-1]["count"]
        noise = torch.frombuffer(bytearray(payload[offset : offset + count * LATENT * 4]), dtype=torch.float32)
        generator_noise = noise.reshape(count, LATENT)
    return batches, generator_noise


def pick_device(asked, local_rank):
    if asked != "cpu" and torch.cuda.is_available():
        torch.cuda.set_device(local_rank)
        return torch.device("cuda", local_rank), torch.cuda.get_device_name(local_rank) + " (CUDA %s)" % torch.version.cuda
    mps = getattr(torch.backends, "mps", None)
    if asked != "cpu" and mps is not None and mps.is_available():
        return torch.device("mps"), "Apple GPU (mps)"
    threads = torch.get_num_threads()
    return torch.device("cpu"), "CPU (%d thread%s)" % (threads, "" if threads == 1 else "s")


def connect():
    """(requests, answers): stdin and stdout, or with several processes this process's socket to the trainer."""
    address = os.environ.get("GAN_TORCH_CONNECT")
    if address:
        host, port = address.rsplit(":", 1)
        sock = socket.create_connection((host, int(port)))
        return sock.makefile("rb"), sock.makefile("wb")
    # The protocol owns stdout: anything a library prints goes to stderr instead.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    return sys.stdin.buffer, out


def main():
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    requests, answers = connect()
    threads = int(os.environ.get("GAN_TORCH_THREADS", "0"))
    if threads > 0:
        torch.set_num_threads(threads)
    device, device_name = pick_device(os.environ.get("GAN_TORCH_DEVICE", "auto"), int(os.environ.get("LOCAL_RANK", "0")))
    if world > 1:
        dist.init_process_group("nccl" if device.type == "cuda" else "gloo")
    engine = Engine(device, world)

    def send(header, payload=b""):
        if payload:
            header["bytes"] = len(payload)
        answers.write((json.dumps(header) + "\n").encode("utf-8"))
        answers.write(payload)
        answers.flush()

    send({"ready": True, "rank": rank, "torch": torch.__version__, "device": device_name, "threads": torch.get_num_threads()})
    while True:
        line = requests.readline()
        if not line:
            # The trainer is gone (finished, or killed): take the scratch folder along, and leave
            # at once (tearing down a process group whose peers left can hang).
            shutil.rmtree(os.path.dirname(os.path.abspath(__file__)), ignore_errors=True)
            os._exit(0)
        header = json.loads(line)
        size = header.get("bytes", 0)
        payload = requests.read(size) if size else b""
        try:
            command = header["cmd"]
            if command == "set_weights":
                engine.set_weights(header["network"], header["shapes"], payload)
                send({"ok": True})
            elif command == "get_weights":
                # Every process holds the same weights: the first answers for all.
                if rank == 0:
                    shapes, data = engine.get_weights(header["network"])
                    send({"shapes": shapes}, data)
                else:
                    send({"ok": True})
            elif command == "step":
                send({"metrics": engine.step(*read_batches(header, payload))})
            elif command == "save":
                if rank == 0:
                    engine.save(header["path"])
                send({"ok": True})
            elif command == "load":
                engine.load(header["path"])
                send({"ok": True})
            else:
                raise ValueError("unknown command %r" % command)
        except Exception as error:  # reported to the trainer, which fails the run with it
            send({"error": "%s: %s" % (type(error).__name__, error)})


if __name__ == "__main__":
    main()
`;
}
