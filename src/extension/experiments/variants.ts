// A model's variants in its file: the models it extends and those that extend it (transitively),
// which its dashboard offers for comparison. Pure: no vscode.
import { parse } from '../../language/index';

export function relatedModels(text: string, model: string): string[] {
  const baseOf = new Map<string, string>();
  for (const decl of parse(text).models) {
    if (decl.name && decl.base) baseOf.set(decl.name.name, decl.base.name);
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
