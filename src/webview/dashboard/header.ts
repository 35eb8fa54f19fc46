// The run header: what is training, where, how far along, how fast, and a Stop button.
import { formatGrowth, growthOf } from '../../protocol/growth';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import { type HealthProblem, healthSummary, SIGNAL_LABELS } from '../../protocol/health';
import type { RunStatus } from '../../protocol/webview';
import { el } from '../dom';
import { compactCount, formatCount, formatDuration, MISSING } from '../../protocol/format';
import type { RunData } from './runStore';

export interface HeaderActions {
  stop(runId: string): void;
  openPreview(runId: string): void;
}

const statusLabels: Record<RunStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  completed: 'Completed',
  stopped: 'Stopped',
  failed: 'Failed',
};

export class RunHeader {
  readonly element: HTMLElement;
  private readonly model = el('h1', { className: 'run-model' });
  private readonly family = el('vscode-badge', { className: 'family-badge' });
  private readonly status = el('vscode-badge', { className: 'status-badge', attrs: { role: 'status' } });
  private readonly device = el('div', { className: 'run-device' });
  private readonly stepText = el('span', { className: 'stat-value', attrs: { 'data-stat': 'step' } });
  private readonly progress = el('vscode-progress-bar', { className: 'run-progress' });
  private readonly speed = el('span', { className: 'stat-value', attrs: { 'data-stat': 'speed' } });
  private readonly eta = el('span', { className: 'stat-value', attrs: { 'data-stat': 'eta' } });
  private readonly stage = el('span', { className: 'stat-value', attrs: { 'data-stat': 'stage' } });
  private readonly stageStat: HTMLElement;
  private readonly error = el('div', { className: 'run-error', attrs: { role: 'alert' } });
  private readonly health = el('div', { className: 'run-health', attrs: { role: 'alert' } });
  private readonly skipped = el('div', { className: 'run-skipped' });
  private readonly stopButton = el('vscode-button', { className: 'stop-button', text: 'Stop' });
  private readonly previewButton = el('vscode-button', { className: 'preview-button', text: 'Open preview' });
  private runId: string | null = null;

  constructor(actions: HeaderActions) {
    this.stopButton.setAttribute('aria-label', 'Stop training');
    this.previewButton.secondary = true;
    this.stopButton.addEventListener('click', () => {
      if (this.runId && !this.stopButton.disabled) actions.stop(this.runId);
    });
    this.previewButton.addEventListener('click', () => {
      if (this.runId) actions.openPreview(this.runId);
    });
    const stat = (label: string, value: HTMLElement) =>
      el('div', { className: 'stat' }, [el('span', { className: 'stat-label', text: label }), value]);
    this.stageStat = stat('Stage', this.stage);
    this.element = el('header', { className: 'run-header' }, [
      el('div', { className: 'run-title' }, [this.model, this.family, this.status]),
      this.device,
      this.skipped,
      el('div', { className: 'run-stats' }, [
        el('div', { className: 'stat stat-step' }, [
          el('span', { className: 'stat-label', text: 'Step' }),
          this.stepText,
          this.progress,
        ]),
        stat('Images/s', this.speed),
        stat('ETA', this.eta),
        this.stageStat,
        el('div', { className: 'run-actions' }, [this.previewButton, this.stopButton]),
      ]),
      this.error,
      this.health,
    ]);
  }

  render(run: RunData | undefined): void {
    this.element.hidden = run === undefined;
    if (!run) return;
    const s = run.summary;
    this.runId = s.id;
    this.model.textContent = s.model;
    this.family.textContent = s.family;
    const unhealthy = (s.health?.length ?? 0) > 0;
    const label =
      s.status === 'running' && s.evaluating ? 'Evaluating…' : (statusLabels[s.status] ?? s.status);
    this.status.textContent = unhealthy ? `${label} — unhealthy` : label;
    this.status.dataset.status = unhealthy ? 'unhealthy' : s.status;
    this.status.title = unhealthy ? healthSummary(s.health) : '';
    this.renderHealth(s.health ?? []);
    this.device.textContent = `${s.backend} · ${s.device}`;
    this.stepText.textContent = `${formatCount(s.step)} / ${formatCount(s.totalSteps)}`;
    this.progress.max = Math.max(1, s.totalSteps);
    this.progress.value = Math.min(s.step, s.totalSteps);
    this.progress.ariaLabel = `Step ${s.step} of ${s.totalSteps}`;
    const speed = s.imagesPerSec ?? run.lastValue('images_per_sec');
    this.speed.textContent = Number.isFinite(speed) ? compactCount(speed) : MISSING;
    this.eta.textContent =
      s.status === 'running' && s.etaSeconds !== undefined ? formatDuration(s.etaSeconds) : MISSING;
    // A growing model (progan): the newest stage's resolution and fade-in α, from its last row.
    const resolution = run.lastValue('resolution');
    const alpha = run.lastValue('alpha');
    const growth =
      Number.isFinite(resolution) && Number.isFinite(alpha) ? growthOf({ resolution, alpha }) : null;
    this.stageStat.hidden = growth === null;
    this.stage.textContent = growth ? formatGrowth(growth) : '';
    this.skipped.textContent = s.dataSkipped ?? '';
    this.skipped.hidden = !s.dataSkipped;
    this.error.textContent = s.error ?? '';
    this.error.hidden = !s.error;
    const active = s.status === 'running' || s.status === 'queued';
    this.stopButton.disabled = !active;
    this.stopButton.title = active ? 'Stop this run (a checkpoint is kept)' : 'The run is not training';
  }

  /** Each problem with where it began and what to try; the same text is not rebuilt every poll. */
  private renderHealth(problems: readonly HealthProblem[]): void {
    const key = JSON.stringify(problems);
    if (this.health.dataset.key === key) return;
    this.health.dataset.key = key;
    this.health.hidden = problems.length === 0;
    this.health.replaceChildren(
      ...problems.map((p) =>
        el('p', { className: 'health-problem', attrs: { 'data-signal': p.signal } }, [
          el('strong', { text: `${SIGNAL_LABELS[p.signal]} (from step ${formatCount(p.step)}): ` }),
          el('span', { text: `${p.message}. ` }),
          el('span', { className: 'health-advice', text: p.advice }),
        ]),
      ),
    );
  }
}
