/**
 * Stateful invariant suite on the real Aave v3.0.2 Pool (see model.ts for the world and the invariants, commands.ts
 * for the actions). CI runs a fixed seed and a bounded number of random sequences, plus the counterexamples the
 * suite found on the pre-fix contracts, replayed as fixed sequences. `npm run bench -- --only fuzz` runs a long one
 * (FUZZ_SEED, FUZZ_RUNS, FUZZ_COMMANDS; FUZZ_SURVEY=1 tallies every invariant). A failure prints the shrunk command
 * sequence and the violated invariant.
 */
import fc from "fast-check";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  BackingMove,
  GovModuleConfig,
  GovReserve,
  ModulePoke,
  RateMove,
  RefreshFeeds,
  SetDiscount,
  TimeJump,
  Trip,
  commandsArbitrary,
} from "./commands";
import { DAY, HOUR, checkInvariants, deployInvariantWorld, initialModel, setErrorDecoders } from "./model";

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

/** Every 30 minutes for `hours`: the feeds report again and anyone pokes the module for `asset`. */
function pokedEveryHalfHour(asset: "weETH" | "ezETH", hours: number) {
  return Array.from({ length: hours * 2 }, () => [new TimeJump(HOUR / 2), new RefreshFeeds(asset), new ModulePoke(asset)]).flat();
}

/**
 * Counterexamples found by the random run on the pre-fix contracts (branch main), one per fault; each breaks the
 * invariant named on main and must hold now.
 */
const FOUND_ON_MAIN: Record<string, fc.AsyncCommand<never, never>[]> = {
  "H-1 (I6): a weETH-only liquidity depeg, poked every 30 min, must not cut the shared eMode LT under a WETH/WETH loop": [
    new SetDiscount("weETH", 800),
    ...pokedEveryHalfHour("weETH", 3),
  ],
  "H-2 (I6): turning weETH's eMode management off and on again must not write the eMode floors": [
    new GovModuleConfig("weETH", false, false),
    new GovModuleConfig("weETH", true, false),
  ],
  "M-1 (I3a): a pause's post-pause grace counts in the asset's cap (6 h + 6 h + 1 h guardian trips a day apart)": [
    new Trip("ezETH", true, 6 * HOUR),
    new TimeJump(DAY + 1),
    new RefreshFeeds("ezETH"),
    new Trip("ezETH", true, 6 * HOUR),
    new TimeJump(DAY + 1),
    new RefreshFeeds("ezETH"),
    new Trip("ezETH", true, HOUR),
  ],
  "M-1 (I3b): trips of two LRTs must not chain into a market-wide block beyond the cap": [
    new SetDiscount("weETH", 600),
    new Trip("weETH", false, 0),
    new TimeJump(6 * HOUR),
    new SetDiscount("ezETH", 600),
    new Trip("ezETH", false, 0),
    new TimeJump(18 * HOUR + 1),
    new SetDiscount("weETH", 600),
    new Trip("weETH", false, 0),
  ],
  "M-2 (I5): a backing feed answering 0 must escalate (the module's poke goes through and freezes)": [new BackingMove("zero")],
  "M-2 (I5): an exchange rate below minRateWad must escalate": [new RateMove("ezETH", -6000)],
  "M-2 (I2): on a real loss anyone can end a guardian's pause": [new Trip("weETH", true, 6 * HOUR), new BackingMove("zero")],
  "M-4 (I4): a poke must not undo governance's offboarding (LTV 0, LT 75%, LB 8%)": [
    new GovReserve("weETH", 0),
    new SetDiscount("weETH", 100),
    new ModulePoke("weETH"),
  ],
  "M-5 (I5): an eMode write Aave refuses must not block the IMPAIRED freeze": [
    new GovReserve("WETH", 1),
    new BackingMove("short5pct"),
    new ModulePoke("weETH"),
  ],
};

describe("invariants: random sequences on the real Aave v3.0.2 Pool + Cascade Guard", function () {
  this.timeout(300_000);

  it(`hold after every step (seed ${CI_SEED}, ${CI_RUNS} sequences of up to ${CI_MAX_COMMANDS} commands)`, async function () {
    await fc.assert(
      fc.asyncProperty(commandsArbitrary(CI_MAX_COMMANDS), async (cmds) => {
        await fc.asyncModelRun(setup, cmds);
      }),
      { seed: CI_SEED, numRuns: CI_RUNS },
    );
  });

  describe("the counterexamples found on the pre-fix contracts hold now", function () {
    for (const [name, cmds] of Object.entries(FOUND_ON_MAIN)) {
      it(name, async function () {
        await fc.asyncModelRun(setup as never, cmds);
      });
    }
  });
});
