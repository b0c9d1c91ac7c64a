/**
 * Seeded pseudo-random numbers.
 *
 * Generator: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit state, passes PractRand to 2^40+),
 * seeded per path through splitmix32 mixing of (seed, pathIndex). Each path therefore owns an independent stream,
 * which makes every engine (reference, fast, any number of workers) draw exactly the same numbers for the same path:
 * results never depend on how paths are split across workers.
 */

/** splitmix32 finaliser: a bijective 32-bit mixer. */
export function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A sfc32 stream. `next()` returns a uniform float in [0, 1) with 32 bits of resolution. */
export interface Rng {
  next(): number;
}

/** Normalises a user seed (any safe integer) to two 32-bit words. */
export function seedWords(seed: number): [number, number] {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`seed: expected a non-negative safe integer, found ${seed}`);
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
    // Warm up so nearby path indices decorrelate.
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

/** Convenience: a fresh stream for one path. */
export function pathRng(seed: number, pathIndex: number): Sfc32 {
  const [lo, hi] = seedWords(seed);
  const r = new Sfc32();
  r.seedPath(lo, hi, pathIndex);
  return r;
}
