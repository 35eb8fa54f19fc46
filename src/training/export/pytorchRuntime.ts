// The fixed Python of an exported project: the TensorFlow-compatible building blocks model.py
// uses, and the GAN Studio run folder train.py writes (so the editor opens runs trained elsewhere).
import type { ResolvedLayer, ResolvedNetwork } from '../../language/model';

/** model.py's helpers, before the generated network classes. */
const LAYERS_PY = String.raw`import torch
import torch.nn.functional as F
from torch import nn


def same_padding(size, kernel, stride):
    """TensorFlow's 'same' padding: (before, after), the odd pixel after."""
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


class Conv2dTF(nn.Conv2d):
    """nn.Conv2d with TensorFlow's padding: 'same' pads the odd pixel on the bottom and right."""

    def __init__(self, in_channels, out_channels, kernel, stride, padding, bias):
        super().__init__(in_channels, out_channels, kernel, stride, bias=bias)
        self.same = padding == "same"

    def pad(self, x):
        if not self.same:
            return x
        top, bottom = same_padding(x.shape[2], self.kernel_size[0], self.stride[0])
        left, right = same_padding(x.shape[3], self.kernel_size[1], self.stride[1])
        return F.pad(x, (left, right, top, bottom))

    def forward(self, x):
        return super().forward(self.pad(x))


class ConvTranspose2dTF(nn.ConvTranspose2d):
    """nn.ConvTranspose2d with TensorFlow's 'same' output: size × stride, cropped as TensorFlow
    crops (the odd pixel from the bottom and right)."""

    def __init__(self, in_channels, out_channels, kernel, stride, padding, bias):
        super().__init__(in_channels, out_channels, kernel, stride, bias=bias)
        self.same = padding == "same"

    def crop(self, x, y):
        if not self.same:
            return y
        h, w = x.shape[2] * self.stride[0], x.shape[3] * self.stride[1]
        top = (y.shape[2] - h) // 2
        left = (y.shape[3] - w) // 2
        return y[:, :, top : top + h, left : left + w]

    def forward(self, x):
        return self.crop(x, super().forward(x))


class ChannelLayerNorm(nn.LayerNorm):
    """Layer normalisation over the channels of each position, as TensorFlow's axis=-1."""

    def forward(self, x):
        if x.dim() == 4:
            return super().forward(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)
        return super().forward(x)


class FlattenChannelsLast(nn.Module):
    """Flattens in height, width, channels order, as the .gan file's shapes (and TensorFlow) do."""

    def forward(self, x):
        if x.dim() == 4:
            x = x.permute(0, 2, 3, 1)
        return x.reshape(x.shape[0], -1)


class ReshapeChannelsLast(nn.Module):
    """Reshapes to the .gan file's (height, width, channels), then to PyTorch's channels-first."""

    def __init__(self, *shape):
        super().__init__()
        self.shape = shape

    def forward(self, x):
        x = x.reshape(x.shape[0], *self.shape)
        return x.permute(0, 3, 1, 2) if len(self.shape) == 3 else x


class Residual(nn.Module):
    def __init__(self, body):
        super().__init__()
        self.body = body

    def forward(self, x):
        return x + self.body(x)


class PixelShuffleTF(nn.Module):
    """Sub-pixel upsampling in TensorFlow's depth_to_space order (input channel (i*f + j)*C + c goes
    to row offset i, column offset j, channel c), not nn.PixelShuffle's (c*f*f + i*f + j)."""

    def __init__(self, factor):
        super().__init__()
        self.factor = factor

    def forward(self, x):
        n, channels, h, w = x.shape
        f = self.factor
        c = channels // (f * f)
        return x.view(n, f, f, c, h, w).permute(0, 3, 4, 1, 5, 2).reshape(n, c, h * f, w * f)


def init_like_tensorflow(module):
    """TensorFlow.js's initial weights: Glorot-uniform kernels, zero biases."""
    for m in module.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.xavier_uniform_(m.weight)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
`;

/** Spectral normalisation (sn=true), when a network has it. */
const SPECTRAL_NORM_PY = String.raw`def spectral_weight(module, matrix):
    """module.weight divided by its largest singular value (Miyato et al. 2018), estimated as GAN
    Studio's TensorFlow.js layer does: matrix is the kernel in TensorFlow's layout with one column
    per output unit; each training call takes one power-iteration step and keeps u."""
    w = matrix.detach()
    u = module.u.reshape(-1, 1)
    v = w @ u
    v = v / (v.norm() + 1e-12)
    if module.training:
        u = w.t() @ v
        u = u / (u.norm() + 1e-12)
        with torch.no_grad():
            module.u.copy_(u.reshape(-1))
    sigma = (v.t() @ matrix @ u).reshape(())
    return module.weight / sigma


class SNLinear(nn.Linear):
    """nn.Linear with spectral normalisation (sn=true)."""

    def __init__(self, in_features, out_features, bias):
        super().__init__(in_features, out_features, bias=bias)
        self.register_buffer("u", torch.randn(out_features))

    def forward(self, x):
        return F.linear(x, spectral_weight(self, self.weight.t()), self.bias)


class SNConv2dTF(Conv2dTF):
    """Conv2dTF with spectral normalisation (sn=true)."""

    def __init__(self, in_channels, out_channels, kernel, stride, padding, bias):
        super().__init__(in_channels, out_channels, kernel, stride, padding, bias)
        self.register_buffer("u", torch.randn(out_channels))

    def forward(self, x):
        matrix = self.weight.permute(2, 3, 1, 0).reshape(-1, self.out_channels)
        return self._conv_forward(self.pad(x), spectral_weight(self, matrix), self.bias)


class SNConvTranspose2dTF(ConvTranspose2dTF):
    """ConvTranspose2dTF with spectral normalisation (sn=true)."""

    def __init__(self, in_channels, out_channels, kernel, stride, padding, bias):
        super().__init__(in_channels, out_channels, kernel, stride, padding, bias)
        self.register_buffer("u", torch.randn(out_channels))

    def forward(self, x):
        matrix = self.weight.permute(2, 3, 0, 1).reshape(-1, self.out_channels)
        weight = spectral_weight(self, matrix)
        return self.crop(x, F.conv_transpose2d(x, weight, self.bias, self.stride, self.padding, self.output_padding, self.groups, self.dilation))
`;

/** Layers that add a learned bias per class (PixelCNN's, conditional batch norm). */
const CLASS_CONDITIONED_PY = String.raw`class ClassConditioned(nn.Module):
    """A layer that adds a learned value per class (Conditional PixelCNN, conditional batch norm): the network sets .label,
    the one-hot classes of the batch, before its layers run."""

    label = None

    def class_bias(self, table):
        return F.linear(self.label, table)[:, :, None, None]
`;

/** The PixelCNN layers (maskedconv, gated), when a network has them. */
const PIXELCNN_PY = String.raw`def causal_mask(kernel, mask_a):
    """1 where a masked kernel reads: the rows above, and its own row left of the centre (mask B: and the centre)."""
    n = kernel // 2
    mask = torch.zeros(kernel, kernel)
    for r in range(kernel):
        for c in range(kernel):
            dr, dc = r - n, c - n
            mask[r, c] = 1.0 if dr < 0 or (dr == 0 and (dc < 0 or (dc == 0 and not mask_a))) else 0.0
    return mask


class MaskedConv2dTF(ClassConditioned):
    """A same-padded stride-1 convolution whose kernel is multiplied by a causal mask (van den Oord et al. 2016)."""

    def __init__(self, in_channels, filters, kernel, mask, bias, classes):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(filters, in_channels, kernel, kernel))
        self.bias = nn.Parameter(torch.zeros(filters)) if bias else None
        self.classes = nn.Parameter(torch.zeros(filters, classes)) if classes else None
        nn.init.xavier_uniform_(self.weight)
        self.register_buffer("mask", causal_mask(kernel, mask == "A"), persistent=False)

    def forward(self, x):
        n = self.weight.shape[-1] // 2
        y = F.conv2d(x, self.weight * self.mask, self.bias, padding=n)
        return y + self.class_bias(self.classes) if self.classes is not None else y


class GatedPixelTF(ClassConditioned):
    """A Gated PixelCNN layer (van den Oord et al. 2016): a vertical stack that sees the rows above and
    a horizontal stack that also sees the pixels to the left, each gated as tanh(a)·σ(b), with the
    kernels cropped to what each stack may see. Mask A reads the image; mask B the previous gated
    layer's [vertical | horizontal | skip] channels, and adds the last two back."""

    def __init__(self, in_channels, filters, kernel, mask, classes):
        super().__init__()
        self.filters, self.mask_a, n = filters, mask == "A", kernel // 2
        span = n if self.mask_a else n + 1
        cin = in_channels if self.mask_a else filters
        f2 = 2 * filters

        def weight(*shape):
            return nn.Parameter(nn.init.xavier_uniform_(torch.empty(*shape)))

        self.v_kernel, self.v_bias = weight(f2, cin, span, kernel), nn.Parameter(torch.zeros(f2))
        self.h_kernel, self.h_bias = weight(f2, cin, 1, span), nn.Parameter(torch.zeros(f2))
        self.link_kernel, self.link_bias = weight(f2, f2, 1, 1), nn.Parameter(torch.zeros(f2))
        self.out_kernel, self.out_bias = weight(filters, filters, 1, 1), nn.Parameter(torch.zeros(filters))
        self.skip_kernel, self.skip_bias = weight(filters, filters, 1, 1), nn.Parameter(torch.zeros(filters))
        self.v_class = nn.Parameter(torch.zeros(f2, classes)) if classes else None
        self.h_class = nn.Parameter(torch.zeros(f2, classes)) if classes else None

    def gate(self, x):
        a, b = x.split(self.filters, dim=1)
        return torch.tanh(a) * torch.sigmoid(b)

    def forward(self, x):
        height, width = x.shape[2], x.shape[3]
        n = self.v_kernel.shape[-1] // 2
        if self.mask_a:
            v, h, s = x, x, None
        else:
            v, h, s = x.split(self.filters, dim=1)
        # Rows above (mask A: the extra last row dropped); pixels to the left on the row.
        vf = F.conv2d(F.pad(v, (n, n, n, 0)), self.v_kernel, self.v_bias)[:, :, :height]
        hf = F.conv2d(F.pad(h, (n, 0, 0, 0)), self.h_kernel, self.h_bias)[:, :, :, :width]
        if self.v_class is not None:
            vf = vf + self.class_bias(self.v_class)
            hf = hf + self.class_bias(self.h_class)
        hf = hf + F.conv2d(vf, self.link_kernel, self.link_bias)
        g = self.gate(hf)
        h_out = F.conv2d(g, self.out_kernel, self.out_bias)
        s_out = F.conv2d(g, self.skip_kernel, self.skip_bias)
        if s is not None:
            h_out, s_out = h_out + h, s_out + s
        return torch.cat([self.gate(vf), h_out, s_out], dim=1)
`;

/** The recurrent layers (gru, lstm), when a network has them. */
const RECURRENT_PY = String.raw`def hard_sigmoid(x):
    return (0.2 * x + 0.5).clamp(0, 1)


class RecurrentTF(nn.Module):
    """A GRU or LSTM over a whole sequence (N, steps, features) as TensorFlow.js computes it: Keras's
    gate order and hard-sigmoid gates, the GRU's reset gate applied before its recurrent product,
    one output per step, starting from zeros."""

    def __init__(self, inputs, units, gates):
        super().__init__()
        self.units, self.gates = units, gates
        self.kernel = nn.Parameter(nn.init.xavier_uniform_(torch.empty(gates * units, inputs)))
        self.recurrent_kernel = nn.Parameter(nn.init.orthogonal_(torch.empty(gates * units, units)))
        self.bias = nn.Parameter(torch.zeros(gates * units))

    def forward(self, x):
        u = self.units
        inputs = F.linear(x, self.kernel, self.bias)
        h = x.new_zeros(x.shape[0], u)
        c = x.new_zeros(x.shape[0], u)
        outputs = []
        for t in range(x.shape[1]):
            if self.gates == 3:  # GRU: update z, reset r, candidate
                xz, xr, xh = inputs[:, t].split(u, dim=1)
                rz, rr = F.linear(h, self.recurrent_kernel[: 2 * u]).split(u, dim=1)
                z, r = hard_sigmoid(xz + rz), hard_sigmoid(xr + rr)
                candidate = torch.tanh(xh + F.linear(r * h, self.recurrent_kernel[2 * u :]))
                h = z * h + (1 - z) * candidate
            else:  # LSTM: input i, forget f, cell, output o
                i, f, cell, o = (inputs[:, t] + F.linear(h, self.recurrent_kernel)).split(u, dim=1)
                c = hard_sigmoid(f) * c + hard_sigmoid(i) * torch.tanh(cell)
                h = hard_sigmoid(o) * torch.tanh(c)
            outputs.append(h)
        return torch.stack(outputs, 1)
`;

/** Progressive GAN's layers (pixelnorm, minibatchstd), when a network has them. */
const PROGAN_PY = String.raw`class PixelNorm(nn.Module):
    """Each position's feature vector divided by its root mean square over the channels (Karras et al. 2018)."""

    def __init__(self, eps):
        super().__init__()
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.square().mean(1, keepdim=True) + self.eps)


class MinibatchStd(nn.Module):
    """One more channel: the standard deviation of every feature over groups of images, averaged to one
    number per group (a batch not divisible by the group size is one group)."""

    def __init__(self, group):
        super().__init__()
        self.group = group

    def forward(self, x):
        n, channels, height, width = x.shape
        g = min(self.group, n) if n % self.group == 0 else n
        grouped = x.reshape(g, n // g, channels, height, width)
        std = (grouped - grouped.mean(0, keepdim=True)).square().mean(0).add(1e-8).sqrt()
        per_group = std.mean([1, 2, 3]).repeat(g).reshape(n, 1, 1, 1)
        return torch.cat([x, per_group.expand(n, 1, height, width)], 1)
`;

/** A cgan's other conditionings (embed, batchnorm, projection), when the model has one. */
const CONDITIONING_PY = String.raw`class ClassTable(nn.Module):
    """A learned vector per class (a label embedding), kept in TensorFlow.js's layout turned: [size, classes]."""

    def __init__(self, classes, size):
        super().__init__()
        self.table = nn.Parameter(torch.randn(size, classes))

    def forward(self, onehot):
        return F.linear(onehot, self.table)


class ConditionalBatchNorm(ClassConditioned):
    """Batch normalisation whose scale and shift are looked up per class (conditional batch norm)."""

    def __init__(self, channels, classes, momentum, eps):
        super().__init__()
        self.gamma = nn.Parameter(torch.ones(channels, classes))
        self.beta = nn.Parameter(torch.zeros(channels, classes))
        self.register_buffer("running_mean", torch.zeros(channels))
        self.register_buffer("running_var", torch.ones(channels))
        self.momentum, self.eps = momentum, eps

    def forward(self, x):
        y = F.batch_norm(x, self.running_mean, self.running_var, None, None, self.training, self.momentum, self.eps)
        scale, shift = self.class_bias(self.gamma), self.class_bias(self.beta)
        if x.dim() == 2:
            scale, shift = scale[:, :, 0, 0], shift[:, :, 0, 0]
        return y * scale + shift
`;

/** model.py's helpers for these networks: the shared blocks, plus spectral norm, the PixelCNN
 *  layers and the recurrent layers when a network uses them. */
export function layersPy(
  networks: readonly (ResolvedNetwork | undefined)[],
  conditioning: 'default' | 'other' = 'default',
): string {
  const all = (layers: readonly ResolvedLayer[]): ResolvedLayer[] =>
    layers.flatMap((layer) => [layer, ...all(layer.body ?? [])]);
  const used = networks.flatMap((n) => (n ? all(n.layers) : []));
  const pixelcnn = used.some((l) => l.kind === 'maskedconv' || l.kind === 'gated');
  return [
    LAYERS_PY,
    ...(used.some((l) => l.params.sn === true) ? ['\n\n', SPECTRAL_NORM_PY] : []),
    ...(pixelcnn || conditioning === 'other' ? ['\n\n', CLASS_CONDITIONED_PY] : []),
    ...(pixelcnn ? ['\n\n', PIXELCNN_PY] : []),
    ...(conditioning === 'other' ? ['\n\n', CONDITIONING_PY] : []),
    ...(used.some((l) => l.kind === 'gru' || l.kind === 'lstm') ? ['\n\n', RECURRENT_PY] : []),
    ...(used.some((l) => l.kind === 'pixelnorm' || l.kind === 'minibatchstd') ? ['\n\n', PROGAN_PY] : []),
  ].join('');
}

/** run_folder.py: the run folder contract of GAN Studio (run.json, metrics.jsonl, samples/). */
export const RUN_FOLDER_PY = String.raw`"""A GAN Studio run folder: run.json, model.gan, metrics.jsonl and samples/step-NNNNNN.png, each
written so that a reader (the editor, 'gan runs') never sees half a file."""
import json
import os
import socket
import struct
import zlib
from datetime import datetime, timezone


def now():
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def write_atomically(path, data):
    tmp = "%s.tmp-%d" % (path, os.getpid())
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def png_bytes(pixels, width, height, channels):
    """An 8-bit grey (1 channel) or RGB (3) PNG of row-major bytes."""
    color = {1: 0, 3: 2}[channels]
    rows = b"".join(b"\x00" + pixels[y * width * channels : (y + 1) * width * channels] for y in range(height))

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, color, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 6)) + chunk(b"IEND", b"")


class RunFolder:
    def __init__(self, path, info, model_source):
        self.path = path
        self.info = info
        os.makedirs(os.path.join(path, "samples"), exist_ok=True)
        os.makedirs(os.path.join(path, "checkpoints-torch"), exist_ok=True)
        model_file = os.path.join(path, "model.gan")
        if not os.path.exists(model_file):
            write_atomically(model_file, model_source.encode("utf-8"))
        self.update()

    @staticmethod
    def open_existing(path):
        with open(os.path.join(path, "run.json"), encoding="utf-8") as f:
            info = json.load(f)
        run = RunFolder.__new__(RunFolder)
        run.path, run.info = path, info
        return run

    def update(self, **fields):
        self.info.update(fields, updatedAt=now(), pid=os.getpid(), host=socket.gethostname())
        write_atomically(os.path.join(self.path, "run.json"), (json.dumps(self.info, indent=2) + "\n").encode("utf-8"))

    def append_metrics(self, row):
        # One whole line per write: a reader stops at the last complete line.
        with open(os.path.join(self.path, "metrics.jsonl"), "a", encoding="utf-8") as f:
            f.write(json.dumps(row) + "\n")
            f.flush()
            os.fsync(f.fileno())

    def drop_metrics_after(self, step):
        """A resumed run forgets the rows written after its checkpoint."""
        path = os.path.join(self.path, "metrics.jsonl")
        if not os.path.exists(path):
            return
        with open(path, encoding="utf-8") as f:
            kept = [line for line in f if line.strip() and json.loads(line)["step"] <= step]
        write_atomically(path, "".join(kept).encode("utf-8"))

    def write_sample_grid(self, step, images, rows, cols, scale):
        """images: N×C×H×W in the data's scale, drawn row by row into one grid PNG."""
        lo, hi = scale
        n, c, h, w = images.shape
        grid = images[: rows * cols].clamp(lo, hi).sub(lo).div(hi - lo).mul(255).round().byte()
        grid = grid.reshape(rows, cols, c, h, w).permute(0, 3, 1, 4, 2).reshape(rows * h, cols * w, c)
        data = png_bytes(bytes(grid.contiguous().view(-1).tolist()), cols * w, rows * h, c)
        write_atomically(os.path.join(self.path, "samples", "step-%06d.png" % step), data)

    def checkpoint_path(self, step):
        return os.path.join(self.path, "checkpoints-torch", "step-%06d.pt" % step)

    def latest_checkpoint(self):
        folder = os.path.join(self.path, "checkpoints-torch")
        names = sorted(n for n in os.listdir(folder) if n.startswith("step-") and n.endswith(".pt"))
        return os.path.join(folder, names[-1]) if names else None
`;
