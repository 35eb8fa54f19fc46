// The one place optional packages are found (GPU backends, datasets, sharp): they are not
// dependencies, so they are looked up at run time — in the folders the user named
// (GAN_MODULE_PATHS, the `gan.training.modulePath` setting, `gan gpu --module-path`) and in GAN
// Studio's own installation. Never in the working folder by default: a checkout containing a
// fake `@tensorflow/tfjs-node` must not run code on `gan train`. The working folder's packages
// are used only on explicit opt-in (GAN_WORKSPACE_MODULES, set by `--workspace-modules` or the
// `gan.training.workspaceModules` setting).
import { createRequire } from 'node:module';
import { delimiter, isAbsolute } from 'node:path';
import { MODULE_PATHS_ENV, WORKSPACE_MODULES_ENV } from '../protocol/training';

export { MODULE_PATHS_ENV, WORKSPACE_MODULES_ENV };

const requireHere = createRequire(__filename);

function splitPaths(value: string | undefined): string[] {
  return (value ?? '').split(delimiter).filter((path) => path.trim() !== '');
}

/** Where optional packages are looked for, in order: the explicit folders, the installation, then
 *  the opted-in workspace folder. */
export function optionalModuleSearchPaths(
  extraModulePaths: readonly string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const workspace = env[WORKSPACE_MODULES_ENV];
  const paths = [
    ...extraModulePaths,
    ...splitPaths(env[MODULE_PATHS_ENV]),
    __dirname,
    ...(workspace && isAbsolute(workspace) ? [workspace] : []),
  ];
  return [...new Set(paths)];
}

/** The entry file of `request` (a package, or a file inside one), or null when it is not found. */
export function resolveOptionalEntry(
  request: string,
  extraModulePaths: readonly string[] = [],
): string | null {
  try {
    return requireHere.resolve(request, { paths: optionalModuleSearchPaths(extraModulePaths) });
  } catch {
    return null;
  }
}

/** Runs a resolved entry file. */
export function requireEntry(entry: string): unknown {
  return requireHere(entry);
}
