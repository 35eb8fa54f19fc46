// Markdown documentation of schema entries, shared by completion and hover.
import type { DataSourceSpec, FamilySpec, KindSpec, LayerSpec, ParamSpec, SectionSpec } from '../schema';
import { DATA_COMMON_PARAMS, describeType, formatValue } from '../schema';

/** `integer ≥ 1, default 3` */
export function paramDetail(p: ParamSpec): string {
  const parts = [describeType(p.type)];
  if (p.required) parts.push('required');
  else if (p.default !== undefined && p.default !== null) parts.push(`default ${formatValue(p.default)}`);
  return parts.join(', ');
}

export function paramDoc(p: ParamSpec, owner: string): string {
  const how = p.positional ? `\`${owner} ${p.name.toUpperCase()}\`` : `\`${p.name}=\``;
  return `**${p.name}** (${how} of \`${owner}\`): ${p.doc}\n\n*${paramDetail(p)}*`;
}

function paramTable(params: readonly ParamSpec[]): string {
  if (params.length === 0) return '';
  const rows = params.map(
    (p) =>
      `| \`${p.name}\` | ${describeType(p.type)} | ${p.required ? 'required' : formatValue(p.default)} | ${p.doc} |`,
  );
  return ['', '', '| parameter | type | default | |', '|---|---|---|---|', ...rows].join('\n');
}

/** `conv FILTERS [kernel=3] [stride=1] …` */
export function signature(word: string, params: readonly ParamSpec[]): string {
  const parts = [word];
  for (const p of params) {
    if (p.positional)
      parts.push(p.required ? p.name.toUpperCase() : `[${p.name.toUpperCase()}=${formatValue(p.default)}]`);
  }
  for (const p of params) {
    if (!p.positional) parts.push(`[${p.name}=${p.required ? '…' : formatValue(p.default)}]`);
  }
  return parts.join(' ');
}

export function layerDoc(spec: LayerSpec): string {
  const block = spec.block ? ' `{ layers }`' : '';
  return `\`${signature(spec.name, spec.params)}\`${block}\n\n${spec.doc}${paramTable(spec.params)}`;
}

export function sectionDoc(spec: SectionSpec): string {
  return `**${spec.name}** section: ${spec.doc}\n\nFamilies: ${spec.families.join(', ')}.${paramTable(spec.params)}`;
}

export function familyDoc(spec: FamilySpec): string {
  return `**${spec.name}** family: ${spec.doc}\n\nRequired sections: ${spec.required.join(', ')}.`;
}

export function sourceDoc(spec: DataSourceSpec): string {
  return `**${spec.name}** data source: ${spec.doc}${paramTable([...spec.params, ...DATA_COMMON_PARAMS])}`;
}

export function kindDoc(what: string, spec: KindSpec): string {
  return `**${spec.name}** ${what}: ${spec.doc}${paramTable(spec.params)}`;
}
