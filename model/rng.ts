/**
 * Seeded pseudo-random numbers for the cascade model: sfc32 with one independent stream per path (`pathRng`), so
 * results never depend on how paths are split across workers. The generator lives in spec/random.ts, the project's
 * one RNG; this module keeps the model's import path.
 */
export { mix32, pathRng, seedWords, Sfc32, type Rng } from "../spec/random";
