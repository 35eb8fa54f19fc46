// When a run writes sample grids. `sample every=N` alone leaves the first grid minutes away
// (dcgan_small: 500 steps, over a minute; the cGAN: four), so until the first grid by steps a
// run also writes grids by wall time: at step 0 (the untrained networks, before the first step,
// whose kernel warm-up takes a second or more), then after 10 s, 20 s, 40 s…
// A resumed run has no step 0: its first timed grid follows its first step.
// Rendering must not eat the training: a timed grid waits until rendering has cost at most a
// quarter of the wall time since the previous grid.

export const FIRST_TIMED_INTERVAL_S = 10;
const MAX_RENDER_SHARE = 0.25;

export class SampleSchedule {
  private nextInterval = 0;
  private lastGridAt: number;
  private lastRenderSeconds = 0;

  /**
   * @param every   grids by steps (`sample every`)
   * @param startAt the session's start, in seconds on the clock passed to `due`
   */
  constructor(
    private readonly every: number,
    startAt: number,
  ) {
    this.lastGridAt = startAt;
  }

  /** Whether a grid is due after `step`, `now` seconds into the session's clock. */
  due(step: number, now: number): boolean {
    if (step % this.every === 0) return true;
    if (step > this.every) return false;
    const waited = now - this.lastGridAt;
    return waited >= this.nextInterval && this.lastRenderSeconds <= MAX_RENDER_SHARE * waited;
  }

  /** Records a grid written at `now` whose rendering took `renderSeconds`. */
  written(step: number, now: number, renderSeconds: number): void {
    this.lastGridAt = now;
    this.lastRenderSeconds = renderSeconds;
    if (step === 0 || step % this.every !== 0)
      this.nextInterval = this.nextInterval === 0 ? FIRST_TIMED_INTERVAL_S : this.nextInterval * 2;
  }
}
