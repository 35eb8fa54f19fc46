// Resolves a network block: layer names and parameters through the schema, `repeat` expanded,
// `residual` bodies checked, and every shape inferred with the schema's shape functions.
import type { DiagnosticSink, Fix } from './diagnostics';
import { removeFix, unknownName } from './diagnostics';
import { evalValue } from './evaluate';
import type { NetworkRole, ParamValue, ResolvedLayer, Shape } from './model';
import { LAYERS, layerByName } from './schema/layers';
import type { ParamSpec } from './schema/values';
import type { LineMap, Statement } from './syntax';

/** What the editor shows for one layer line: its shapes the first time it runs. */
export interface LayerInfo {
  readonly stmt: Statement;
  readonly role: NetworkRole;
  readonly input: Shape | null;
  readonly output: Shape | null;
  readonly paramCount: number;
  /** How many times the line runs (inside `repeat`). */
  readonly times: number;
}

export interface NetworkResult {
  readonly layers: ResolvedLayer[];
  /** null when a shape could not be inferred (an error was reported). */
  readonly output: Shape | null;
  readonly ok: boolean;
}

export interface NetworkContext {
  readonly sink: DiagnosticSink;
  readonly role: NetworkRole;
  readonly text: string;
  /** Layer infos by statement start offset; the first run of a line wins. */
  readonly infos: Map<number, LayerInfo>;
  readonly lines: LineMap;
  /** Parameters a layer gains from its family's conditioning (LanguageFamily.layerParams). */
  readonly conditionParams?: (
    kind: string,
    params: Readonly<Record<string, ParamValue>>,
    output: Shape,
  ) => number;
}

export const sameShape = (a: Shape, b: Shape): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i]);
export const formatShape = (s: Shape): string => `[${s.join(', ')}]`;
const prod = (s: Shape): number => s.reduce((a, b) => a * b, 1);

const NO_SPECS: readonly ParamSpec[] = [];

/**
 * Evaluates a statement's arguments against parameter specs: positional ones in order, then
 * `name=value`; defaults filled in. Returns null when a required value is missing or invalid.
 */
export function evalParams(
  stmt: Statement,
  specs: readonly ParamSpec[],
  what: string,
  sink: DiagnosticSink,
  unknownCode: 'E201' | 'E203' = 'E203',
  skipPositional = 0,
  /** The document, for fixes that delete an argument with the space before it. */
  text?: string,
): Record<string, ParamValue> | null {
  const params: Record<string, ParamValue> = {};
  const given = new Set<string>();
  let valid = true;
  const positionalSpecs = specs.length && specs[0].positional ? specs.filter((p) => p.positional) : NO_SPECS;
  const positional = stmt.positional.slice(skipPositional);
  positional.forEach((node, i) => {
    const spec = positionalSpecs[i];
    if (!spec) {
      const hint = positionalSpecs.length
        ? `\`${what}\` takes ${positionalSpecs.length} value${positionalSpecs.length > 1 ? 's' : ''} before its parameters`
        : `\`${what}\` takes no values without a name`;
      sink.add('E100', node, `Unexpected value: ${hint}; write others as \`name=value\`.`);
      return;
    }
    given.add(spec.name);
    const v = evalValue(node, spec.type, spec.name, sink, `\`${what}\` ${spec.name}`);
    if (v === undefined) valid = false;
    else params[spec.name] = v;
  });
  for (const arg of stmt.named) {
    const spec = specs.find((p) => p.name === arg.name.name);
    if (!spec) {
      const names = specs.map((p) => p.name);
      const u = unknownName(
        unknownCode === 'E201' ? 'setting' : 'parameter',
        arg.name,
        arg.name.name,
        names,
        ` for \`${what}\``,
      );
      sink.add(unknownCode, arg.name, u.message, u.fixes);
      continue;
    }
    if (given.has(spec.name)) {
      sink.add('E204', arg.name, `Duplicate parameter \`${spec.name}\`: it is already given. Remove one.`, [
        text !== undefined
          ? removeFix(text, arg, 'Remove the duplicate')
          : { title: 'Remove the duplicate', edits: [{ start: arg.start, end: arg.end, newText: '' }] },
      ]);
      continue;
    }
    given.add(spec.name);
    const v = evalValue(arg.value, spec.type, spec.name, sink);
    if (v === undefined) valid = false;
    else params[spec.name] = v;
  }
  for (const spec of specs) {
    if (given.has(spec.name)) continue;
    if (spec.required) {
      sink.add(
        'E207',
        stmt.word,
        `\`${what}\` needs ${spec.positional ? 'a value for' : 'the parameter'} \`${spec.name}\` (${spec.doc.replace(/\.$/, '')}).`,
      );
      valid = false;
    } else if (spec.default !== undefined && spec.default !== null) params[spec.name] = spec.default;
  }
  return valid ? params : null;
}

/** Resolves a list of layer statements starting from `input` (null: unknown, keep checking names). */
export function resolveLayers(
  stmts: readonly Statement[],
  input: Shape | null,
  ctx: NetworkContext,
  times = 1,
): NetworkResult {
  const layers: ResolvedLayer[] = [];
  let shape = input;
  let ok = true;
  for (const stmt of stmts) {
    const spec = layerByName.get(stmt.word.name);
    if (!spec) {
      const word = dashedWord(ctx.text, stmt);
      const u = unknownName(
        'layer',
        word,
        word.name,
        LAYERS.map((l) => l.name),
      );
      ctx.sink.add('E202', word, u.message, u.fixes);
      shape = null;
      ok = false;
      continue;
    }
    const params = evalParams(stmt, spec.params, spec.name, ctx.sink, 'E203', 0, ctx.text);
    if (!spec.block && stmt.block) ctx.sink.add('E100', stmt.block, `\`${spec.name}\` takes no block.`);
    if (spec.block && !stmt.block) {
      ctx.sink.add(
        'E207',
        stmt.word,
        `\`${spec.name}\` needs a block of layers: \`${spec.name} {\` … \`}\`.`,
      );
    }
    if (!params) {
      ok = false;
      shape = null;
      continue;
    }
    const before = shape;
    if (spec.block === 'repeat') {
      const n = params.times as number;
      const first = layers.length;
      const body = stmt.block?.statements ?? [];
      for (let i = 0; i < n; i++) {
        const r = resolveLayers(body, shape, ctx, times * n);
        layers.push(...r.layers);
        shape = r.output;
        if (!r.ok) {
          ok = false;
          break;
        }
      }
      const repeated = layers.slice(first).reduce((a, l) => a + l.paramCount, 0);
      recordInfo(ctx, stmt, before, shape, repeated, times);
      continue;
    }
    if (spec.block === 'stage') {
      const r = resolveLayers(stmt.block?.statements ?? [], shape, ctx, times);
      if (!r.ok) ok = false;
      const paramCount = r.layers.reduce((a, l) => a + l.paramCount, 0);
      if (shape && r.ok && r.output)
        layers.push({
          kind: 'stage',
          params,
          inputShape: shape,
          outputShape: r.output,
          paramCount,
          body: r.layers,
          line: ctx.lines.position(stmt.start).line,
        });
      recordInfo(ctx, stmt, before, r.ok ? r.output : null, paramCount, times);
      shape = r.ok ? r.output : null;
      continue;
    }
    if (spec.block === 'residual') {
      const r = resolveLayers(stmt.block?.statements ?? [], shape, ctx, times);
      if (!r.ok) ok = false;
      if (shape && r.output && !sameShape(shape, r.output)) {
        ctx.sink.add(
          'E305',
          stmt.word,
          `\`residual\` must keep the shape: its input is ${formatShape(shape)} but its layers output ${formatShape(r.output)}. Adjust the filters or strides inside it.`,
        );
        ok = false;
      }
      if (shape && r.ok) {
        const paramCount = r.layers.reduce((a, l) => a + l.paramCount, 0);
        layers.push({
          kind: 'residual',
          params,
          inputShape: shape,
          outputShape: shape,
          paramCount,
          body: r.layers,
          line: ctx.lines.position(stmt.start).line,
        });
      }
      recordInfo(
        ctx,
        stmt,
        before,
        ok ? shape : null,
        r.layers.reduce((a, l) => a + l.paramCount, 0),
        times,
      );
      if (!ok) shape = null;
      continue;
    }
    if (!shape) {
      recordInfo(ctx, stmt, null, null, 0, times);
      continue;
    }
    // A sequence [steps, features] (a video trajectory) is meant to get one dense per step.
    if (spec.name === 'dense' && shape.length > 2) {
      ctx.sink.add(
        'W408',
        stmt.word,
        `\`dense\` on a spatial tensor ${formatShape(shape)} applies to the last axis only; add \`flatten\` before it to connect every value.`,
        [insertLineBefore(ctx.text, stmt, 'flatten', 'Insert `flatten` before `dense`')],
      );
    }
    const result = spec.shape(shape, params);
    if (!result.ok) {
      ctx.sink.add(
        result.code,
        stmt,
        result.message,
        result.code === 'E301' ? reshapeFixes(stmt, shape, params, denseBefore(stmts, stmt)) : [],
      );
      ok = false;
      recordInfo(ctx, stmt, shape, null, 0, times);
      shape = null;
      continue;
    }
    const paramCount =
      spec.paramCount(shape, params) + (ctx.conditionParams?.(spec.name, params, result.shape) ?? 0);
    layers.push({
      kind: spec.name,
      params,
      inputShape: shape,
      outputShape: result.shape,
      paramCount,
      line: ctx.lines.position(stmt.start).line,
    });
    recordInfo(ctx, stmt, shape, result.shape, paramCount, times);
    shape = result.shape;
  }
  return { layers, output: ok ? shape : null, ok: ok && shape !== null };
}

/** `leaky-relu` parses as the word `leaky` and the value `-relu`: read them back as one word. */
function dashedWord(text: string, stmt: Statement): { name: string; start: number; end: number } {
  const next = stmt.positional[0];
  if (next && next.kind === 'unary' && next.start === stmt.word.end && next.operand.kind === 'name') {
    const end = next.operand.end;
    if (text[next.start] === '-' && next.operand.start === next.start + 1)
      return { name: text.slice(stmt.word.start, end), start: stmt.word.start, end };
  }
  return stmt.word;
}

function recordInfo(
  ctx: NetworkContext,
  stmt: Statement,
  input: Shape | null,
  output: Shape | null,
  paramCount: number,
  times: number,
): void {
  if (ctx.infos.has(stmt.start)) return;
  ctx.infos.set(stmt.start, { stmt, role: ctx.role, input, output, paramCount, times });
}

/** The line ending the document uses. */
export const newlineOf = (text: string): string => (text.includes('\r\n') ? '\r\n' : '\n');

/** Inserts `line` above `stmt` with the same indentation. */
export function insertLineBefore(text: string, stmt: Statement, line: string, title: string): Fix {
  let lineStart = stmt.start;
  while (lineStart > 0 && text[lineStart - 1] !== '\n' && text[lineStart - 1] !== '\r') lineStart--;
  const indent = text.slice(lineStart, stmt.start);
  if (/^[ \t]*$/.test(indent))
    return {
      title,
      edits: [{ start: lineStart, end: lineStart, newText: `${indent}${line}${newlineOf(text)}` }],
    };
  return { title, edits: [{ start: stmt.start, end: stmt.start, newText: `${line}; ` }] };
}

/** Inserts `lines` below `stmt` with the same indentation. */
export function insertLineAfter(text: string, stmt: Statement, lines: readonly string[], title: string): Fix {
  let lineStart = stmt.start;
  while (lineStart > 0 && text[lineStart - 1] !== '\n' && text[lineStart - 1] !== '\r') lineStart--;
  const indentMatch = /^[ \t]*/.exec(text.slice(lineStart, stmt.start));
  const indent = indentMatch ? indentMatch[0] : '';
  const eol = text.indexOf('\n', stmt.end);
  const newline = newlineOf(text);
  const line = lines.join(`${newline}${indent}`);
  if (eol < 0)
    return {
      title,
      edits: [{ start: text.length, end: text.length, newText: `${newline}${indent}${line}` }],
    };
  const at = text[eol - 1] === '\r' ? eol - 1 : eol;
  return { title, edits: [{ start: at, end: at, newText: `${newline}${indent}${line}` }] };
}

/** For a reshape whose element count is wrong: keep the leading dimensions, fix the last. */
/** Layers between a `dense` and a `reshape` that keep a flat shape as it is. */
const SHAPE_KEEPING = new Set([
  'batchnorm',
  'layernorm',
  'relu',
  'leakyrelu',
  'tanh',
  'sigmoid',
  'elu',
  'dropout',
]);

/** The `dense` whose output reaches `stmt` unchanged in shape, if any. */
function denseBefore(stmts: readonly Statement[], stmt: Statement): Statement | undefined {
  for (let i = stmts.indexOf(stmt) - 1; i >= 0; i--) {
    const word = stmts[i].word.name;
    if (word === 'dense') return stmts[i];
    if (!SHAPE_KEEPING.has(word)) return undefined;
  }
  return undefined;
}

/** Fixes for a reshape whose size differs from its input: reshape what there is (keeping the
 *  leading dimensions), or, after a `dense`, make the dense produce what the reshape asks for. */
function reshapeFixes(
  stmt: Statement,
  input: Shape,
  params: Readonly<Record<string, ParamValue>>,
  dense: Statement | undefined,
): Fix[] {
  const node = stmt.positional[0];
  const dims = params.dims as readonly number[] | undefined;
  if (!node || !dims || dims.length < 2 || dims.some((d) => d <= 0)) return [];
  const fixes: Fix[] = [];
  const n = prod(input);
  const lead = dims.slice(0, -1);
  const leadProd = prod(lead);
  if (n % leadProd === 0) {
    const fixed = [...lead, n / leadProd];
    fixes.push({
      title: `Change to \`reshape ${formatShape(fixed)}\``,
      edits: [{ start: node.start, end: node.end, newText: formatShape(fixed) }],
    });
  }
  const units = dense && input.length === 1 ? dense.positional[0] : undefined;
  if (units) {
    const product = dims.join('*');
    fixes.push({
      title: `Change the dense size to ${product} (= ${prod(dims)})`,
      edits: [{ start: units.start, end: units.end, newText: product }],
    });
  }
  return fixes;
}
