/** The replica population's draws; the generator and the distributions live in spec/random.ts (the one RNG). */
export { createRng, logNormal, normal, triangular, weightedPick, type RandomFn as Rng } from "../../../spec/random";
