// A counter-based random stream: every value is a pure function of (seed, counter), so the whole
// state is two numbers that a checkpoint can store and restore exactly, on any backend.

export interface RngState {
  readonly seed: number;
  readonly counter: number;
}

const TWO_POW_32 = 4294967296;

/** murmur3's 32-bit finaliser: a cheap, well-mixed bijection on uint32. */
function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Combines numbers into one uint32 seed (order matters). */
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

export class CounterRng {
  private seed: number;
  private counter: number;

  constructor(seed: number, counter = 0) {
    this.seed = mixSeeds(seed);
    this.counter = counter;
  }

  static fromState(state: RngState): CounterRng {
    const rng = new CounterRng(0);
    rng.restore(state);
    return rng;
  }

  state(): RngState {
    return { seed: this.seed, counter: this.counter };
  }

  restore(state: RngState): void {
    this.seed = state.seed >>> 0;
    this.counter = state.counter;
  }

  nextUint32(): number {
    const c = this.counter++;
    const lo = c >>> 0;
    const hi = Math.floor(c / TWO_POW_32) >>> 0;
    return fmix32(fmix32(this.seed ^ fmix32(lo ^ 0x68e31da4)) + Math.imul(hi + 1, 0x9e3779b9));
  }

  /** Uniform in the open interval (0, 1). */
  uniform(): number {
    return (this.nextUint32() + 0.5) / TWO_POW_32;
  }

  /** A seed for tfjs ops that take one (dropout masks, initialisers). */
  nextSeed(): number {
    return this.nextUint32();
  }

  fillNormal(out: Float32Array, mean = 0, std = 1): Float32Array {
    for (let i = 0; i < out.length; i += 2) {
      // Box-Muller: two uniforms give two independent standard normals.
      const r = Math.sqrt(-2 * Math.log(this.uniform()));
      const theta = 2 * Math.PI * this.uniform();
      out[i] = mean + std * r * Math.cos(theta);
      if (i + 1 < out.length) out[i + 1] = mean + std * r * Math.sin(theta);
    }
    return out;
  }

  fillUniform(out: Float32Array, lo: number, hi: number): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = lo + (hi - lo) * this.uniform();
    return out;
  }
}
