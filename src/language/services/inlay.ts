// Inlay hints: the output shape at the end of every layer line (`→ 7×7×256`; for `repeat`, after
// all repetitions) and the parameter count after each network's `{`. A variant, which often has
// no layer of its own, gets the networks it inherits after its `{` and, after each single-line
// section it overrides, what the base had (`was loss nonsaturating`). A family may add its own
// (pixelcnn: after `levels`, the output its network needs).
import type { Analysis, ModelInfo } from '../analyze';
import { familyByName, sectionByName } from '../schema';
import type { Position, Range, Statement } from '../syntax';
import { compactCount, formatCount, shapeText } from './positions';
import { headText, keyText, overrides } from './variants';

export interface InlayHint {
  readonly position: Position;
  readonly label: string;
  /** `shape`: a layer's output; `params`: a network's parameter count. */
  readonly kind: 'shape' | 'params' | 'variant';
  readonly tooltip: string;
}

/** Hints for the lines from range.start.line to range.end.line (inclusive). */
export function inlayHints(analysis: Analysis, range: Range): InlayHint[] {
  const out: InlayHint[] = [];
  const wanted = (p: Position): boolean => p.line >= range.start.line && p.line <= range.end.line;
  for (const model of analysis.models) {
    const { start, end } = model.decl;
    for (const info of model.layers.values()) {
      if (info.stmt.start < start || info.stmt.start > end || !info.output) continue;
      const position = analysis.lines.position(hintOffset(info.stmt));
      if (!wanted(position)) continue;
      const runs = info.times > 1 ? ` (first of ${info.times} runs)` : '';
      out.push({
        position,
        label: `→ ${shapeText(info.output)}`,
        kind: 'shape',
        tooltip: `${info.input ? shapeText(info.input) : '?'} → ${shapeText(info.output)}, ${formatCount(info.paramCount)} parameters${runs}`,
      });
    }
    for (const [offset, hint] of model.hints) {
      const position = analysis.lines.position(offset);
      if (offset >= start && offset <= end && wanted(position))
        out.push({ position, kind: 'shape', ...hint });
    }
    out.push(...networkHints(analysis, model, wanted), ...variantHints(analysis, model, wanted));
  }
  return out.sort((a, b) => a.position.line - b.position.line || a.position.character - b.position.character);
}

/** After the statement, or after its `{` when it opens a block. */
function hintOffset(stmt: Statement): number {
  return stmt.block ? stmt.block.start + 1 : stmt.end;
}

function networkHints(analysis: Analysis, model: ModelInfo, wanted: (p: Position) => boolean): InlayHint[] {
  const out: InlayHint[] = [];
  const roles = model.family ? (familyByName.get(model.family)?.roles ?? []) : [];
  for (const stmt of model.decl.block?.statements ?? []) {
    const spec = sectionByName.get(stmt.word.name);
    if (spec?.kind !== 'network' || !spec.role || !roles.includes(spec.role) || !stmt.block) continue;
    const net = model.networks[spec.role];
    if (!net) continue;
    const position = analysis.lines.position(stmt.block.start + 1);
    if (!wanted(position)) continue;
    out.push({
      position,
      label: `${compactCount(net.paramCount)} params`,
      kind: 'params',
      tooltip: `${spec.role}: ${shapeText(net.inputShape)} → ${shapeText(net.outputShape)}, ${formatCount(net.paramCount)} parameters`,
    });
  }
  return out;
}

function variantHints(analysis: Analysis, model: ModelInfo, wanted: (p: Position) => boolean): InlayHint[] {
  const base = model.base;
  const block = model.decl.block;
  if (!base || !block) return [];
  const text = analysis.file.text;
  const out: InlayHint[] = [];
  const own = overrides(text, model);
  const written = new Set(own.map((o) => o.key));
  const roles = model.family ? (familyByName.get(model.family)?.roles ?? []) : [];
  const inherited = roles.filter((role) => !written.has(role) && model.networks[role]);
  const header = analysis.lines.position(block.start + 1);
  if (inherited.length && wanted(header)) {
    const nets = inherited.map((role) => `${role} ${compactCount(model.networks[role]?.paramCount ?? 0)}`);
    out.push({
      position: header,
      label: `inherits ${nets.join(' · ')} params`,
      kind: 'variant',
      tooltip: `From ${base.name}: ${inherited
        .map((role) => {
          const net = model.networks[role];
          return net
            ? `${role} ${shapeText(net.inputShape)} → ${shapeText(net.outputShape)}, ${formatCount(net.paramCount)} parameters`
            : role;
        })
        .join('; ')}`,
    });
  }
  for (const { key, stmt } of own) {
    // A role's own optimizer replaces the base's shared one when the base has no role of its own.
    const before =
      base.sections.get(key) ?? (key.startsWith('optimizer:') ? base.sections.get('optimizer') : undefined);
    if (!before || before.head.block || stmt.block) continue;
    const position = analysis.lines.position(stmt.end);
    if (!wanted(position)) continue;
    out.push({
      position,
      label: `was ${headText(text, before.head)}`,
      kind: 'variant',
      tooltip: `${base.name} (${before.owner === base.name ? 'its own' : `from ${before.owner}`}) has \`${headText(text, before.head)}\`; this variant replaces its ${keyText(key)}.`,
    });
  }
  return out;
}
