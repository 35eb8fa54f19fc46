// Markdown hover for every classified word: schema docs for keywords, families, sections,
// settings, layers, parameters, values, data sources and kinds; shapes and parameter counts on
// layer lines; a per-network summary on a model's name.
import type { Analysis, ModelInfo } from '../analyze';
import type { ResolvedLayer } from '../model';
import { describeType, familyByName } from '../schema';
import type { Position, Range } from '../syntax';
import type { ClassifiedSpan } from './classify';
import { classifiedAt, classify } from './classify';
import { familyDoc, kindDoc, layerDoc, paramDoc, sectionDoc, sourceDoc } from './docs';
import { formatCount, lineEndOf, lineStartOf, shapeText } from './positions';
import { keyText, overrides, trainingFacts } from './variants';

export interface Hover {
  /** Markdown. */
  readonly contents: string;
  readonly range: Range;
}

export function hover(analysis: Analysis, position: Position): Hover | null {
  const offset = analysis.lines.offset(position);
  const span = classifiedAt(classify(analysis), offset);
  if (!span) return null;
  const contents = hoverText(analysis, span);
  return contents ? { contents, range: analysis.lines.range(span) } : null;
}

function hoverText(analysis: Analysis, span: ClassifiedSpan): string | null {
  const ref = span.ref;
  switch (ref.what) {
    case 'keyword':
      return ref.word === 'model'
        ? '**model** `NAME: FAMILY { … }`: declares a model; `model NAME extends BASE { … }` declares a variant.'
        : '**extends** `BASE`: this model copies BASE and replaces each section it names (settings merge key by key, networks are replaced whole).';
    case 'model': {
      const info = modelNamed(analysis, ref.name);
      return info ? modelSummary(analysis, info) : `Unknown model \`${ref.name}\`.`;
    }
    case 'family':
      return ref.spec ? familyDoc(ref.spec) : `Unknown family \`${ref.name}\`.`;
    case 'section': {
      const note = span.model?.notes.get(ref.stmt.start);
      return note ? `${note}\n\n---\n\n${sectionDoc(ref.spec)}` : sectionDoc(ref.spec);
    }
    case 'layer':
      return layerHover(analysis, span);
    case 'param':
      return paramDoc(ref.spec, ref.owner);
    case 'enumValue':
      return `\`${ref.value}\`: a value of **${ref.spec.name}** (${describeType(ref.spec.type)}).\n\n${ref.spec.doc}`;
    case 'source':
      return sourceDoc(ref.spec);
    case 'loss':
      return kindDoc(`loss${ref.family ? ` (${ref.family})` : ''}`, ref.spec);
    case 'optimizer':
      return kindDoc('optimizer', ref.spec);
    case 'role':
      return `**${ref.role}**: this optimizer trains only the ${ref.role}.`;
    case 'metric':
      return kindDoc('metric', ref.spec);
  }
}

function modelNamed(analysis: Analysis, name: string): ModelInfo | null {
  return analysis.models.find((m) => m.name === name) ?? null;
}

function layerHover(analysis: Analysis, span: ClassifiedSpan): string {
  if (span.ref.what !== 'layer') return '';
  const { spec, stmt } = span.ref;
  const info = span.model?.layers.get(stmt.start);
  const lines = [layerDoc(spec)];
  const note = span.model?.notes.get(stmt.start);
  if (note) lines.unshift(`${note}\n\n---`);
  if (info) {
    const shapes =
      info.input && info.output
        ? `\`${shapeText(info.input)}\` → \`${shapeText(info.output)}\``
        : info.input
          ? `input \`${shapeText(info.input)}\` (output unknown: see the error)`
          : 'shape unknown (fix the errors above it)';
    const times = info.times > 1 ? ` (runs ${info.times}×; first run shown)` : '';
    const label = spec.block === 'repeat' ? 'after all repetitions' : '';
    lines.unshift(
      `**${sourceLine(analysis.file.text, stmt.start)}**\n\n${shapes}${label ? ` ${label}` : ''}${times}, **${formatCount(info.paramCount)}** parameters\n\n---`,
    );
  }
  return lines.join('\n\n');
}

/** The statement's line without indentation, trailing comment or block body. */
function sourceLine(text: string, offset: number): string {
  const line = text.slice(lineStartOf(text, offset), lineEndOf(text, offset));
  return line.replace(/#.*$/, '').replace(/\{.*$/, '').trim();
}

function modelSummary(analysis: Analysis, info: ModelInfo): string {
  const out: string[] = [`**model ${info.name}**`];
  if (info.decl.doc) out.push(info.decl.doc.replace(/\n/g, '  \n'));
  const facts = [`family: **${info.family ?? 'unknown'}**`];
  if (info.base) facts.push(`extends **${info.base.name}**`);
  out.push(facts.join(' · '));
  if (info.base) {
    const own = overrides(analysis.file.text, info).map((o) => `**${keyText(o.key)}**`);
    out.push(
      own.length
        ? `Overrides ${own.join(', ')}; everything else comes from **${info.base.name}**.`
        : `Overrides nothing yet: the same model as **${info.base.name}**.`,
    );
  }
  if (info.resolved) out.push(trainingFacts(info.resolved));
  const family = info.family ? familyByName.get(info.family) : undefined;
  let total = 0;
  for (const role of family?.roles ?? []) {
    const net = info.networks[role];
    if (!net) {
      out.push(`**${role}**: shapes unavailable (fix the errors first)`);
      continue;
    }
    const twice = family?.buildNote ? ` (${family.buildNote})` : '';
    total += net.paramCount * (family?.buildsPerNetwork ?? 1);
    const rows = net.layers.map((l) => layerRow(analysis, l));
    out.push(
      [
        `**${role}** \`${shapeText(net.inputShape)}\` → \`${shapeText(net.outputShape)}\`, ${formatCount(net.paramCount)} parameters${twice}`,
        '',
        '| layer | output | params |',
        '|---|---|---:|',
        ...rows,
      ].join('\n'),
    );
  }
  if (family) out.push(`**Total: ${formatCount(total)} parameters**`);
  if (info.errorCount > 0 && !info.resolved) out.push(`*${info.errorCount} error(s) in this model.*`);
  return out.join('\n\n');
}

function layerRow(analysis: Analysis, layer: ResolvedLayer): string {
  const code =
    sourceLine(analysis.file.text, analysis.lines.lineStart(layer.line)).replace(/\|/g, '\\|') || layer.kind;
  return `| \`${code}\` | ${shapeText(layer.outputShape)} | ${formatCount(layer.paramCount)} |`;
}
