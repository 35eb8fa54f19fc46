// What a variant (`model NAME extends BASE`) changes, and a model's training settings in one
// line: read by the model hover and the variant's inlay hints.
import type { ModelInfo } from '../analyze';
import type { ResolvedModel, ResolvedOptimizer } from '../model';
import { sectionByName } from '../schema';
import { sectionKey, sectionSettings } from '../sections';
import type { Statement } from '../syntax';
import { formatCount, lineEndOf, lineStartOf } from './positions';

export interface Override {
  /** The merge key: `loss`, `optimizer:generator`, `data:a`, `train`… */
  readonly key: string;
  readonly stmt: Statement;
}

/** The sections a variant writes itself, in its own order; empty for a model without a base. */
export function overrides(text: string, info: ModelInfo): Override[] {
  if (!info.base) return [];
  const out: Override[] = [];
  for (const stmt of info.decl.block?.statements ?? []) {
    const spec = sectionByName.get(stmt.word.name);
    if (!spec) continue;
    out.push({ key: sectionKey(spec, stmt, sectionSettings(text, stmt, info.name, null)), stmt });
  }
  return out;
}

/** `optimizer:generator` → `optimizer generator`. */
export function keyText(key: string): string {
  return key.replace(':', ' ');
}

/** The statement's head line without indentation, comment or block. */
export function headText(text: string, stmt: Statement): string {
  const line = text.slice(lineStartOf(text, stmt.start), lineEndOf(text, stmt.start));
  return line.replace(/#.*$/, '').replace(/\{.*$/, '').trim();
}

function numberText(n: number): string {
  return n !== 0 && Math.abs(n) < 0.01 ? n.toExponential().replace('e-', 'e-') : String(n);
}

function optimizerText(o: ResolvedOptimizer): string {
  const extra =
    o.kind === 'adam'
      ? ` β1=${numberText(o.beta1)} β2=${numberText(o.beta2)}`
      : o.kind === 'sgd' && o.momentum
        ? ` momentum=${numberText(o.momentum)}`
        : '';
  return `${o.kind} lr=${numberText(o.lr)}${extra}`;
}

/** Data, batch, loss, optimizers and budget, as Markdown for the model hover. */
export function trainingFacts(model: ResolvedModel): string {
  const data = model.data
    .map((d) => `**${d.source}**${d.domain ? ` (${d.domain})` : ''} ${d.shape.join('×')}, batch ${d.batch}`)
    .join(' and ');
  const lossParams = Object.entries(model.loss.params)
    .map(([name, value]) => `${name}=${Array.isArray(value) ? `[${value.join(', ')}]` : String(value)}`)
    .join(' ');
  const optimizers = Object.entries(model.optimizers).filter(([, o]) => o !== undefined) as [
    string,
    ResolvedOptimizer,
  ][];
  const distinct = new Set(optimizers.map(([, o]) => optimizerText(o)));
  const optimizerLine =
    distinct.size === 1
      ? [...distinct][0]
      : optimizers.map(([role, o]) => `${role} ${optimizerText(o)}`).join('; ');
  const budget =
    model.train.steps !== null
      ? `${formatCount(model.train.steps)} steps`
      : `${formatCount(model.train.epochs ?? 0)} epochs`;
  return [
    `data ${data}`,
    `loss **${model.loss.kind}**${lossParams ? ` ${lossParams}` : ''}`,
    `optimizer ${optimizerLine}`,
    `**${budget}**`,
  ].join(' · ');
}
