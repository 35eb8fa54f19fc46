// The one seed mixer of the training engine: data order, procedural images, weight initialisers,
// noise and dropout streams all derive their seeds here, so a run is a pure function of its seed.

const TWO_POW_32 = 4294967296;

/** murmur3's 32-bit finaliser: a cheap, well-mixed bijection on uint32. */
export function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Combines non-negative integers (up to 2^53, e.g. a step or image index) into one uint32 seed;
 *  order matters. */
export function mixSeeds(...parts: readonly number[]): number {
  let h = 0x2545f491;
  for (const part of parts) {
    const lo = part >>> 0;
    const hi = Math.floor(part / TWO_POW_32) >>> 0;
    h = fmix32(h ^ fmix32(lo + 0x9e3779b9));
    h = fmix32(h ^ fmix32(hi + 0x7f4a7c15));
  }
  return h;
}
