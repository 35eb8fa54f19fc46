// Prints a merged model as standalone .gan source (`extends` flattened): the `model.gan` of a run.
import type { MergedSection } from './sections';
import { SECTIONS } from './schema';
import type { Statement, ValueNode } from './syntax';

const INDENT = '  ';

export function valueText(text: string, node: ValueNode): string {
  return text.slice(node.start, node.end);
}

/** One statement and its block, canonically spaced, comments dropped. */
export function printStatement(text: string, stmt: Statement, depth: number): string[] {
  const pad = INDENT.repeat(depth);
  const parts = [stmt.word.name, ...stmt.positional.map((v) => valueText(text, v))];
  for (const arg of stmt.named) parts.push(`${arg.name.name}=${valueText(text, arg.value)}`);
  if (!stmt.block) return [pad + parts.join(' ')];
  const inner = stmt.block.statements.flatMap((s) => printStatement(text, s, depth + 1));
  return [`${pad}${parts.join(' ')} {`, ...inner, `${pad}}`];
}

function printSection(text: string, section: MergedSection, depth: number): string[] {
  const pad = INDENT.repeat(depth);
  const head = section.head;
  if (section.spec.kind === 'network') return printStatement(text, head, depth);
  const parts = [head.word.name, ...head.positional.map((v) => valueText(text, v))];
  if (section.spec.kind === 'metrics') {
    const inner = [...section.metrics.values()].flatMap((s) => printStatement(text, s, depth + 1));
    return [`${pad}${parts.join(' ')} {`, ...inner, `${pad}}`];
  }
  const settings = [...section.settings.values()];
  if (settings.length === 0) return [pad + parts.join(' ')];
  if (section.spec.kind === 'loss' || section.spec.kind === 'optimizer' || section.spec.kind === 'latent') {
    return [pad + [...parts, ...settings.map((s) => `${s.name.name}=${valueText(text, s.value)}`)].join(' ')];
  }
  return [
    `${pad}${parts.join(' ')} {`,
    ...settings.map((s) => `${pad}${INDENT}${s.name.name} ${valueText(text, s.value)}`),
    `${pad}}`,
  ];
}

export function printModelSource(
  text: string,
  name: string,
  family: string,
  doc: string,
  sections: ReadonlyMap<string, MergedSection>,
): string {
  const order = new Map(SECTIONS.map((s, i) => [s.name, i]));
  const sorted = [...sections.values()].sort(
    (a, b) => (order.get(a.spec.name) ?? 99) - (order.get(b.spec.name) ?? 99) || a.key.localeCompare(b.key),
  );
  const lines: string[] = [];
  for (const l of doc ? doc.split('\n') : []) lines.push(`# ${l}`.trimEnd());
  lines.push(`model ${name}: ${family} {`);
  for (const s of sorted) lines.push(...printSection(text, s, 1));
  lines.push('}');
  return lines.join('\n') + '\n';
}
