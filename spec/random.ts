/**
 * Seeded pseudo-random numbers: the one generator of the project, and the draws built on it.
 *
 * Generator: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit state, passes PractRand to 2^40+),
 * seeded through splitmix32 mixing. Two seedings of the same generator:
 *  - `pathRng(seed, pathIndex)` / `Sfc32.seedPath`: the cascade model. Each Monte Carlo path owns an independent
 *    stream, so every engine (reference, fast, any number of workers) draws the same numbers for the same path.
 *  - `createRng(seed)`: one stream from one seed (the replica's borrower population and a replay scenario's,
 *    `scripts/replica/population.ts`).
 *
 * Every draw takes its generator explicitly: no hidden global state.
 */
import { UserError } from "./errors";

/** A stream as an object: `next()` returns a uniform float in [0, 1) with 32 bits of resolution. */
export interface Rng {
  next(): number;
}

/** A stream as a function returning uniform floats in [0, 1). */
export type RandomFn = () => number;

/** splitmix32 finaliser of `x + golden ratio`: a bijective 32-bit mixer. */
export function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Normalises a user seed (any non-negative safe integer) to two 32-bit words. */
export function seedWords(seed: number): [number, number] {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new UserError({ field: "seed", problem: "expected a non-negative safe integer", value: seed });
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  return [lo, hi];
}

/** Mutable sfc32 state, exposed so the fast kernel can inline the generator without allocating. */
export class Sfc32 implements Rng {
  a = 0;
  b = 0;
  c = 0;
  d = 0;
  /** Re-seeds this stream for path `pathIndex` of a run seeded with `seedLo/seedHi` (see `seedWords`). */
  seedPath(seedLo: number, seedHi: number, pathIndex: number): void {
    this.a = mix32(seedLo ^ 0x243f6a88);
    this.b = mix32(seedHi ^ 0x85a308d3);
    this.c = mix32((pathIndex >>> 0) ^ 0x13198a2e);
    this.d = mix32(Math.floor(pathIndex / 4294967296) ^ 0x03707344);
    this.warmUp();
  }
  /**
   * Seeds from the splitmix32 sequence of one 32-bit seed: a, b, c, d = mix32(seed + k * golden ratio), k = 0..3.
   * (The splitmix32 generator adds the golden ratio before each output; `mix32` does the same.)
   */
  seedSequential(seed: number): void {
    const s = seed >>> 0;
    this.a = mix32(s);
    this.b = mix32((s + 0x9e3779b9) >>> 0);
    this.c = mix32((s + 2 * 0x9e3779b9) >>> 0);
    this.d = mix32((s + 3 * 0x9e3779b9) >>> 0);
    this.warmUp();
  }
  /** Twelve draws so nearby seeds decorrelate. */
  private warmUp(): void {
    for (let i = 0; i < 12; i++) this.nextU32();
  }
  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
  next(): number {
    return this.nextU32() / 4294967296;
  }
}

/** A fresh stream for one Monte Carlo path. */
export function pathRng(seed: number, pathIndex: number): Sfc32 {
  const [lo, hi] = seedWords(seed);
  const r = new Sfc32();
  r.seedPath(lo, hi, pathIndex);
  return r;
}

/** One uniform [0, 1) stream from an integer seed (its low 32 bits). */
export function createRng(seed: number): RandomFn {
  const r = new Sfc32();
  r.seedSequential(seed);
  return () => r.next();
}

/** Triangular(min, mode, max) by inverse CDF of a uniform `u` in [0, 1). */
export function triangularFromUniform(u: number, min: number, mode: number, max: number): number {
  if (max === min) return min;
  const c = (mode - min) / (max - min);
  return u < c ? min + Math.sqrt(u * (max - min) * (mode - min)) : max - Math.sqrt((1 - u) * (max - min) * (max - mode));
}

/** Triangular(min, mode, max), one draw from `rng`. */
export function triangular(rng: RandomFn, min: number, mode: number, max: number): number {
  return triangularFromUniform(rng(), min, mode, max);
}

/** Standard normal by Box-Muller (two draws). */
export function normal(rng: RandomFn): number {
  const u = Math.max(rng(), 1e-12);
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Log-normal with the given median and log-sd, clamped to [min, max]. */
export function logNormal(rng: RandomFn, median: number, sigma: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, median * Math.exp(sigma * normal(rng))));
}

/** Picks a key with probability proportional to its weight. */
export function weightedPick<K extends string>(rng: RandomFn, weights: Record<K, number>): K {
  const entries = Object.entries(weights) as Array<[K, number]>;
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let u = rng() * total;
  for (const [k, w] of entries) {
    if ((u -= w) < 0) return k;
  }
  return entries[entries.length - 1][0];
}
