// The environment of a worker started by the CLI: `--workspace-modules` opts in to optional
// packages (backends, datasets, sharp) installed in the working folder.
import { WORKSPACE_MODULES_ENV } from '../training/optionalModule';

export function workerEnvFor(
  workspaceModules: boolean,
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  return workspaceModules ? { ...base, [WORKSPACE_MODULES_ENV]: process.cwd() } : base;
}
