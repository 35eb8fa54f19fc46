// A model's variants in its file: the models it extends and those that extend it (transitively),
// which its dashboard offers for comparison. Pure: no vscode.

/** A model and the one it extends, as the language server reports them (src/protocol/language.ts). */
export interface ModelLink {
  readonly name: string;
  readonly base: string | null;
}

export function relatedModels(models: readonly ModelLink[], model: string): string[] {
  const baseOf = new Map<string, string>();
  for (const link of models) {
    if (link.base) baseOf.set(link.name, link.base);
  }
  const related = new Set<string>([model]);
  // Up the extends chain, then everything whose chain reaches a related model.
  for (let base = baseOf.get(model); base && !related.has(base); base = baseOf.get(base)) related.add(base);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [name, base] of baseOf) {
      if (related.has(base) && !related.has(name)) {
        related.add(name);
        grew = true;
      }
    }
  }
  related.delete(model);
  return [model, ...[...related].sort()];
}
