// A counter-based random stream: every value is a pure function of (seed, counter), so the whole
// state is two numbers that a checkpoint can store and restore exactly, on any backend.
import { fmix32, mixSeeds } from '../seeds';

export interface RngState {
  readonly seed: number;
  readonly counter: number;
}

const TWO_POW_32 = 4294967296;

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
