// The sample preview panel: pick a checkpoint and how to sample (mode, grid, class, seeds), render
// through the host (which asks the run's worker), flip back through recent renders, save one.
import { ClipPlayer } from '../clipPlayer';
import { RowLabels, rowLabelsFor } from '../rowLabels';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { HostToPreviewMessage, PreviewRun } from '../../protocol/webview';
import { formatCount } from '../../protocol/format';
import { el } from '../dom';
import { PRESENTATION_FAMILIES } from '../families';
import type { PreviewHost } from '../vscodeApi';
import {
  buildRequest,
  takesSeed2,
  type ClassChoice,
  gridChoices,
  modesFor,
  type PreviewOptions,
  reconcileOptions,
  takesClasses,
  takesPrompt,
} from './sampleOptions';

export interface PreviewState {
  readonly options?: Partial<PreviewOptions>;
  /** null: the newest checkpoint. */
  readonly checkpoint?: number | null;
}

interface Rendered {
  readonly requestId: number;
  readonly uri: string;
  readonly description: string;
  /** What each row of the grid shows, when rows mean something. */
  readonly rowLabels: readonly string[] | null;
}

const maxHistory = 12;

export class PreviewApp {
  private run: PreviewRun | null = null;
  /** Options saved before a reload, applied when the run arrives. */
  private readonly savedOptions: Partial<PreviewOptions> | undefined;
  private options: PreviewOptions | null = null;
  private checkpoint: number | null;
  private nextRequestId = 1;
  private pending: { id: number; description: string; rowLabels: readonly string[] | null } | null = null;
  private readonly rowLabels = new RowLabels();
  private history: Rendered[] = [];
  private shown: Rendered | null = null;

  private readonly title = el('h1', { className: 'preview-title', text: 'Samples' });
  private readonly family = el('vscode-badge');
  private readonly checkpointSelect = el('vscode-single-select', {
    attrs: { id: 'checkpoint', 'aria-label': 'Checkpoint' },
  });
  private readonly modeSelect = el('vscode-single-select', { attrs: { id: 'mode', 'aria-label': 'Mode' } });
  private readonly gridSelect = el('vscode-single-select', { attrs: { id: 'grid', 'aria-label': 'Grid' } });
  private readonly classSelect = el('vscode-single-select', {
    attrs: { id: 'class', 'aria-label': 'Class' },
  });
  private readonly seedField = el('vscode-textfield', { attrs: { id: 'seed', type: 'number', min: '0' } });
  private readonly seed2Field = el('vscode-textfield', { attrs: { id: 'seed2', type: 'number', min: '0' } });
  private readonly promptField = el('vscode-textfield', { attrs: { id: 'prompt', type: 'text' } });
  private readonly promptControl: HTMLElement;
  private readonly classControl: HTMLElement;
  private readonly seed2Control: HTMLElement;
  private readonly renderButton = el('vscode-button', { className: 'render-button', text: 'Render' });
  private readonly newSeedButton = el('vscode-button', { className: 'new-seed-button', text: 'New seed' });
  private readonly saveButton = el('vscode-button', { className: 'save-button', text: 'Save PNG…' });
  private readonly cancelButton = el('vscode-button', { className: 'cancel-button', text: 'Cancel' });
  private readonly image = el('img', { className: 'preview-image', attrs: { alt: '' } });
  /** A video run's clips, played (the strip of frames stays beside it). */
  private readonly player = new ClipPlayer();
  private readonly busy = el('vscode-progress-ring', {
    className: 'busy',
    attrs: { 'aria-label': 'Rendering' },
  });
  private readonly message = el('p', { className: 'preview-message', attrs: { role: 'status' } });
  private readonly historyList = el('div', {
    className: 'history',
    attrs: { role: 'list', 'aria-label': 'Recent renders' },
  });

  constructor(
    root: HTMLElement,
    private readonly host: PreviewHost<PreviewState>,
  ) {
    const saved = host.loadState();
    this.checkpoint = typeof saved?.checkpoint === 'number' ? saved.checkpoint : null;
    this.savedOptions = saved?.options;
    this.newSeedButton.secondary = true;
    this.saveButton.secondary = true;
    this.saveButton.disabled = true;
    this.cancelButton.secondary = true;
    const control = (label: string, forId: string, input: HTMLElement) =>
      el('label', { className: 'control', attrs: { for: forId } }, [el('span', { text: label }), input]);
    this.classControl = control('Class', 'class', this.classSelect);
    this.seed2Control = control('Seed 2', 'seed2', this.seed2Field);
    this.promptControl = control('Prompt', 'prompt', this.promptField);
    root.replaceChildren(
      el('div', { className: 'preview' }, [
        el('header', { className: 'preview-header' }, [this.title, this.family]),
        el(
          'div',
          { className: 'preview-controls', attrs: { role: 'group', 'aria-label': 'Sampling options' } },
          [
            control('Checkpoint', 'checkpoint', this.checkpointSelect),
            control('Mode', 'mode', this.modeSelect),
            control('Grid', 'grid', this.gridSelect),
            this.promptControl,
            this.classControl,
            control('Seed', 'seed', this.seedField),
            this.seed2Control,
            el('div', { className: 'actions' }, [
              this.renderButton,
              this.newSeedButton,
              this.saveButton,
              this.cancelButton,
            ]),
          ],
        ),
        el('div', { className: 'preview-stage' }, [
          el('div', { className: 'labelled-grid' }, [
            this.rowLabels.element,
            this.image,
            this.player.element,
          ]),
          this.busy,
          this.message,
        ]),
        el('h2', { text: 'Recent' }),
        this.historyList,
      ]),
    );
    this.wire();
    this.showStage();
  }

  handle(message: HostToPreviewMessage): void {
    switch (message.type) {
      case 'previewInit':
        this.start(message.run);
        break;
      case 'checkpoints':
        if (this.run && this.run.id === message.runId) {
          const newestBefore = this.run.checkpoints.at(-1);
          this.run = { ...this.run, checkpoints: message.checkpoints };
          this.fillCheckpoints();
          // "Newest" follows a training run: each checkpoint it writes renders by itself.
          if (this.checkpoint === null && message.checkpoints.at(-1) !== newestBefore) this.requestRender();
        }
        break;
      case 'sampleImage':
        this.onImage(message.requestId, message.uri, message.checkpoint);
        break;
      case 'sampleProgress':
        if (this.pending?.id === message.requestId) {
          this.message.textContent = `Drawing pixel by pixel: ${formatCount(message.done)} of ${formatCount(message.total)} (${Math.floor((100 * message.done) / message.total)}%)`;
          this.message.classList.remove('error');
        }
        break;
      case 'sampleError':
        if (this.pending?.id === message.requestId) {
          this.pending = null;
          this.message.textContent = message.message;
          this.message.classList.add('error');
          this.showStage();
        }
        break;
    }
  }

  private start(run: PreviewRun): void {
    const sameRun = this.run?.id === run.id;
    this.run = run;
    this.options = reconcileOptions(
      run,
      sameRun ? (this.options ?? undefined) : (this.options ?? this.savedOptions),
    );
    if (!sameRun) {
      this.history = [];
      this.shown = null;
    }
    this.title.textContent = run.model;
    this.family.textContent = run.family;
    this.fillCheckpoints();
    this.fillChoices();
    this.requestRender();
  }

  private wire(): void {
    this.cancelButton.addEventListener('click', () => {
      if (this.pending) this.host.post({ type: 'cancelSample', requestId: this.pending.id });
    });
    this.checkpointSelect.addEventListener('change', () => {
      this.checkpoint = this.checkpointSelect.value === 'newest' ? null : Number(this.checkpointSelect.value);
      this.save();
      this.requestRender();
    });
    const onOptionChange = () => {
      this.readOptions();
      this.requestRender();
    };
    this.modeSelect.addEventListener('change', onOptionChange);
    this.gridSelect.addEventListener('change', onOptionChange);
    this.classSelect.addEventListener('change', onOptionChange);
    for (const field of [this.seedField, this.seed2Field, this.promptField]) {
      field.addEventListener('change', () => this.readOptions());
      field.addEventListener('keydown', (event: KeyboardEvent) => {
        if (event.key === 'Enter') onOptionChange();
      });
    }
    this.renderButton.addEventListener('click', onOptionChange);
    this.newSeedButton.addEventListener('click', () => {
      if (!this.options) return;
      const seed = Math.floor(Math.random() * 2 ** 31);
      this.options = { ...this.options, seed, seed2: (seed + 1) % 2 ** 31 };
      this.seedField.value = String(this.options.seed);
      this.seed2Field.value = String(this.options.seed2);
      this.save();
      this.requestRender();
    });
    this.saveButton.addEventListener('click', () => {
      if (this.shown && !this.saveButton.disabled)
        this.host.post({ type: 'saveSample', requestId: this.shown.requestId });
    });
  }

  private fillCheckpoints(): void {
    const run = this.run;
    if (!run) return;
    const options = [el('vscode-option', { text: 'Newest', attrs: { value: 'newest' } })];
    for (const step of [...run.checkpoints].reverse())
      options.push(
        el('vscode-option', { text: `Step ${formatCount(step)}`, attrs: { value: String(step) } }),
      );
    this.checkpointSelect.replaceChildren(...options);
    if (this.checkpoint !== null && !run.checkpoints.includes(this.checkpoint)) this.checkpoint = null;
    this.checkpointSelect.value = this.checkpoint === null ? 'newest' : String(this.checkpoint);
  }

  private fillChoices(): void {
    const run = this.run;
    const options = this.options;
    if (!run || !options) return;
    this.modeSelect.replaceChildren(
      ...modesFor(run.family).map((m) => el('vscode-option', { text: m.label, attrs: { value: m.mode } })),
    );
    this.modeSelect.value = options.mode;
    const grids = gridChoices.some((g) => g[0] === run.grid[0] && g[1] === run.grid[1])
      ? gridChoices
      : [run.grid, ...gridChoices];
    this.gridSelect.replaceChildren(
      ...grids.map(([r, c]) => el('vscode-option', { text: `${r} × ${c}`, attrs: { value: `${r}x${c}` } })),
    );
    this.gridSelect.value = `${options.grid[0]}x${options.grid[1]}`;
    this.classControl.hidden = !takesClasses(run, options.mode);
    if (run.classes !== null) {
      const choices = [el('vscode-option', { text: 'One class per row', attrs: { value: 'rows' } })];
      for (let c = 0; c < run.classes; c++)
        choices.push(
          el('vscode-option', { text: run.classNames?.[c] ?? `Class ${c}`, attrs: { value: String(c) } }),
        );
      this.classSelect.replaceChildren(...choices);
      this.classSelect.value = String(options.classChoice);
    }
    this.seedField.value = String(options.seed);
    this.seed2Field.value = String(options.seed2);
    this.seed2Control.hidden = !takesSeed2(options.mode);
    this.promptControl.hidden = !takesPrompt(run);
    this.promptField.placeholder = PRESENTATION_FAMILIES[run.family].prompt?.placeholder ?? '';
    this.promptField.value = options.text;
  }

  private readOptions(): void {
    if (!this.run || !this.options) return;
    const [rows, cols] = this.gridSelect.value.split('x').map(Number);
    const classValue = this.classSelect.value;
    const classChoice: ClassChoice = classValue === 'rows' || classValue === '' ? 'rows' : Number(classValue);
    this.options = reconcileOptions(this.run, {
      mode: this.modeSelect.value as PreviewOptions['mode'],
      grid: [rows, cols],
      classChoice,
      seed: Number(this.seedField.value),
      seed2: Number(this.seed2Field.value),
      text: this.promptField.value,
    });
    this.seed2Control.hidden = !takesSeed2(this.options.mode);
    this.classControl.hidden = !takesClasses(this.run, this.options.mode);
    this.save();
  }

  private save(): void {
    this.host.saveState({ options: this.options ?? undefined, checkpoint: this.checkpoint });
  }

  private requestRender(): void {
    const run = this.run;
    const options = this.options;
    if (!run || !options) return;
    if (run.checkpoints.length === 0) {
      this.message.textContent = 'No checkpoint yet: samples can be rendered once the run writes one.';
      this.message.classList.remove('error');
      this.showStage();
      return;
    }
    // A new request supersedes one still drawing: stop that one rather than wait for it.
    if (this.pending) this.host.post({ type: 'cancelSample', requestId: this.pending.id });
    const requestId = this.nextRequestId++;
    const request = buildRequest(run, options);
    const mode = request.text
      ? `“${request.text.join('”, “')}”`
      : (modesFor(run.family).find((m) => m.mode === options.mode)?.label ?? options.mode);
    const names = run.classNames ?? null;
    const chosenClass =
      typeof options.classChoice === 'number' && takesClasses(run, options.mode)
        ? ` · ${names?.[options.classChoice] ?? `class ${options.classChoice}`}`
        : '';
    this.pending = {
      id: requestId,
      description: `${mode}${chosenClass} · seed ${options.seed} · ${options.grid[0]}×${options.grid[1]}`,
      rowLabels: rowLabelsFor(run.family, options.mode, {
        rows: request.text ? request.text.length : options.grid[0],
        request,
        classes: run.classes,
        classNames: names,
        latent: run.latent ?? null,
      }),
    };
    this.message.textContent = '';
    this.message.classList.remove('error');
    this.showStage();
    this.host.post({ type: 'renderSamples', requestId, runId: run.id, checkpoint: this.checkpoint, request });
  }

  private onImage(requestId: number, uri: string, checkpoint: number): void {
    if (this.pending?.id !== requestId) return; // a newer request superseded it
    const rendered = {
      requestId,
      uri,
      description: `Step ${formatCount(checkpoint)} · ${this.pending.description}`,
      rowLabels: this.pending.rowLabels,
    };
    this.pending = null;
    this.history = [rendered, ...this.history].slice(0, maxHistory);
    this.show(rendered);
  }

  private show(rendered: Rendered): void {
    this.shown = rendered;
    this.image.src = rendered.uri;
    this.player.show(rendered.uri, this.run?.frames ?? null);
    this.rowLabels.set(rendered.rowLabels);
    this.image.alt = rendered.description;
    this.message.textContent = rendered.description;
    this.saveButton.disabled = false;
    this.renderHistory();
    this.showStage();
  }

  private showStage(): void {
    this.busy.hidden = this.pending === null;
    this.cancelButton.hidden = this.pending === null;
    this.image.hidden = this.shown === null;
    this.renderButton.disabled = this.run === null;
  }

  private renderHistory(): void {
    this.historyList.replaceChildren(
      ...this.history.map((item) => {
        const button = el(
          'button',
          { className: 'history-item', attrs: { type: 'button', role: 'listitem', title: item.description } },
          [el('img', { attrs: { src: item.uri, alt: item.description } })],
        );
        button.setAttribute('aria-pressed', String(item === this.shown));
        button.addEventListener('click', () => this.show(item));
        return button;
      }),
    );
  }
}
