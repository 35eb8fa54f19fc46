// Snippet helpers for the starter models each family module declares (`template`).

/** A snippet with its placeholders replaced by their defaults: `${1:dcgan}` -> `dcgan`. */
export function expandSnippet(snippet: string): string {
  let out = snippet;
  for (let i = 0; i < 8 && /\$\{\d+:[^{}]*\}/.test(out); i++) out = out.replace(/\$\{\d+:([^{}]*)\}/g, '$1');
  return out.replace(/\$\d+/g, '');
}
