/**
 * A replay's result does not depend on how fast the machine runs it: the same scenario replayed twice, the second
 * time with one step held up for 2.5 s of wall time (as a loaded machine does), gives the same result, every figure
 * and every timeline row. Before the replay pinned its block clock (scripts/replay/blockClock.ts), the held-up step's
 * blocks were stamped seconds later and interest accrual moved the bad debt.
 */
import { expect } from "chai";
import hre from "hardhat";
import { runScenarioReplay } from "../../scripts/replay/run";
import { replicaMarketSetup } from "../../scripts/replay/replicaSetup";
import type { MarketSetup } from "../../scripts/replay/marketSetup";
import type { ReplayResult } from "../../scripts/replay/types";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The result without what legitimately differs between two runs (wall time). */
function comparable(r: ReplayResult): unknown {
  return { ...r, runs: r.runs.map((x) => ({ ...x, wallSeconds: 0 })) };
}

/**
 * The replica setup, held up for `delayMs` of wall time right after the `stallAt`-th step's clock move (`evm_mine` to a
 * timestamp): that step's transactions then come later in wall time.
 */
function stallingSetup(delayMs: number, stallAt: number): MarketSetup {
  return async (req) => {
    const prepared = await replicaMarketSetup(req);
    const rpc = prepared.ctx.rpc;
    let mines = 0;
    prepared.ctx.rpc = async (method, params) => {
      const out = await rpc(method, params);
      if (method === "evm_mine" && params.length > 0 && ++mines === stallAt) await sleep(delayMs);
      return out;
    };
    return prepared;
  };
}

describe("replay determinism (replica)", function () {
  it("a step held up in wall time changes nothing in the result (rsETH 2026 on v3.6: the attacker's step held up)", async function () {
    const fast = await runScenarioReplay({ hre, scenario: "rseth-2026-04-18", aave: "3.6" });
    // The attacker borrows at t = 2700 s (the scenario's event), the 10th step (t = 0, 300, ..., 2700) of the baseline:
    // its supply and borrow come 2.5 s later in wall time, and so did their blocks before the clock was pinned.
    const attackerStep = fast.result.runs[0].timeline.findIndex((row) => row.t === 2700) + 1;
    expect(attackerStep).to.equal(10);
    const slow = await runScenarioReplay({ hre, scenario: "rseth-2026-04-18", aave: "3.6", setup: stallingSetup(2500, attackerStep) });
    expect(comparable(slow.result)).to.deep.equal(comparable(fast.result));
  });
});
