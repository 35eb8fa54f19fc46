// Starter models offered as completion snippets at the top level: each family module declares
// its own (`template`).
import type { FamilySpec } from '../schema';

/** The starter-model snippet of a family. */
export function modelTemplate(family: FamilySpec): string {
  return family.template;
}

/** A snippet with its placeholders replaced by their defaults: `${1:dcgan}` -> `dcgan`. */
export function expandSnippet(snippet: string): string {
  let out = snippet;
  for (let i = 0; i < 8 && /\$\{\d+:[^{}]*\}/.test(out); i++) out = out.replace(/\$\{\d+:([^{}]*)\}/g, '$1');
  return out.replace(/\$\d+/g, '');
}
