// Builds a throwaway extension holding this repository's language contributions (grammar, language
// configuration, icon), optionally with a `main`: scenarios that need only the language, or a stand-in
// for the extension, do not depend on dist/extension.js being built.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { repoRoot } from './paths';

interface Manifest {
  name: string;
  publisher: string;
  version: string;
  engines: Record<string, string>;
  contributes: { languages: unknown; grammars: unknown };
}

/** Returns the new extension folder; `main` is a JavaScript file copied in as the extension's entry. */
export function languageExtension(main?: string): string {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;
  const folder = mkdtempSync(join(tmpdir(), 'gan-e2e-extension-'));
  const { name, publisher, version, engines, contributes } = manifest;
  const extension = {
    name: `${name}-e2e`,
    publisher,
    version,
    engines,
    ...(main ? { main: `./${basename(main)}`, activationEvents: ['onLanguage:gan'] } : {}),
    contributes: { languages: contributes.languages, grammars: contributes.grammars },
  };
  writeFileSync(join(folder, 'package.json'), JSON.stringify(extension, null, 2));
  for (const path of ['syntaxes', 'media', 'language-configuration.json']) {
    cpSync(join(repoRoot, path), join(folder, path), { recursive: true });
  }
  if (main) cpSync(main, join(folder, basename(main)));
  return folder;
}
