/**
 * Stateful invariant suite on the real Aave v3.0.2 Pool (see model.ts for the world and the invariants, commands.ts
 * for the actions). CI runs a fixed seed and a bounded number of sequences; `npm run bench -- --only fuzz` runs a
 * long one (FUZZ_SEED, FUZZ_RUNS, FUZZ_COMMANDS). A failure prints the shrunk command sequence and the violated
 * invariant.
 */
import fc from "fast-check";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { commandsArbitrary } from "./commands";
import { deployInvariantWorld, initialModel, setErrorDecoders, checkInvariants } from "./model";

export const CI_SEED = 20_261_205;
export const CI_RUNS = 24;
export const CI_MAX_COMMANDS = 30;

async function setup() {
  const w = await loadFixture(deployInvariantWorld);
  setErrorDecoders(w);
  const model = await initialModel(w);
  await checkInvariants(w, model);
  return { model, real: w };
}

describe("invariants: random sequences on the real Aave v3.0.2 Pool + Cascade Guard", function () {
  this.timeout(300_000);

  it(`hold after every step (seed ${CI_SEED}, ${CI_RUNS} sequences of up to ${CI_MAX_COMMANDS} commands)`, async function () {
    await fc.assert(
      fc.asyncProperty(commandsArbitrary(CI_MAX_COMMANDS), async (cmds) => {
        await fc.asyncModelRun(setup, cmds);
      }),
      { seed: CI_SEED, numRuns: CI_RUNS, endOnFailure: false },
    );
  });
});
