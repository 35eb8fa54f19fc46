// train.py of an exported `gan` model: the adversarial loop of the TensorFlow.js engine
// (src/training/engine/families/adversarial.ts, losses.ts) in plain PyTorch, with
// DistributedDataParallel when started by torchrun and a GAN Studio run folder written by rank 0.
import type { ResolvedModel, ResolvedOptimizer } from '../../language/model';
import { torchExportProblems } from '../../language/schema';
import { ExportError } from './pytorchNetworks';
import {
  scriptHeadPy,
  TRAIN_HELPERS_PY,
  UPDATE_AVERAGE_PY,
  type TrainScriptInputs,
} from './pytorchTrainCommon';

export type { TrainScriptInputs } from './pytorchTrainCommon';

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

export function trainScript({ model, steps, stepsPerEpoch, sourceFile }: TrainScriptInputs): string {
  const loss = LOSSES[model.loss.kind];
  if (!loss || !model.latent) throw new ExportError(unsupportedTrainSettings(model).join('; '));
  const [rows, cols] = model.sample.grid;
  // A conditional model's networks take the batch's labels too; its fakes take the real batch's.
  const conditional = model.condition !== null;
  const y = conditional ? ', labels' : '';
  const smoothing = typeof model.loss.params.smoothing === 'number' ? model.loss.params.smoothing : 1;
  const head = scriptHeadPy(
    { model, steps, stepsPerEpoch, sourceFile },
    {
      uses: { copy: true, functional: true },
      fromModel: [...(conditional ? ['CLASSES'] : []), 'LATENT', 'Discriminator', 'Generator'],
      grid: `(${rows}, ${cols})`,
    },
  );
  return String.raw`${head}
D_STEPS = ${model.train.dSteps}
SMOOTHING = ${smoothing}  # the real label the discriminator is trained towards
GP = ${penaltyWeight(model)}  # WGAN-GP's penalty weight (loss wasserstein gp=…); 0: none
LOSS = "${model.loss.kind}"
EMA = ${model.train.ema ?? 'None'}  # the generator's weight average's decay (samples come from it); None: off


${adversarialLossPy(model.loss.kind)}


${gradientPenaltyPy()}


${UPDATE_AVERAGE_PY}


${TRAIN_HELPERS_PY}


def main():
    args = parse_args()
    rank, world, device = start_processes(args.cpu)
    torch.manual_seed(SEED)
    generator, discriminator = synced_batch_norm([Generator().to(device), Discriminator().to(device)], args, world, device)
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
    batches = endless_batches(dataset, rank, world, step, D_STEPS)
    if rank == 0:
        run = open_run(args, step, world, device, "${model.family}")
    started = time.perf_counter()

    def train_steps():
        nonlocal step
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
                    plain_d = unwrapped(discriminator)
                    d_loss = d_loss + gradient_penalty(lambda x: plain_d(x${y}), real, fake.detach(), mix)
                d_optimizer.zero_grad(set_to_none=True)
                d_loss.backward()
                d_optimizer.step()
            if GP > 0:
                z = torch.randn(BATCH, LATENT, generator=noise)[rank::world].to(device)
                fake = generator(z${y})
            # The generator learns against the critic just updated (as the editor's engine does); the
            # critic's gradients from this loss are dropped, so they need no all-reduce: its plain module.
            g_out = unwrapped(discriminator)(fake${y})
            g_loss = generator_loss(g_out)
            g_optimizer.zero_grad(set_to_none=True)
            g_loss.backward()
            g_optimizer.step()
            if average is not None:
                update_average(average, unwrapped(generator))
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
                    drawer = average if average is not None else unwrapped(generator)
                    sample_grid(run, step, [drawer], lambda: drawer(fixed_noise.to(device)${conditional ? ', fixed_labels.to(device)' : ''}))
                if step % CHECKPOINT_EVERY == 0 or step == args.steps:
                    save_checkpoint(run, step, {
                        "generator": unwrapped(generator).state_dict(), "discriminator": unwrapped(discriminator).state_dict(),
                        "g_optimizer": g_optimizer.state_dict(), "d_optimizer": d_optimizer.state_dict(),
                        "noise": noise.get_state(), "torch_rng": torch.get_rng_state(),
                        "average": average.state_dict() if average is not None else None,
                    })
                run.update(step=step)
                print("step %d/%d  d_loss %.4f  g_loss %.4f" % (step, args.steps, d_loss_v, g_loss_v), flush=True)

    finish(run, rank, world, train_steps)


if __name__ == "__main__":
    main()
`;
}
