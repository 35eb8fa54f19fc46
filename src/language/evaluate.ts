// Evaluates value nodes against the schema's value types. Arithmetic only: a .gan file is data,
// nothing in it is run as code.
import type { ParamValue } from './model';
import type { ValueType } from './schema/values';
import { describeType } from './schema/values';
import type { DiagnosticSink } from './diagnostics';
import { unknownName } from './diagnostics';
import type { ValueNode } from './syntax';

type NumberResult = { ok: true; value: number } | { ok: false; message: string; node: ValueNode };

/** Evaluates a number expression (`7*7*256`, `(28/4)*64`, `-1`, `2e-4`). */
export function evalNumber(node: ValueNode): NumberResult {
  switch (node.kind) {
    case 'number':
      return { ok: true, value: node.value };
    case 'paren':
      return evalNumber(node.inner);
    case 'unary': {
      const r = evalNumber(node.operand);
      return r.ok ? { ok: true, value: -r.value } : r;
    }
    case 'binary': {
      const l = evalNumber(node.left);
      if (!l.ok) return l;
      const r = evalNumber(node.right);
      if (!r.ok) return r;
      if (node.op === '/' && r.value === 0)
        return { ok: false, message: 'Division by zero.', node: node.right };
      const value =
        node.op === '+'
          ? l.value + r.value
          : node.op === '-'
            ? l.value - r.value
            : node.op === '*'
              ? l.value * r.value
              : l.value / r.value;
      return { ok: true, value };
    }
    default:
      return { ok: false, message: 'Expected a number.', node };
  }
}

/** A dashed word the parser read as a subtraction (`leaky-relu`, `non-saturating`), or a plain name. */
export function wordOf(node: ValueNode): string | null {
  if (node.kind === 'name') return node.name;
  if (node.kind === 'binary' && node.op === '-' && node.right.start === node.left.end + 1) {
    const left = wordOf(node.left);
    const right = wordOf(node.right);
    return left !== null && right !== null ? `${left}-${right}` : null;
  }
  return null;
}

export function isMissing(node: ValueNode): boolean {
  return node.kind === 'missing';
}

function rangeMessage(
  shown: string,
  v: number,
  t: Extract<ValueType, { kind: 'int' | 'number' }>,
): string | null {
  const minX = t.kind === 'number' && t.minExclusive;
  const maxX = t.kind === 'number' && t.maxExclusive;
  if (t.min !== undefined && (minX ? v <= t.min : v < t.min))
    return `${shown} is ${v} but must be ${describeType(t).replace(/^(integer|number) /, '')}.`;
  if (t.max !== undefined && (maxX ? v >= t.max : v > t.max))
    return `${shown} is ${v} but must be ${describeType(t).replace(/^(integer|number) /, '')}.`;
  return null;
}

/**
 * Converts a value node to the parameter's type. Reports E205 (type), E206 (range) or E212
 * (enum) and returns undefined on error. `missing` nodes were reported by the parser already.
 */
export function evalValue(
  node: ValueNode,
  type: ValueType,
  name: string,
  sink: DiagnosticSink,
  /** How messages name the value; positional values read better as "`latent` size". */
  shown = `\`${name}\``,
): ParamValue | undefined {
  if (node.kind === 'missing') return undefined;
  const wrong = (): undefined => {
    const given =
      node.kind === 'size'
        ? `, not the size \`${node.text}\`${/^0x/i.test(node.text) ? ' (hexadecimal is not supported)' : ''}`
        : node.kind === 'string'
          ? ', not a string: remove the quotes'
          : '';
    const unquote =
      node.kind === 'string' && /^[\w.+\-*/()[\], ]+$/.test(node.value)
        ? [{ title: 'Remove the quotes', edits: [{ start: node.start, end: node.end, newText: node.value }] }]
        : [];
    sink.add('E205', node, `${shown} expects ${describeType(type)}${given}.`, unquote);
    return undefined;
  };
  switch (type.kind) {
    case 'int':
    case 'number': {
      const r = evalNumber(node);
      if (!r.ok) {
        if (r.message === 'Division by zero.') sink.add('E206', r.node, `${shown}: division by zero.`);
        else return wrong();
        return undefined;
      }
      if (!Number.isFinite(r.value)) {
        sink.add('E206', node, `${shown} is not a finite number.`);
        return undefined;
      }
      if (type.kind === 'int' && !Number.isInteger(r.value)) {
        sink.add('E205', node, `${shown} must be a whole number, not ${r.value}.`);
        return undefined;
      }
      const bad = rangeMessage(shown, r.value, type);
      if (bad) {
        sink.add('E206', node, bad);
        return undefined;
      }
      return r.value;
    }
    case 'bool':
      if (node.kind === 'name' && (node.name === 'true' || node.name === 'false'))
        return node.name === 'true';
      return wrong();
    case 'enum': {
      const word = wordOf(node);
      if (word === null) return wrong();
      if (node.kind !== 'name' || !type.values.includes(word)) {
        const u = unknownName('value', node, word, type.values, ` for ${shown}`);
        sink.add('E212', node, u.message, u.fixes);
        return undefined;
      }
      return word;
    }
    case 'size':
      if (node.kind !== 'size') return wrong();
      if (type.dims && !type.dims.includes(node.dims.length)) {
        sink.add(
          'E206',
          node,
          `${shown} takes ${type.dims.join(' or ')} dimensions, not ${node.dims.length}: write it like ${type.dims[0] === 2 ? '8x8' : '28x28x1'}.`,
        );
        return undefined;
      }
      if (node.dims.some((d) => d < 1)) {
        sink.add('E206', node, `${shown}: every dimension of a size must be at least 1.`);
        return undefined;
      }
      return node.dims;
    case 'string':
      if (node.kind !== 'string') return wrong();
      return node.value;
    case 'intList': {
      if (node.kind !== 'list') return wrong();
      const out: number[] = [];
      for (const item of node.items) {
        const r = evalNumber(item);
        if (!r.ok || !Number.isInteger(r.value)) {
          sink.add('E205', item, `${shown} expects whole numbers, e.g. [7, 7, 256].`);
          return undefined;
        }
        out.push(r.value);
      }
      if (
        (type.minLength !== undefined && out.length < type.minLength) ||
        (type.maxLength !== undefined && out.length > type.maxLength)
      ) {
        sink.add(
          'E206',
          node,
          `${shown} takes ${type.minLength} to ${type.maxLength} dimensions, not ${out.length}.`,
        );
        return undefined;
      }
      return out;
    }
    case 'range': {
      if (node.kind !== 'list' || node.items.length !== 2) return wrong();
      const lo = evalNumber(node.items[0]);
      const hi = evalNumber(node.items[1]);
      if (!lo.ok || !hi.ok) return wrong();
      if (!((lo.value === -1 && hi.value === 1) || (lo.value === 0 && hi.value === 1))) {
        sink.add('E206', node, `${shown} must be [-1, 1] or [0, 1], not [${lo.value}, ${hi.value}].`);
        return undefined;
      }
      return [lo.value, hi.value];
    }
  }
}
