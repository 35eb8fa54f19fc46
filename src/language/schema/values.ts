// Value types and parameter specs: the vocabulary every schema table is written in.
import type { FamilyName, ParamValue } from '../model';

export type ValueType =
  | { readonly kind: 'int'; readonly min?: number; readonly max?: number }
  | {
      readonly kind: 'number';
      readonly min?: number;
      readonly max?: number;
      /** min/max are exclusive bounds when set. */
      readonly minExclusive?: boolean;
      readonly maxExclusive?: boolean;
    }
  | { readonly kind: 'bool' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  /** `dims`: how many dimensions the size may have (default 2 or 3). */
  | { readonly kind: 'size'; readonly dims?: readonly number[] }
  | { readonly kind: 'intList'; readonly minLength?: number; readonly maxLength?: number }
  | { readonly kind: 'range' }
  | { readonly kind: 'string' };

export interface ParamSpec {
  readonly name: string;
  readonly type: ValueType;
  readonly doc: string;
  /** The value when the parameter is omitted; undefined means none (see `required`). */
  readonly default?: ParamValue | null;
  readonly required?: boolean;
  /** Written without `name=` at this index (e.g. `dense 128`, `dropout 0.3`). */
  readonly positional?: boolean;
  /** Usual values completion offers when there is no default (e.g. dropout rates). */
  readonly suggestions?: readonly number[];
  /** A setting of a section several families share that only these read (absent: all of them). */
  readonly families?: readonly FamilyName[];
}

/** Whether `family` reads the parameter (completion offers it; the family may reject the rest). */
export function paramFor(param: ParamSpec, family: FamilyName | null): boolean {
  return !family || !param.families || param.families.includes(family);
}

export const int = (min?: number, max?: number): ValueType => ({ kind: 'int', min, max });
export const num = (
  min?: number,
  max?: number,
  opts: { minExclusive?: boolean; maxExclusive?: boolean } = {},
): ValueType => ({
  kind: 'number',
  min,
  max,
  ...opts,
});
export const bool: ValueType = { kind: 'bool' };
export const oneOf = (...values: string[]): ValueType => ({ kind: 'enum', values });

/** A named choice with its own parameters: a loss, an optimizer, a metric. */
export interface KindSpec {
  readonly name: string;
  readonly doc: string;
  readonly params: readonly ParamSpec[];
  /** Adversarial losses: what the logged d_real / d_fake are (σ(D) or D's raw score). */
  readonly readout?: 'probability' | 'score';
}

export const byName = <T extends { name: string }>(items: readonly T[]): ReadonlyMap<string, T> =>
  new Map(items.map((i) => [i.name, i]));

/** Describes a value type for messages and hover: `integer ≥ 1`, `one of same, valid`. */
export function describeType(t: ValueType): string {
  switch (t.kind) {
    case 'int':
    case 'number': {
      const what = t.kind === 'int' ? 'integer' : 'number';
      const lo = t.min === undefined ? '' : `${t.kind === 'number' && t.minExclusive ? '>' : '≥'} ${t.min}`;
      const hi = t.max === undefined ? '' : `${t.kind === 'number' && t.maxExclusive ? '<' : '≤'} ${t.max}`;
      return [what, lo, hi]
        .filter(Boolean)
        .join(' ')
        .replace(/ (≥|>) (\S+) (≤|<)/, ' $1 $2, $3');
    }
    case 'bool':
      return 'true or false';
    case 'enum':
      return `one of ${t.values.join(', ')}`;
    case 'size':
      return t.dims && t.dims.length === 1 && t.dims[0] === 2
        ? 'a size of 2 dimensions such as 8x8'
        : 'a size such as 28x28 or 64x64x3';
    case 'intList':
      return 'a list of whole numbers such as [7, 7, 256]';
    case 'range':
      return '[-1, 1] or [0, 1]';
    case 'string':
      return 'a string in double quotes';
  }
}

export function formatValue(v: ParamValue | null | undefined): string {
  if (v === null || v === undefined) return 'none';
  if (Array.isArray(v)) return `[${v.join(', ')}]`;
  return String(v);
}
