// Collects a model's sections and merges them along `extends`: settings merge key by key,
// network blocks are replaced whole, a changed loss or optimizer kind replaces its settings.
import type { DiagnosticSink } from './diagnostics';
import { removeFix, unknownName } from './diagnostics';
import type { FamilyName } from './model';
import type { SectionSpec } from './schema';
import { DATA_COMMON_PARAMS, SECTIONS, sectionByName } from './schema';
import type { Identifier, Statement, ValueNode } from './syntax';

/** One `name value` line or `name=value` argument inside a section. */
export interface Setting {
  readonly name: Identifier;
  readonly value: ValueNode;
  /** The statement (block line) it came from, or null when it was a head `name=value`. */
  readonly line: Statement | null;
  readonly owner: string;
}

export interface MergedSection {
  readonly spec: SectionSpec;
  readonly key: string;
  /** The statement that wrote the section last (its head positional arguments apply). */
  readonly head: Statement;
  readonly owner: string;
  readonly settings: ReadonlyMap<string, Setting>;
  /** evaluate: one entry per metric statement. */
  readonly metrics: ReadonlyMap<string, Statement>;
}

const ROLE_WORDS = new Set([
  'generator',
  'discriminator',
  'encoder',
  'decoder',
  'network',
  'generator2',
  'discriminator2',
  'trajectory',
  'video_discriminator',
]);

/** Settings written in a section: head `name=value` pairs and `name value` block lines. */
export function sectionSettings(
  text: string,
  stmt: Statement,
  owner: string,
  sink: DiagnosticSink | null,
): Map<string, Setting> {
  const out = new Map<string, Setting>();
  const put = (s: Setting): void => {
    const prev = out.get(s.name.name);
    if (prev && sink) {
      sink.add(
        'E204',
        s.name,
        `Duplicate setting \`${s.name.name}\`: it is already set in this section. Remove one of them.`,
        [removeFix(text, s.line ?? s.name, 'Remove the duplicate')],
      );
      return;
    }
    out.set(s.name.name, s);
  };
  for (const arg of stmt.named) put({ name: arg.name, value: arg.value, line: null, owner });
  const spec = sectionByName.get(stmt.word.name);
  if (stmt.block && spec && spec.kind !== 'network' && spec.kind !== 'metrics') {
    for (const line of stmt.block.statements) {
      if (line.block && sink)
        sink.add('E100', line.block, `Setting \`${line.word.name}\` takes a value, not a block.`);
      if (line.named.length && sink)
        sink.add('E100', line.named[0], `Write one setting per line as \`${line.word.name} value\`.`);
      if (line.positional.length === 0) {
        if (sink)
          sink.add(
            'E207',
            line.word,
            `Setting \`${line.word.name}\` needs a value, e.g. \`${line.word.name} 64\`.`,
          );
        continue;
      }
      if (line.positional.length > 1 && sink)
        sink.add('E100', line.positional[1], `Setting \`${line.word.name}\` takes one value.`);
      put({ name: line.word, value: line.positional[0], line, owner });
    }
  }
  return out;
}

/** The merge key of a section statement: `data:a`, `optimizer:generator`, `train`. */
export function sectionKey(
  spec: SectionSpec,
  stmt: Statement,
  settings: ReadonlyMap<string, Setting>,
): string {
  if (spec.kind === 'data') {
    const domain = settings.get('domain')?.value;
    return domain && domain.kind === 'name' ? `data:${domain.name}` : 'data';
  }
  if (spec.kind === 'optimizer') {
    const first = stmt.positional[0];
    return first && first.kind === 'name' && ROLE_WORDS.has(first.name)
      ? `optimizer:${first.name}`
      : 'optimizer';
  }
  return spec.name;
}

/** The optimizer statement's role (if any) and kind nodes. */
export function optimizerParts(stmt: Statement): {
  role: ValueNode | null;
  kind: ValueNode | null;
  extra: ValueNode[];
} {
  const [a, b, ...rest] = stmt.positional;
  if (a && a.kind === 'name' && ROLE_WORDS.has(a.name)) return { role: a, kind: b ?? null, extra: rest };
  return { role: null, kind: a ?? null, extra: b ? [b, ...rest] : [] };
}

function headWord(node: ValueNode | undefined | null): string | null {
  return node && node.kind === 'name' ? node.name : null;
}

/** The kind-like head word that decides whether settings merge (loss kind, optimizer kind, data source). */
function headKind(spec: SectionSpec, stmt: Statement): string | null {
  if (spec.kind === 'optimizer') return headWord(optimizerParts(stmt).kind);
  if (spec.kind === 'loss' || spec.kind === 'data') return headWord(stmt.positional[0]);
  return null;
}

export interface OwnSections {
  readonly sections: Map<string, MergedSection>;
}

/** Reads one model's own section statements, reporting unknown, misplaced and duplicate sections. */
export function collectOwnSections(
  text: string,
  statements: readonly Statement[],
  owner: string,
  family: FamilyName | null,
  sink: DiagnosticSink,
): Map<string, MergedSection> {
  const out = new Map<string, MergedSection>();
  const validNames = SECTIONS.filter((s) => !family || s.families.includes(family)).map((s) => s.name);
  for (const stmt of statements) {
    const spec = sectionByName.get(stmt.word.name);
    if (!spec) {
      const u = unknownName('section', stmt.word, stmt.word.name, validNames);
      sink.add('E201', stmt.word, u.message, u.fixes);
      continue;
    }
    if (family && !spec.families.includes(family)) {
      sink.add(
        'E209',
        stmt.word,
        `Section \`${spec.name}\` is not used by the ${family} family (it belongs to ${spec.families.join(', ')}). Remove it.`,
        [removeFix(text, stmt, `Remove \`${spec.name}\``)],
      );
      continue;
    }
    const settings = sectionSettings(text, stmt, owner, sink);
    const metrics = new Map<string, Statement>();
    if (spec.kind === 'metrics' && stmt.block) {
      for (const m of stmt.block.statements) {
        if (metrics.has(m.word.name)) {
          sink.add('E204', m.word, `Metric \`${m.word.name}\` is listed twice.`, [
            removeFix(text, m, 'Remove the duplicate'),
          ]);
          continue;
        }
        metrics.set(m.word.name, m);
      }
    }
    const key = sectionKey(spec, stmt, settings);
    const prev = out.get(key);
    if (prev) {
      const line = describeKey(key);
      sink.add('E204', stmt.word, `Duplicate ${line}: this model already has one. Merge the two.`, [
        removeFix(text, stmt, 'Remove the duplicate section'),
      ]);
      continue;
    }
    out.set(key, { spec, key, head: stmt, owner, settings, metrics });
  }
  return out;
}

function describeKey(key: string): string {
  const [name, qual] = key.split(':');
  if (name === 'data' && qual) return `\`data\` for domain ${qual}`;
  if (name === 'optimizer' && qual) return `\`optimizer ${qual}\``;
  return `section \`${name}\``;
}

const EPOCHS_OR_STEPS = ['epochs', 'steps'];

/** base ⊕ own: what a variant ends up with. */
export function mergeSections(
  base: ReadonlyMap<string, MergedSection>,
  own: ReadonlyMap<string, MergedSection>,
): Map<string, MergedSection> {
  const out = new Map(base);
  for (const [key, mine] of own) {
    const theirs = base.get(key);
    if (!theirs || mine.spec.kind === 'network') {
      out.set(key, mine);
      continue;
    }
    const sameKind = headKind(mine.spec, mine.head) === headKind(theirs.spec, theirs.head);
    if ((mine.spec.kind === 'loss' || mine.spec.kind === 'optimizer') && !sameKind) {
      out.set(key, mine);
      continue;
    }
    const settings = new Map(theirs.settings);
    if (mine.spec.kind === 'data' && !sameKind) {
      // A different source keeps the common settings only.
      const common = new Set(DATA_COMMON_PARAMS.map((p) => p.name));
      for (const k of [...settings.keys()]) if (!common.has(k)) settings.delete(k);
    }
    if (mine.spec.name === 'train' && EPOCHS_OR_STEPS.some((k) => mine.settings.has(k))) {
      for (const k of EPOCHS_OR_STEPS) settings.delete(k);
    }
    for (const [k, v] of mine.settings) settings.set(k, v);
    const metrics = new Map(theirs.metrics);
    for (const [k, v] of mine.metrics) metrics.set(k, v);
    out.set(key, { ...mine, settings, metrics });
  }
  return out;
}
