// video on the torch engine: the TensorFlow.js family's step (engine/families/video.ts, MoCoGAN) —
// d_steps updates of the frame and clip critics together, then the trajectory and the frame
// generator together against both; content codes and motion noise from the trainer's stream, and
// weight averages of the trajectory and the generator when `ema` is on.
import type { ResolvedModel } from '../../../language/model';
import { latentValues } from '../../engine/noise';
import { clipShapeOf, motionNoise } from '../../engine/families/video';
import { ExportError, networkClass } from '../../export/pytorchNetworks';
import { layersPy } from '../../export/pytorchRuntime';
import { adversarialLossPy, optimizerPy } from '../../export/pytorchTrain';
import type { StepInput, TorchPort } from './port';

const ROLES = ['trajectory', 'generator', 'discriminator', 'video_discriminator'] as const;

function modelPy(model: ResolvedModel): string {
  const { trajectory, generator, discriminator, video_discriminator: clips } = model.networks;
  if (!trajectory || !generator || !discriminator || !clips)
    throw new ExportError(`${model.name} needs a trajectory, a generator and both critics`);
  const shape = clipShapeOf(model);
  const [h, w, c] = shape.frame;
  return [
    `"""The networks of ${model.name}, from ${model.name}.gan, in PyTorch (GAN Studio's torch engine).`,
    '',
    'Tensors are channels-first here (N, C, H, W); the comments give the .gan file\'s height×width×channels."""',
    layersPy([trajectory, generator, discriminator, clips]),
    `IMAGE_SHAPE = (${c}, ${h}, ${w})  # one frame: channels, height, width`,
    `FRAMES = ${shape.frames}`,
    `CONTENT = ${shape.content}  # the content code, one per clip`,
    `MOTION = ${shape.motion}  # the motion noise and code, one per frame`,
    '',
    '',
    networkClass(trajectory, 'Trajectory', 'Motion noise per frame to a motion code per frame.'),
    '',
    '',
    networkClass(generator, 'Generator', 'A content code and a motion code to one frame.'),
    '',
    '',
    networkClass(discriminator, 'Discriminator', 'One frame to one score.'),
    '',
    '',
    networkClass(clips, 'VideoDiscriminator', 'A clip, its frames stacked as channels, to one score.'),
    '',
  ].join('\n');
}

function enginePy(model: ResolvedModel): string {
  const smoothing = typeof model.loss.params.smoothing === 'number' ? model.loss.params.smoothing : 1;
  const optimizer = (role: (typeof ROLES)[number], module: string): string =>
    optimizerPy(
      model.optimizers[role] ?? model.optimizers.generator ?? model.optimizers.discriminator,
      `self.networks["${module}"].parameters()`,
    );
  return String.raw`D_STEPS = ${model.train.dSteps}
SMOOTHING = ${smoothing}
EMA = ${model.train.ema ?? 'None'}


${adversarialLossPy(model.loss.kind)}


def stack_clips(frames):
    """Frames (clips x frames, C, H, W) as clips (clips, frames x C, H, W): frame t in channels t*C..."""
    n, channels, height, width = frames.shape
    return frames.reshape(n // FRAMES, FRAMES * channels, height, width)


class FamilyEngine(Engine):
    def build(self):
        for name, module in (("trajectory", Trajectory()), ("generator", Generator()),
                             ("discriminator", Discriminator()), ("video_discriminator", VideoDiscriminator())):
            self.network(name, module)
${ROLES.map((role) => `        self.optimizers["${role}"] = ${optimizer(role, role)}`).join('\n')}

    def weights_set(self, name):
        if name in ("trajectory", "generator") and EMA is not None:
            self.start_average(name, name + "_ema")

    def draw(self, content, noise):
        """Frames of clips: each frame from [content code, the trajectory's motion code for it]."""
        clips = content.shape[0]
        motion = self.trained("trajectory")(noise.reshape(clips, FRAMES, MOTION))
        codes = torch.cat([content[:, None, :].expand(-1, FRAMES, -1), motion], 2)
        return self.trained("generator")(codes.reshape(clips * FRAMES, CONTENT + MOTION))

    def step(self, inputs, step):
        frame_critic, clip_critic = self.trained("discriminator"), self.trained("video_discriminator")
        for _ in range(D_STEPS):
            real = self.images(next(inputs))
            content, noise = next(inputs).to(self.device), next(inputs).to(self.device)
            with torch.no_grad():
                fake = self.draw(content, noise)
            dr, df = frame_critic(real), frame_critic(fake)
            vr, vf = clip_critic(stack_clips(real)), clip_critic(stack_clips(fake))
            d_loss, v_loss = discriminator_loss(dr, df), discriminator_loss(vr, vf)
            norms = self.update_together(d_loss + v_loss, ("discriminator", "video_discriminator"))
        fake = self.draw(next(inputs).to(self.device), next(inputs).to(self.device))
        g_loss = generator_loss(frame_critic(fake)) + generator_loss(clip_critic(stack_clips(fake)))
        norms.update(self.update_together(g_loss, ("trajectory", "generator")))
        if EMA is not None:
            self.update_averages(EMA)
        means = {"d_loss": d_loss, "v_loss": v_loss, "d_real": readout(dr), "d_fake": readout(df),
                 "v_real": readout(vr), "v_fake": readout(vf), "g_loss": g_loss}
        return self.report(means, norms)`;
}

export const videoPort: TorchPort = {
  pushed: ROLES,
  modelPy,
  enginePy,
  imports: () => [
    'IMAGE_SHAPE',
    'FRAMES',
    'CONTENT',
    'MOTION',
    'Discriminator',
    'Generator',
    'Trajectory',
    'VideoDiscriminator',
  ],
  async stepInputs({ model, sources, rng }) {
    const latent = model.latent;
    if (!latent) throw new Error(`model ${model.name} has no latent`);
    const shape = clipShapeOf(model);
    const inputs: StepInput[] = [];
    // The TensorFlow.js family's order: per critic batch its content codes, then its motion noise;
    // then the generator's own. One row per clip, so a process's share is whole clips.
    const noise = (clips: number): StepInput[] => [
      { values: latentValues(rng, clips, latent), rows: clips },
      { values: motionNoise(rng, clips, shape), rows: clips },
    ];
    let clips = 0;
    for (let k = 0; k < model.train.dSteps; k++) {
      const batch = await sources[0].next();
      clips = batch.count / shape.frames;
      inputs.push({ values: batch.images, rows: clips }, ...noise(clips));
    }
    inputs.push(...noise(clips));
    return inputs;
  },
};
