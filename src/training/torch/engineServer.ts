// The part of engine.py every family shares: the step server's framing (a JSON header line, then raw
// bytes), weights in TensorFlow's layouts, devices, the processes of a data-parallel run, metrics
// and checkpoints. A family's module (families/) adds its networks and its step as `FamilyEngine`.

/** Python the family's engine builds on: `Engine` (subclassed as FamilyEngine) and its helpers. */
export const ENGINE_BASE_PY = String.raw`def grad_norm(module):
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
    """What every family's engine shares. A family sets its networks (by the trainer's names) and
    optimizers in build(), and trains one step in step(inputs, step): inputs are the trainer's tensors
    for the step in the order it sent them, step the number of steps done before it."""

    def __init__(self, device, world):
        self.device = device
        self.world = world
        self.networks = {}
        self.optimizers = {}
        self.wrapped = {}
        self.parts = {}  # sub-networks whose weights cross on their own (progan's stages), by name
        self.state = {}  # what the trainer sent with the step besides its inputs
        self.averages = {}
        torch.manual_seed(SEED)
        self.build()

    PARTIAL = False  # True: a step may leave some of a network's parameters unused

    def network(self, name, module):
        self.networks[name] = module.to(self.device)
        return self.networks[name]

    def trained(self, name):
        """The network as a step trains it: with several processes in its own DistributedDataParallel
        (one network's update must not synchronise another's gradients)."""
        if self.world == 1:
            return self.networks[name]
        if name not in self.wrapped:
            # A growing network leaves the stages not yet in use without gradients.
            self.wrapped[name] = DistributedDataParallel(self.networks[name], find_unused_parameters=self.PARTIAL)
        return self.wrapped[name]

    def images(self, rows, shape=IMAGE_SHAPE):
        """Images as the trainer sends them (one row of height*width*channels per image) to N, C, H, W."""
        channels, height, width = shape
        return rows.reshape(-1, height, width, channels).permute(0, 3, 1, 2).contiguous().to(self.device)

    def weights_set(self, name):
        """Called after the trainer set a network's weights."""

    def start_average(self, source, name):
        """A weight average of the network source (as network name), starting from its weights."""
        average = copy.deepcopy(self.networks[source]).requires_grad_(False)
        self.averages[name] = (self.networks[source], self.network(name, average))

    def update_averages(self, decay):
        """average = decay * average + (1 - decay) * weights; running statistics copied, as TensorFlow.js does."""
        with torch.no_grad():
            for source, average in self.averages.values():
                for a, w in zip(average.parameters(), source.parameters()):
                    a.mul_(decay).add_(w, alpha=1 - decay)
                for a, b in zip(average.buffers(), source.buffers()):
                    a.copy_(b)

    def set_weights(self, name, shapes, payload):
        values = torch.frombuffer(bytearray(payload), dtype=torch.float32)
        targets = weights_of(self.parts[name] if name in self.parts else self.networks[name])
        if len(targets) != len(shapes):
            raise ValueError("%s has %d weights, got %d" % (name, len(targets), len(shapes)))
        offset = 0
        with torch.no_grad():
            for target, shape in zip(targets, shapes):
                size = 1
                for n in shape:
                    size *= n
                value = from_tensorflow(values[offset : offset + size].reshape(shape))
                offset += size
                if value.dim() not in (2, 4) and value.numel() == target.numel():
                    value = value.reshape(target.shape)  # a PReLU's slopes: [1, 1, C] in TensorFlow.js, [C] here
                if tuple(value.shape) != tuple(target.shape):
                    raise ValueError("%s: shape %s does not fit %s" % (name, tuple(value.shape), tuple(target.shape)))
                target.copy_(value)
        self.weights_set(name)

    def get_weights(self, name):
        tensors = [to_tensorflow(t) for t in weights_of(self.parts[name] if name in self.parts else self.networks[name])]
        return [list(t.shape) for t in tensors], float_bytes(tensors)

    def update(self, optimizer, loss, *modules):
        """One optimizer step of loss: gradients, their global norm over modules, the update."""
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        norm = torch.stack([grad_norm(m) for m in modules]).norm()
        optimizer.step()
        return norm

    def update_together(self, loss, names):
        """One backward of loss through the networks called names, each stepped by its own optimizer
        (the optimizer of the same name); their gradient norms as {"grad_norm/<name>": norm}."""
        for name in names:
            self.optimizers[name].zero_grad(set_to_none=True)
        loss.backward()
        norms = {"grad_norm/" + name: grad_norm(self.networks[name]) for name in names}
        for name in names:
            self.optimizers[name].step()
        return norms

    def report(self, means, norms):
        """The step's metrics: means averaged over the processes (each saw its share of the batch),
        gradient norms (the same on every process after the all-reduce) and learning rates."""
        shares = torch.stack([v.detach().float().reshape(()) for v in means.values()])
        if self.world > 1:
            dist.all_reduce(shares)
            shares /= self.world
        values = shares.tolist() + [n.detach().float().item() for n in norms.values()]
        # JSON has no NaN or infinity: a diverged value crosses as its name, which the trainer reports.
        metrics = {n: v if math.isfinite(v) else str(v) for n, v in zip(list(means) + list(norms), values)}
        for name, optimizer in self.optimizers.items():
            metrics["lr/" + name] = optimizer.param_groups[0]["lr"]
        return metrics

    def upgrade_state(self, state):
        """A checkpoint written by an older engine, in the current layout."""
        return state

    def save(self, path):
        torch.save({
            "networks": {name: m.state_dict() for name, m in self.networks.items()},
            "optimizers": {name: o.state_dict() for name, o in self.optimizers.items()},
            "torch_rng": torch.get_rng_state(),
            "cuda_rng": torch.cuda.get_rng_state_all() if self.device.type == "cuda" else None,
        }, path)

    def load(self, path):
        state = torch.load(path, map_location=self.device)
        if "networks" not in state:
            state = self.upgrade_state(state)
        for name, module in self.networks.items():
            module.load_state_dict(state["networks"][name])
        for name, optimizer in self.optimizers.items():
            optimizer.load_state_dict(state["optimizers"][name])
        torch.set_rng_state(state["torch_rng"])
        if state.get("cuda_rng") is not None and self.device.type == "cuda":
            torch.cuda.set_rng_state_all(state["cuda_rng"])`;

/** Python after the family's engine: reading a step's inputs, the device, the connection, the loop. */
export const ENGINE_SERVER_PY = String.raw`def read_inputs(header, payload):
    """The step's tensors in the order the trainer sent them: rows x width, float32 or int64."""
    offset, inputs = 0, []
    for part in header["inputs"]:
        rows, width = part["rows"], part["width"]
        size = rows * width * 4
        integer = part["type"] == "int32"
        if size == 0:
            inputs.append(torch.zeros(rows, width, dtype=torch.long if integer else torch.float32))
            continue
        values = torch.frombuffer(bytearray(payload[offset : offset + size]), dtype=torch.int32 if integer else torch.float32)
        inputs.append(values.reshape(rows, width).long() if integer else values.reshape(rows, width))
        offset += size
    return iter(inputs)


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
    engine = FamilyEngine(device, world)

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
                engine.state = header.get("state", {})
                send({"metrics": engine.step(read_inputs(header, payload), header["step"])})
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
    main()`;
