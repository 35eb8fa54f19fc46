// The run.json fields of a small gan run, for tests that write run folders without training.
import type { NewRunInfo } from '../../../src/training/runs/writer';

export function tinyRunFields(overrides: Partial<NewRunInfo> = {}): NewRunInfo {
  return {
    model: 'tiny',
    family: 'gan',
    sourceFile: '/somewhere/tiny.gan',
    backend: 'cpu',
    requestedBackend: 'cpu',
    device: 'CPU',
    threads: 1,
    seed: 1,
    totalSteps: 10,
    stepsPerEpoch: null,
    stepsOverride: 10,
    dataLimit: null,
    ...overrides,
  };
}
