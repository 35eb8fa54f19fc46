// The checker's entry: text -> syntax tree, per-model results and coded diagnostics. Pure and
// synchronous. This module owns incremental reuse (a model whose text and base chain did not
// change keeps its results) and `extends` bookkeeping; checkModel.ts checks one model.
import type { Diagnostic } from './diagnostics';
import { DiagnosticSink, unknownName } from './diagnostics';
import type { ModelInfo } from './checkModel';
import { checkModel } from './checkModel';
import { parse } from './parser';
import type { GanFile, ModelDecl } from './syntax';
import { LineMap } from './syntax';

export type { ModelInfo } from './checkModel';

export interface Analysis {
  readonly file: GanFile;
  readonly lines: LineMap;
  readonly diagnostics: readonly Diagnostic[];
  readonly models: readonly ModelInfo[];
  /** Per-model results a later `analyze(text, previous)` can reuse. */
  readonly cache: ReadonlyMap<string, ModelCacheEntry>;
}

/** A model's result, keyed by its own text and its base chain's. */
export interface ModelCacheEntry {
  readonly key: string;
  readonly start: number;
  readonly own: readonly Diagnostic[];
  readonly info: ModelInfo;
}

/**
 * Checks a document. With `previous` (the analysis of an earlier version), models whose text and
 * base chain did not change reuse their results: diagnostics are shifted to the new offsets, and
 * the rest of a moved model is recomputed only when something reads it.
 */
export function analyze(text: string, previous?: Analysis): Analysis {
  const file = parse(text);
  const lines = new LineMap(text);
  const sink = new DiagnosticSink();
  for (const e of file.errors) sink.add(e.code, e, e.message);
  for (const stray of file.strays) {
    sink.add(
      'E201',
      stray.word,
      `\`${stray.word.name}\` must be inside a model: start one with \`model NAME: FAMILY {\`.`,
    );
  }
  const byName = new Map<string, ModelDecl>();
  const byNameDup = new Set<ModelDecl>();
  const cache = new Map<string, ModelCacheEntry>();
  for (const decl of file.models) {
    if (!decl.name) continue;
    const prev = byName.get(decl.name.name);
    if (prev) {
      sink.add(
        'E204',
        decl.name,
        `Duplicate model name \`${decl.name.name}\`: it is already declared on line ${lines.position(prev.start).line + 1}. Rename one.`,
      );
      byNameDup.add(decl);
      continue;
    }
    byName.set(decl.name.name, decl);
  }
  const infos = new Map<ModelDecl, ModelInfo>();
  const ownSinks = new Map<ModelDecl, DiagnosticSink>();
  const inProgress = new Set<ModelDecl>();

  const visit = (decl: ModelDecl): ModelInfo | null => {
    const done = infos.get(decl);
    if (done) return done;
    if (inProgress.has(decl)) return null;
    inProgress.add(decl);
    let base: ModelInfo | null = null;
    let cycle = false;
    if (decl.base) {
      const baseDecl = byName.get(decl.base.name);
      if (!baseDecl) {
        const u = unknownName(
          'model',
          decl.base,
          decl.base.name,
          [...byName.keys()].filter((n) => n !== decl.name?.name),
        );
        sink.add('E211', decl.base, `\`extends\`: ${u.message}`, u.fixes);
      } else if (inProgress.has(baseDecl) || baseDecl === decl || extendsItself(decl, byName)) {
        cycle = true;
      } else {
        base = visit(baseDecl);
        if (!base) cycle = true;
      }
      if (cycle) {
        sink.add(
          'E211',
          decl.base,
          `\`extends ${decl.base.name}\` makes a cycle: a model cannot extend itself, directly or through others.`,
        );
      }
    }
    const key = `${decl.doc}\u0000${text.slice(decl.start, decl.end)}\u0000${base ? (cache.get(base.name)?.key ?? '\u0001') : decl.base ? '\u0001' : ''}`;
    const hit = decl.name && !cycle ? previous?.cache.get(decl.name.name) : undefined;
    let info: ModelInfo;
    const modelSink = new DiagnosticSink();
    const delta = hit ? decl.start - hit.start : 0;
    // Diagnostics that point into a base model's text would move by another delta: recompute those.
    const movable = (h: ModelCacheEntry): boolean =>
      delta === 0 ||
      h.own.every((d) => d.start >= h.start && d.end <= h.start + (h.info.decl.end - h.info.decl.start));
    if (hit && hit.key === key && !key.endsWith('\u0001') && movable(hit)) {
      for (const d of hit.own) modelSink.push(delta === 0 ? d : shift(d, delta));
      const old = hit.info;
      info = lazyModelInfo(old, decl, base, () =>
        delta === 0 ? old : checkModel(file, lines, decl, base, new DiagnosticSink()),
      );
    } else {
      info = checkModel(file, lines, decl, base, modelSink);
    }
    if (decl.name && !cycle && !byNameDup.has(decl))
      cache.set(decl.name.name, { key, start: decl.start, own: modelSink.items, info });
    ownSinks.set(decl, modelSink);
    infos.set(decl, info);
    inProgress.delete(decl);
    return info;
  };
  for (const decl of file.models) visit(decl);

  // A variant re-checks what it inherits; report only what is new, at the `extends` name.
  for (const decl of file.models) {
    const own = ownSinks.get(decl);
    const info = infos.get(decl);
    if (!own || !info) continue;
    for (const d of own.items) {
      if (d.start >= decl.start && d.end <= decl.end) {
        sink.push(d);
        continue;
      }
      // Walk the base chain through this run's declarations (a reused ModelInfo may hold older ones).
      let ancestor = decl.base ? byName.get(decl.base.name) : undefined;
      let known = false;
      const seen = new Set<ModelDecl>();
      while (ancestor && !known && !seen.has(ancestor)) {
        seen.add(ancestor);
        const theirs = ownSinks.get(ancestor);
        known = !!theirs?.items.some(
          (o) => o.code === d.code && o.start === d.start && o.message === d.message,
        );
        ancestor = ancestor.base ? byName.get(ancestor.base.name) : undefined;
      }
      if (known) continue;
      const at = decl.base ?? decl.name ?? decl.keyword;
      const line = lines.position(d.start).line + 1;
      sink.add(d.code, at, `In what \`${decl.name?.name}\` inherits (line ${line}): ${d.message}`);
    }
  }
  return {
    file,
    lines,
    diagnostics: sink.items,
    models: file.models.map((d) => infos.get(d)).filter((m): m is ModelInfo => !!m),
    cache,
  };
}

/** Whether following `extends` from `decl` comes back to it (every model of a cycle is reported). */
function extendsItself(decl: ModelDecl, byName: ReadonlyMap<string, ModelDecl>): boolean {
  const seen = new Set<ModelDecl>();
  let at = decl.base ? byName.get(decl.base.name) : undefined;
  while (at && !seen.has(at)) {
    if (at === decl) return true;
    seen.add(at);
    at = at.base ? byName.get(at.base.name) : undefined;
  }
  return false;
}

function shift(d: Diagnostic, delta: number): Diagnostic {
  return {
    ...d,
    start: d.start + delta,
    end: d.end + delta,
    fixes: d.fixes.map((f) => ({
      ...f,
      edits: f.edits.map((e) => ({ ...e, start: e.start + delta, end: e.end + delta })),
    })),
  };
}

/** A moved but unchanged model: cheap fields now, the offset-bearing ones recomputed on first read. */
function lazyModelInfo(
  old: ModelInfo,
  decl: ModelDecl,
  base: ModelInfo | null,
  compute: () => ModelInfo,
): ModelInfo {
  let full: ModelInfo | null = null;
  const get = (): ModelInfo => (full ??= compute());
  return {
    decl,
    name: old.name,
    family: old.family,
    base,
    errorCount: old.errorCount,
    get sections() {
      return get().sections;
    },
    get networks() {
      return get().networks;
    },
    get layers() {
      return get().layers;
    },
    get notes() {
      return get().notes;
    },
    get hints() {
      return get().hints;
    },
    get resolved() {
      return get().resolved;
    },
  };
}
