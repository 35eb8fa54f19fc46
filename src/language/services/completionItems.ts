// Completion items for kinds and values: data sources, losses, optimizers, optimizer roles, a
// statement's parameters and a parameter's values. completion.ts decides which apply at the cursor.
import type { FamilyName, ParamValue } from '../model';
import type { ParamSpec } from '../schema';
import { DATA_SOURCES, FAMILIES, LOSSES, OPTIMIZERS, lossesFor } from '../schema';
import type { CompletionItem } from './completion';
import type { argsSoFar } from './context';
import { kindDoc, paramDetail, paramDoc, signature, sourceDoc } from './docs';

export type Draft = Omit<CompletionItem, 'range' | 'sortText' | 'retrigger' | 'isSnippet' | 'insertText'> & {
  insertText?: string;
  isSnippet?: boolean;
  retrigger?: boolean;
  /** Lower sorts first; ties keep the schema's order. */
  rank?: number;
};

export function sourceItems(): Draft[] {
  return DATA_SOURCES.map((s) => ({
    label: s.name,
    kind: 'source' as const,
    detail: signature(s.name, s.params),
    documentation: sourceDoc(s),
  }));
}

export function lossItems(family: FamilyName | null): Draft[] {
  const kinds = family ? lossesFor(family) : FAMILIES.flatMap((f) => LOSSES[f.name]);
  const unique = [...new Map(kinds.map((k) => [k.name, k])).values()];
  return unique.map((k) => ({
    label: k.name,
    kind: 'value' as const,
    detail: 'loss',
    documentation: kindDoc('loss', k),
  }));
}

export function optimizerItems(): Draft[] {
  return OPTIMIZERS.map((o) => ({
    label: o.name,
    kind: 'value' as const,
    detail: signature(o.name, o.params),
    documentation: kindDoc('optimizer', o),
  }));
}

export function roleItems(roles: readonly string[]): Draft[] {
  return roles.map((r) => ({
    label: r,
    kind: 'keyword' as const,
    detail: 'optimizer role',
    documentation: `Gives the ${r} its own optimizer: \`optimizer ${r} adam lr=…\`.`,
    insertText: `${r} `,
    retrigger: true,
  }));
}

export function argItems(
  params: readonly ParamSpec[],
  args: ReturnType<typeof argsSoFar>,
  owner: string,
  headWords = 0,
): Draft[] {
  if (args.midValue) return [];
  if (args.pendingName) {
    const spec = params.find((p) => p.name === args.pendingName);
    return spec ? valueItems(spec) : [];
  }
  // The next value without a name, when one is expected there (`leakyrelu 0.2`, `upsample 2`).
  const nextPositional =
    args.named.length === 0
      ? params.filter((p) => p.positional)[args.positional.length - headWords]
      : undefined;
  const positionalValues = nextPositional ? valueItems(nextPositional) : [];
  const names = params
    .filter((p) => !p.positional && !args.named.includes(p.name) && !excludedAlternative(p.name, args.named))
    .map((p) => ({
      label: `${p.name}=`,
      kind: 'parameter' as const,
      detail: paramDetail(p),
      documentation: paramDoc(p, owner),
      insertText: `${p.name}=`,
      retrigger: hasValueChoices(p),
    }));
  return [...positionalValues, ...names];
}

/** `train` takes `epochs` or `steps`, not both (E213). */
const ALTERNATIVES: readonly (readonly string[])[] = [['epochs', 'steps']];

export function excludedAlternative(name: string, given: readonly string[]): boolean {
  return ALTERNATIVES.some(
    (group) => group.includes(name) && group.some((other) => other !== name && given.includes(other)),
  );
}

export function hasValueChoices(p: ParamSpec): boolean {
  return p.type.kind === 'enum' || p.type.kind === 'bool' || p.type.kind === 'range';
}

export function valueItems(p: ParamSpec): Draft[] {
  const item = (label: string, isDefault: boolean): Draft => ({
    label,
    kind: 'value',
    detail: isDefault ? `${p.name} (default)` : p.name,
    documentation: p.doc,
    rank: isDefault ? 0 : 1,
  });
  const def = p.default;
  switch (p.type.kind) {
    case 'enum':
      return p.type.values.map((v) => item(v, v === def));
    case 'bool':
      return ['true', 'false'].map((v) => item(v, String(def) === v));
    case 'range':
      return ['[-1, 1]', '[0, 1]'].map((v) => item(v, valueText(def) === v));
    case 'size':
      return def !== undefined && def !== null && Array.isArray(def) ? [item(def.join('x'), true)] : [];
    case 'int':
    case 'number':
      if (def !== undefined && def !== null) return [item(valueText(def), true)];
      return (p.suggestions ?? []).map((v, i) => ({ ...item(String(v), false), rank: i }));
    default:
      return [];
  }
}

function valueText(v: ParamValue | null | undefined): string {
  if (Array.isArray(v)) return `[${v.join(', ')}]`;
  return String(v);
}
