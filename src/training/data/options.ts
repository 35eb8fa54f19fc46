// Reading a source's settings out of ResolvedData.options and the caps that apply to it.
import type { ResolvedData } from '../../language/model';
import type { OpenDataOptions } from '../contract';

export function stringOption<T extends string>(
  spec: ResolvedData,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = spec.options[name];
  if (value === undefined) return fallback;
  const match = allowed.find((a) => a === value);
  if (match === undefined)
    throw new Error(`data ${spec.source}: ${name}=${String(value)} is not one of ${allowed.join(', ')}`);
  return match;
}

export function textOption(spec: ResolvedData, name: string, fallback?: string): string {
  const value = spec.options[name];
  if (typeof value === 'string') return value;
  if (value === undefined && fallback !== undefined) return fallback;
  throw new Error(
    `data ${spec.source}: ${name} must be a string${value === undefined ? ' and is missing' : ''}`,
  );
}

export function boolOption(spec: ResolvedData, name: string, fallback: boolean): boolean {
  const value = spec.options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new Error(`data ${spec.source}: ${name} must be true or false`);
  return value;
}

/** The image background sources with transparency are flattened onto (a CSS colour for sharp). */
export function backgroundOption(spec: ResolvedData): string {
  return textOption(spec, 'background', '#ffffff');
}

/** How many images of the split to use: the smaller of the spec's `limit` and the caller's cap. */
export function imageLimit(spec: ResolvedData, opts: OpenDataOptions): number {
  return Math.min(spec.limit ?? Infinity, opts.limit ?? Infinity);
}

export function checkSpec(spec: ResolvedData): void {
  const [h, w, c] = spec.shape;
  if (![h, w].every((d) => Number.isInteger(d) && d > 0) || (c !== 1 && c !== 3))
    throw new Error(
      `data ${spec.source}: unsupported image shape ${spec.shape.join('x')} (channels must be 1 or 3)`,
    );
  if (!Number.isInteger(spec.batch) || spec.batch < 1)
    throw new Error(`data ${spec.source}: batch must be a positive integer`);
}
