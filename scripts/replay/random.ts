/** The replay population's draws; the generator and the distributions live in spec/random.ts (the one RNG). */
export { mulberry32, normal, triangularFromUniform as triangular } from "../../spec/random";
