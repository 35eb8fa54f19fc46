// Command ids of the experiments feature (declared in package.json `contributes.commands`).
export const commands = {
  train: 'gan.train',
  stop: 'gan.stop',
  fixProblems: 'gan.fixProblems',
  openDashboard: 'gan.openDashboard',
  compareRuns: 'gan.compareRuns',
  openPreview: 'gan.openPreview',
  resumeRun: 'gan.resumeRun',
  revealRun: 'gan.revealRun',
  deleteRun: 'gan.deleteRun',
  editRunNote: 'gan.editRunNote',
  refreshRuns: 'gan.refreshRuns',
  checkGpu: 'gan.checkGpuBackend',
  upscaleImage: 'gan.upscaleImage',
} as const;

/** What the lenses pass to the commands: a model of a file. */
export interface ModelTarget {
  readonly file: string;
  readonly model: string;
}

/** A run or runs, by folder (status bar, Runs view, dashboards). */
export interface RunsTarget {
  readonly runDirs: readonly string[];
}
