// Plays a clip grid (one clip per row, its frames across) as motion: a canvas shows frame t of every
// row side by side, with play/pause and a frame scrubber. The static strip stays beside it.
import { clipColumn } from '../protocol/sample';
import { el } from './dom';

/** Milliseconds per frame (about 8 frames a second, as the CLI's GIFs). */
const FRAME_MS = 120;

export class ClipPlayer {
  readonly element: HTMLElement;
  private readonly canvas = el('canvas', { className: 'clip-canvas', attrs: { role: 'img' } });
  private readonly button = el('vscode-button', {
    className: 'clip-play',
    attrs: { secondary: '', 'aria-label': 'Play the clips' },
    text: 'Play',
  });
  private readonly scrubber = el('input', {
    className: 'clip-scrubber',
    attrs: { type: 'range', min: '0', max: '0', step: '1', 'aria-label': 'Clip frame' },
  });
  private readonly caption = el('span', { className: 'clip-caption', attrs: { 'aria-live': 'off' } });
  private readonly image = new Image();
  private frames = 0;
  private frame = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private uri = '';

  constructor() {
    this.element = el('div', { className: 'clip-player', attrs: { hidden: '' } }, [
      this.canvas,
      el('div', { className: 'clip-controls' }, [this.button, this.scrubber, this.caption]),
    ]);
    this.button.addEventListener('click', () => (this.timer ? this.pause() : this.play()));
    this.scrubber.addEventListener('input', () => {
      this.pause();
      this.seek(Number(this.scrubber.value));
    });
    this.image.addEventListener('load', () => this.seek(Math.min(this.frame, this.frames - 1)));
  }

  /** Shows the clips of the grid at `uri` (frames per clip); null hides the player. */
  show(uri: string | null, frames: number | null): void {
    if (uri === null || frames === null || frames < 2) {
      this.pause();
      this.element.hidden = true;
      this.uri = '';
      return;
    }
    this.element.hidden = false;
    this.frames = frames;
    this.scrubber.max = String(frames - 1);
    if (uri !== this.uri) {
      this.uri = uri;
      this.image.src = uri;
    }
    // Motion starts by itself unless the user asked for reduced motion.
    if (!this.timer && !window.matchMedia('(prefers-reduced-motion: reduce)').matches) this.play();
  }

  private play(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.seek((this.frame + 1) % Math.max(1, this.frames)), FRAME_MS);
    this.button.textContent = 'Pause';
    this.button.setAttribute('aria-label', 'Pause the clips');
  }

  private pause(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.button.textContent = 'Play';
    this.button.setAttribute('aria-label', 'Play the clips');
  }

  private seek(t: number): void {
    this.frame = t;
    this.scrubber.value = String(t);
    this.caption.textContent = `frame ${t + 1} of ${this.frames}`;
    const column = this.image.complete ? clipColumn(this.image.naturalWidth, this.frames, t) : null;
    if (!column) return;
    const height = this.image.naturalHeight;
    if (this.canvas.width !== column.width) this.canvas.width = column.width;
    if (this.canvas.height !== height) this.canvas.height = height;
    this.canvas.setAttribute('aria-label', `Generated clips, frame ${t + 1} of ${this.frames}`);
    const context = this.canvas.getContext('2d');
    context?.drawImage(this.image, column.left, 0, column.width, height, 0, 0, column.width, height);
  }

  dispose(): void {
    this.pause();
  }
}
