// video on the torch engine: the TensorFlow.js family's step (engine/families/video.ts, MoCoGAN) —
// d_steps updates of the frame and clip critics together (the frame critic on the frames
// `critic_frames` picks, drawn by the trainer's stream), then the trajectory and the frame
// generator together against both; content codes and motion noise from the trainer's stream, and
// weight averages of the trajectory and the generator when `ema` is on.
import type { ResolvedModel } from '../../../language/model';
import { latentValues } from '../../engine/noise';
import { clipShapeOf, criticFramePicks, motionNoise } from '../../engine/families/video';
import { optimizerPy } from '../../export/pytorchTrain';
import { VIDEO_ROLES, videoModelPy, videoOptimizer, videoPiecesPy } from '../../export/pytorchVideo';
import type { StepInput, TorchPort } from './port';

function enginePy(model: ResolvedModel): string {
  const optimizer = (role: (typeof VIDEO_ROLES)[number]): string =>
    optimizerPy(videoOptimizer(model, role), `self.networks["${role}"].parameters()`);
  return String.raw`${videoPiecesPy(model)}


class FamilyEngine(Engine):
    def build(self):
        for name, module in (("trajectory", Trajectory()), ("generator", Generator()),
                             ("discriminator", Discriminator()), ("video_discriminator", VideoDiscriminator())):
            self.network(name, module)
${VIDEO_ROLES.map((role) => `        self.optimizers["${role}"] = ${optimizer(role)}`).join('\n')}

    def weights_set(self, name):
        if name in ("trajectory", "generator") and EMA is not None:
            self.start_average(name, name + "_ema")

    def draw(self, content, noise):
        return draw_clips(self.trained("trajectory"), self.trained("generator"), content, noise)

    def picks(self, inputs):
        return next(inputs).to(self.device) if CRITIC_FRAMES is not None else None

    def step(self, inputs, step):
        frame_critic, clip_critic = self.trained("discriminator"), self.trained("video_discriminator")
        for _ in range(D_STEPS):
            real = self.images(next(inputs))
            content, noise = next(inputs).to(self.device), next(inputs).to(self.device)
            picks = self.picks(inputs)
            with torch.no_grad():
                fake = self.draw(content, noise)
            dr, df = frame_critic(critic_frames(real, picks)), frame_critic(critic_frames(fake, picks))
            vr, vf = clip_critic(stack_clips(real)), clip_critic(stack_clips(fake))
            d_loss, v_loss = discriminator_loss(dr, df), discriminator_loss(vr, vf)
            norms = self.update_together(d_loss + v_loss, ("discriminator", "video_discriminator"))
        fake = self.draw(next(inputs).to(self.device), next(inputs).to(self.device))
        judged = critic_frames(fake, self.picks(inputs))
        g_loss = generator_loss(frame_critic(judged)) + generator_loss(clip_critic(stack_clips(fake)))
        norms.update(self.update_together(g_loss, ("trajectory", "generator")))
        if EMA is not None:
            self.update_averages(EMA)
        means = {"d_loss": d_loss, "v_loss": v_loss, "d_real": readout(dr), "d_fake": readout(df),
                 "v_real": readout(vr), "v_fake": readout(vf), "g_loss": g_loss}
        return self.report(means, norms)`;
}

export const videoPort: TorchPort = {
  pushed: VIDEO_ROLES,
  modelPy: (model) => videoModelPy(model, `${model.name}.gan`),
  enginePy,
  imports: () => [
    'IMAGE_SHAPE',
    'FRAMES',
    'CONTENT',
    'MOTION',
    'MOTION_NOISE',
    'CRITIC_FRAMES',
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
    // The TensorFlow.js family's order: per critic batch its content codes, its motion noise and
    // the frames its frame critic judges; then the generator's own. One row per clip, so a
    // process's share is whole clips.
    const noise = (clips: number): StepInput[] => {
      const codes = [
        { values: latentValues(rng, clips, latent), rows: clips },
        { values: motionNoise(rng, clips, shape), rows: clips },
      ];
      const picks = criticFramePicks(rng, clips, shape);
      return picks ? [...codes, { values: picks, rows: clips }] : codes;
    };
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
