#!/usr/bin/env python3
"""The PyTorch peer of bench:train. Reads resolved models (JSON written by bench/train.bench.ts:
the same layer list the TensorFlow.js compiler reads), builds the same networks in PyTorch
(NCHW; TensorFlow's 'same' padding reproduced), and times full training steps on the CPU.

usage: /usr/bin/python3 bench/torch_train.py MODELS.json THREADS|default STEPS
prints one JSON line per model: {"model", "ms_per_step", "images_per_sec", "threads", "peak_rss_mb",
"cpu_ms_per_step" (CPU time of all threads: on a shared machine the steadier measure at 1 thread)}
(peak_rss_mb is the process's peak so far: models run in order in one process)
"""
import json
import math
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class SamePad(nn.Module):
    """TensorFlow 'same' padding for a strided convolution (extra pixel on the bottom/right)."""

    def __init__(self, size, k, s):
        super().__init__()
        out = math.ceil(size / s)
        total = max((out - 1) * s + k - size, 0)
        self.pad = (total // 2, total - total // 2, total // 2, total - total // 2)

    def forward(self, x):
        return F.pad(x, self.pad)


class Reshape(nn.Module):
    def __init__(self, dims):
        super().__init__()
        self.dims = dims  # HWC from the .gan file

    def forward(self, x):
        if len(self.dims) == 3:
            h, w, c = self.dims
            return x.reshape(x.shape[0], h, w, c).permute(0, 3, 1, 2)
        return x.reshape(x.shape[0], *self.dims)


class Flatten(nn.Module):
    def forward(self, x):
        if x.dim() == 4:
            x = x.permute(0, 2, 3, 1)  # back to HWC order, as TensorFlow.js flattens
        return x.reshape(x.shape[0], -1)


class Residual(nn.Module):
    def __init__(self, body):
        super().__init__()
        self.body = body

    def forward(self, x):
        return x + self.body(x)


def activation(name, alpha=0.2):
    return {
        "linear": None,
        "relu": nn.ReLU(),
        "leakyrelu": nn.LeakyReLU(alpha),
        "tanh": nn.Tanh(),
        "sigmoid": nn.Sigmoid(),
        "elu": nn.ELU(),
    }[name]


def norm(kind, channels, rank):
    if kind == "batch":
        return nn.BatchNorm2d(channels) if rank == 3 else nn.BatchNorm1d(channels)
    if kind == "instance":
        return nn.InstanceNorm2d(channels, affine=True)
    if kind == "layer":
        return nn.GroupNorm(1, channels)
    return None


def build(layers):
    mods = []
    for layer in layers:
        k, p, ins, outs = layer["kind"], layer["params"], layer["inputShape"], layer["outputShape"]
        if k == "dense":
            mods.append(nn.Linear(ins[-1], p["units"], bias=p["bias"]))
            a = activation(p["activation"])
        elif k in ("conv", "deconv"):
            cin, f, ks, s = ins[2], p["filters"], p["kernel"], p["stride"]
            if k == "conv":
                if p["padding"] == "same":
                    mods.append(SamePad(ins[0], ks, s))
                mods.append(nn.Conv2d(cin, f, ks, s, bias=p["bias"]))
            else:
                if p["padding"] == "same":
                    total = ks - s
                    pad, extra = ((total + 1) // 2, total % 2) if total >= 0 else (0, 0)
                    mods.append(nn.ConvTranspose2d(cin, f, ks, s, padding=pad, output_padding=extra, bias=p["bias"]))
                else:
                    mods.append(nn.ConvTranspose2d(cin, f, ks, s, bias=p["bias"]))
            n = norm(p["norm"], f, 3)
            if n is not None:
                mods.append(n)
            a = activation(p["activation"])
        elif k == "batchnorm":
            mods.append(nn.BatchNorm2d(ins[-1]) if len(ins) == 3 else nn.BatchNorm1d(ins[-1]))
            a = None
        elif k == "instancenorm":
            mods.append(nn.InstanceNorm2d(ins[-1], affine=True))
            a = None
        elif k == "layernorm":
            mods.append(nn.GroupNorm(1, ins[-1]) if len(ins) == 3 else nn.LayerNorm(ins[-1]))
            a = None
        elif k in ("relu", "tanh", "sigmoid", "elu"):
            a = activation(k)
        elif k == "leakyrelu":
            a = activation(k, p["alpha"])
        elif k == "dropout":
            a = nn.Dropout(p["rate"])
        elif k == "flatten":
            a = Flatten()
        elif k == "reshape":
            a = Reshape(outs)
        elif k == "upsample":
            a = nn.Upsample(scale_factor=p["factor"])
        elif k == "pixelshuffle":
            a = nn.PixelShuffle(p["factor"])
        elif k == "prelu":
            a = nn.PReLU(ins[-1], init=p["alpha"])
        elif k == "maxpool":
            a = nn.MaxPool2d(p["size"])
        elif k == "avgpool":
            a = nn.AvgPool2d(p["size"])
        elif k == "residual":
            a = Residual(build(layer["body"]))
        else:
            raise ValueError("unknown layer " + k)
        if a is not None:
            mods.append(a)
    return nn.Sequential(*mods)


def adam(params, o):
    return torch.optim.Adam(params, lr=o["lr"], betas=(o["beta1"], o["beta2"]))


def image_shape(model):
    h, w, c = model["data"][0]["shape"]
    return (c, h, w)


def gan_step_fn(model, batch):
    g = build(model["networks"]["generator"]["layers"])
    d = build(model["networks"]["discriminator"]["layers"])
    og, od = adam(g.parameters(), model["optimizers"]["generator"]), adam(d.parameters(), model["optimizers"]["discriminator"])
    latent = model["latent"]["size"]
    real = torch.rand(batch, *image_shape(model)) * 2 - 1
    bce = nn.BCEWithLogitsLoss()
    ones, zeros = torch.ones(batch, 1), torch.zeros(batch, 1)

    def step():
        z = torch.randn(batch, latent)
        fake = g(z)
        od.zero_grad()
        d_loss = bce(d(real), ones) + bce(d(fake.detach()), zeros)
        d_loss.backward()
        od.step()
        og.zero_grad()
        g_loss = bce(d(fake), ones)
        g_loss.backward()
        og.step()

    return step


def vae_step_fn(model, batch):
    enc = build(model["networks"]["encoder"]["layers"])
    dec = build(model["networks"]["decoder"]["layers"])
    latent = model["latent"]["size"]
    feat = model["networks"]["encoder"]["outputShape"][0]
    mean, logvar = nn.Linear(feat, latent), nn.Linear(feat, latent)
    params = [*enc.parameters(), *dec.parameters(), *mean.parameters(), *logvar.parameters()]
    opt = adam(params, model["optimizers"]["encoder"])
    x = torch.rand(batch, *image_shape(model))

    def step():
        opt.zero_grad()
        h = enc(x)
        mu, lv = mean(h), logvar(h)
        z = mu + torch.exp(0.5 * lv) * torch.randn_like(mu)
        out = dec(z)
        rec = F.binary_cross_entropy(out, x, reduction="sum") / batch
        kl = -0.5 * torch.sum(1 + lv - mu.pow(2) - lv.exp()) / batch
        (rec + kl).backward()
        opt.step()

    return step


def srgan_step_fn(model, batch):
    """The pretraining step (content loss alone) while `pretrain` lasts, as ours at its first steps."""
    g = build(model["networks"]["generator"]["layers"])
    d = build(model["networks"]["discriminator"]["layers"])
    og, od = adam(g.parameters(), model["optimizers"]["generator"]), adam(d.parameters(), model["optimizers"]["discriminator"])
    factor = model["settings"]["upscale"]["factor"]
    pretraining = model["settings"].get("pretrain", {}).get("steps", 0) > 0
    c, h, w = image_shape(model)
    real = torch.rand(batch, c, h, w) * 2 - 1
    bce = nn.BCEWithLogitsLoss()
    ones, zeros = torch.ones(batch, 1), torch.zeros(batch, 1)

    def step():
        small = F.interpolate(real, size=(h // factor, w // factor), mode="bicubic", antialias=True)
        fake = g(small)
        if not pretraining:
            od.zero_grad()
            d_loss = bce(d(real), ones) + bce(d(fake.detach()), zeros)
            d_loss.backward()
            od.step()
        og.zero_grad()
        g_loss = F.mse_loss(fake, real)
        if not pretraining:
            g_loss = g_loss + 1e-3 * bce(d(fake), ones)
        g_loss.backward()
        og.step()

    return step


STEP_FNS = {"vae": vae_step_fn, "srgan": srgan_step_fn}


def main():
    models = json.load(open(sys.argv[1]))
    threads, steps = sys.argv[2], int(sys.argv[3])
    if threads != "default":  # default: PyTorch's own choice (the physical cores)
        torch.set_num_threads(int(threads))
    torch.manual_seed(0)
    for model in models:
        batch = model["data"][0]["batch"]
        step = STEP_FNS.get(model["family"], gan_step_fn)(model, batch)
        for _ in range(3):
            step()
        times, cpu_times = [], []
        for _ in range(steps):
            t0, c0 = time.perf_counter(), time.process_time()
            step()
            times.append((time.perf_counter() - t0) * 1000)
            cpu_times.append((time.process_time() - c0) * 1000)
        ms = sorted(times)[len(times) // 2]
        cpu_ms = sorted(cpu_times)[len(cpu_times) // 2]
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"model": model["name"], "ms_per_step": ms, "images_per_sec": batch * 1000 / ms,
                          "threads": torch.get_num_threads(), "peak_rss_mb": peak_mb, "cpu_ms_per_step": cpu_ms}), flush=True)


if __name__ == "__main__":
    main()
