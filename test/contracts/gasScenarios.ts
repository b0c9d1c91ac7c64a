import { ethers, network } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse } from "ethers";
import { DAY, HOUR, defaultHaircutConfig, defaultParams, deployGuardFixture, deployHaircutFixture, reserveOnlyHaircutConfig } from "./fixtures";
import type { Contract } from "ethers";
import { deployHaircutV36Fixture } from "./fixturesV36";
import { V36 } from "./aaveV36";
import { deployRiskAwareFixture } from "./riskAwareFixture";

/** Gas per function, as recorded in gas-snapshot.json. Keys: "Contract.function (situation)". */
export type GasTable = Record<string, number>;

/**
 * Whole-transaction targets (issue 11 item 7: <= 150,000 gas, 21k intrinsic included). Every poke path meets it as
 * the keeper sends it (the oracle's poke, then the module's in the same block); the single transaction doing both
 * misses with a backing feed or an eMode write, with the measured floor in docs/contracts.md (Gas). The v3.0.2
 * reserve + eMode pair is not targeted: Aave v3.0.2's setEModeCategory reads every reserve of the pool.
 */
export const GAS_TARGETS: Record<string, number> = {
  "LiquidationPauseGuard.trip": 150_000,
  "LiquidationPauseGuard.trip (later trip, slots written before)": 150_000,
  "WideningHaircutModule.poke (oracle + haircut, reserve LTV cut)": 150_000,
  "WideningHaircutModule.poke (oracle + haircut, reserve LT ramp step)": 150_000,
  "CollateralRiskOracle.poke (with backing feed, first of the keeper's pair)": 150_000,
  "WideningHaircutModule.poke (after the oracle's poke in the block, reserve LTV cut, with backing feed)": 150_000,
  "CollateralRiskOracle.poke v3.6 (with backing feed, first of the keeper's pair)": 150_000,
  "WideningHaircutModule v3.6.poke (after the oracle's poke in the block, reserve + own eMode LTV cut)": 150_000,
  "WideningHaircutModule v3.6.poke (after the oracle's poke in the block, reserve + own eMode LT ramp step)": 150_000,
  "AaveGracePeriodAdapter.sync (v3.6, mirror a pause)": 150_000,
};

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<number> {
  const r = await (await tx).wait();
  return Number(r!.gasUsed);
}

/**
 * The keeper's poke path (scripts/ops/keeper.ts): the oracle's poke and the module's poke mined in one block, in that
 * order. Returns the gas of each: the module's poke reads the observation the oracle recorded in that block.
 */
async function gasOfPairInOneBlock(
  first: () => Promise<ContractTransactionResponse>,
  second: () => Promise<ContractTransactionResponse>,
): Promise<[number, number]> {
  await network.provider.send("evm_setAutomine", [false]);
  try {
    const [a, b] = [await first(), await second()];
    await network.provider.send("evm_mine", []);
    const [ra, rb] = [(await a.wait())!, (await b.wait())!];
    if (ra.blockNumber !== rb.blockNumber) throw new Error("gas scenario: the pair was not mined in one block");
    return [Number(ra.gasUsed), Number(rb.gasUsed)];
  } finally {
    await network.provider.send("evm_setAutomine", [true]);
  }
}

/** The oracle's and the module's permissionless `poke`. */
type Poker = { poke(asset: string): Promise<ContractTransactionResponse> };

/**
 * One poke of `asset` measured either in one transaction (the module pokes the oracle: recorded under `single`) or
 * as the keeper sends it (the oracle's poke, then the module's in one block: recorded under `pairModule`, and the
 * oracle's under `pairOracle` when given).
 */
async function measurePoke(req: {
  out: GasTable;
  pair: boolean;
  oracle: Poker;
  module: Poker;
  asset: string;
  single: string;
  pairModule: string;
  pairOracle?: string;
}): Promise<void> {
  const { out, oracle, module, asset } = req;
  if (!req.pair) {
    out[req.single] = await gasOf(module.poke(asset));
    return;
  }
  const [o, m] = await gasOfPairInOneBlock(() => oracle.poke(asset), () => module.poke(asset));
  if (req.pairOracle) out[req.pairOracle] = o;
  out[req.pairModule] = m;
}

/**
 * Runs every gas scenario on a fresh chain state (fixtures called directly, so it works from tests and from
 * `npm run bench`). Transaction figures are receipt gasUsed (21k base included); view figures are measured
 * inside a probe contract (cold account and storage included, no 21k base).
 */
export async function measureGasTable(): Promise<GasTable> {
  const out: GasTable = {};
  const probe = await ethers.deployContract("GasProbe");
  const view = async (target: string, data: string) => Number((await probe.measure(target, data))[0]);

  // --- oracle + guard (L1 setup, no sequencer) -------------------------------------------------
  {
    const f = await deployGuardFixture();
    const { oracle, guard, asset, keeper, setDiscount, refreshFeeds, guardian, weEth, rate, poolAdmin } = f;
    out["CollateralRiskOracle.poke (first)"] = await gasOf(oracle.poke(asset));
    // Governance's configuration of a new asset on a second guard: it pre-writes the asset's pause slot and its two
    // ring words (three first writes, paid once in calm time instead of by the asset's first trip).
    const guard2 = await ethers.deployContract("LiquidationPauseGuard", [
      f.provider.target as string,
      await oracle.getAddress(),
      f.governance.address,
      ethers.ZeroAddress,
      HOUR,
    ]);
    out["LiquidationPauseGuard.configureAsset (new asset: pause slot and ring words pre-written)"] = await gasOf(
      guard2.connect(f.governance).configureAsset(asset, f.guardConfig()),
    );
    out["LiquidationPauseGuard.configureAsset (asset already watched)"] = await gasOf(
      guard2.connect(f.governance).configureAsset(asset, f.guardConfig()),
    );
    await time.increase(HOUR);
    await refreshFeeds();
    out["CollateralRiskOracle.poke (steady, 1 h later)"] = await gasOf(oracle.poke(asset));
    await time.increase(DAY);
    await refreshFeeds();
    out["CollateralRiskOracle.setModelParams"] = await gasOf(
      oracle.connect(keeper).setModelParams(asset, { ...defaultParams(), tripDiscountBps: 320 }),
    );
    const g = await guard.getAddress();
    const isLiq = guard.interface.encodeFunctionData("isLiquidationAllowed");
    const isBorrow = guard.interface.encodeFunctionData("isBorrowAllowed");
    out["LiquidationPauseGuard.isLiquidationAllowed (no sequencer)"] = await view(g, isLiq);
    out["LiquidationPauseGuard.isBorrowAllowed (no sequencer)"] = await view(g, isBorrow);
    await setDiscount(400);
    await time.increase(60);
    out["LiquidationPauseGuard.trip"] = await gasOf(guard.trip(asset));
    out["LiquidationPauseGuard.isLiquidationAllowed (paused)"] = await view(g, isLiq);
    await weEth.setRate((rate * 97n) / 100n);
    out["LiquidationPauseGuard.release (IMPAIRED, anyone)"] = await gasOf(guard.release(asset));
    await weEth.setRate(rate);
    await time.increase(8 * DAY);
    await refreshFeeds();
    out["LiquidationPauseGuard.guardianTrip"] = await gasOf(guard.connect(guardian).guardianTrip(asset, HOUR));
    out["LiquidationPauseGuard.release (guardian)"] = await gasOf(guard.connect(guardian).release(asset));
    // A later trip: the asset's pause slot and the history words it writes hold earlier records already (the first
    // trip above pays for writing fresh slots: 20,000 instead of 2,900 each, EIP-2200).
    await time.increase(8 * DAY);
    await refreshFeeds();
    await oracle.poke(asset);
    await time.increase(60);
    await refreshFeeds();
    out["LiquidationPauseGuard.trip (later trip, slots written before)"] = await gasOf(guard.trip(asset));

    // Sequencer feed set: ours vs Aave v3.0.2's own PriceOracleSentinel artifact on the same feed.
    const seq = await ethers.deployContract("MockAggregator", [0, "sequencer", 0]);
    await time.increase(2 * DAY);
    await guard.connect(poolAdmin).setSequencerOracle(await seq.getAddress());
    out["LiquidationPauseGuard.isLiquidationAllowed (sequencer set)"] = await view(g, isLiq);
    // Aave v3.0.2's sentinel from the official @aave/core-v3 artifact, explicitly (typechain's
    // `PriceOracleSentinel` name resolves to the v3.6 source compiled here).
    const { deployAave } = await import("../../scripts/aave");
    const aaveSentinel = await deployAave<Contract>("PriceOracleSentinel", f.governance, [
      f.provider.target as string,
      await seq.getAddress(),
      HOUR,
    ]);
    out["Aave v3.0.2 PriceOracleSentinel.isLiquidationAllowed (sequencer set)"] = await view(
      await aaveSentinel.getAddress(),
      aaveSentinel.interface.encodeFunctionData("isLiquidationAllowed"),
    );
  }

  // --- haircut module on the real Aave v3.0.2: each cut in one transaction (oracle + module), then, on a fresh
  // fixture and step for step, as the keeper sends it (the oracle's poke, then the module's in the same block) ----
  for (const pair of [false, true]) {
    const f = await deployHaircutFixture();
    const { module, oracle, weethAddr, setDiscount, refreshFeeds } = f;
    const labels = (situation: string) => ({ single: `WideningHaircutModule.poke (oracle + haircut, ${situation})`, pairModule: `WideningHaircutModule.poke (after the oracle's poke in the block, ${situation})` });
    const cut = (situation: string, pairOracle?: string) =>
      measurePoke({ out, pair, oracle, module, asset: weethAddr, ...labels(situation), pairOracle });
    const configured = await gasOf(module.configureAsset(weethAddr, defaultHaircutConfig()));
    if (!pair) out["WideningHaircutModule.configureAsset (reserve + eMode)"] = configured;
    await module.poke(weethAddr);
    await time.increase(HOUR);
    await refreshFeeds();
    if (pair) await module.poke(weethAddr);
    else out["WideningHaircutModule.poke (oracle + haircut, no change)"] = await gasOf(module.poke(weethAddr));
    await setDiscount(400);
    // Aave v3.0.2's setEModeCategory reads every reserve of the pool (4 here): the eMode cut grows with the market.
    await cut("reserve + eMode LTV cut", "CollateralRiskOracle.poke (with backing feed, first of the keeper's pair)");
    // Reserve-only management (the eMode category left to governance)
    await module.configureAsset(weethAddr, reserveOnlyHaircutConfig());
    await setDiscount(0);
    await time.increase(HOUR);
    await refreshFeeds();
    await module.poke(weethAddr);
    await setDiscount(450);
    await time.increase(60);
    await cut("reserve LTV cut, with backing feed");
  }
  {
    // Market feed and rate adapter only (no proof-of-backing feed, as for weETH on Aave today), reserve only.
    const f = await deployHaircutFixture();
    const { module, weethAddr, setDiscount, refreshFeeds } = f;
    await f.oracle.configureAsset(weethAddr, { ...f.config, backingFeed: ethers.ZeroAddress, backingHeartbeatSeconds: 0 });
    await module.configureAsset(weethAddr, reserveOnlyHaircutConfig());
    await module.poke(weethAddr);
    await time.increase(HOUR);
    await refreshFeeds();
    out["WideningHaircutModule.poke (oracle + haircut, no change, no backing feed)"] = await gasOf(module.poke(weethAddr));
    await setDiscount(450);
    await time.increase(60);
    out["WideningHaircutModule.poke (oracle + haircut, reserve LTV cut)"] = await gasOf(module.poke(weethAddr));
    await time.increase(2 * HOUR);
    await refreshFeeds();
    await module.poke(weethAddr); // the EMA has risen: an LT cut is pending, the ramp clock starts
    await time.increase(HOUR);
    await refreshFeeds();
    out["WideningHaircutModule.poke (oracle + haircut, reserve LT ramp step)"] = await gasOf(module.poke(weethAddr));
  }
  // --- RiskAwareOracle.price() (Morpho IOracle): what Morpho pays on every borrow, withdrawCollateral, liquidate --
  {
    const f = await deployRiskAwareFixture();
    const o = await f.riskAware.getAddress();
    const price = f.riskAware.interface.encodeFunctionData("price");
    await f.oracle.poke(f.asset);
    out["RiskAwareOracle.price (NORMAL, market price)"] = await view(o, price);
    await f.setDiscount(1000);
    await f.guard.trip(f.asset);
    out["RiskAwareOracle.price (guard paused, floor)"] = await view(o, price);
    await f.weEth.setRate((f.rate * 96n) / 100n);
    await f.oracle.poke(f.asset);
    out["RiskAwareOracle.price (IMPAIRED)"] = await view(o, price);
    await time.increase(2 * DAY);
    out["RiskAwareOracle.price (stale market feed, IMPAIRED)"] = await view(o, price);
  }
  // --- Aave v3.6 (compiled from @aave-dao/aave-v3-origin): its own sentinel, and the module on liquid eMode, each
  // cut in one transaction, then on a fresh fixture and step for step as the keeper sends it (see v3.0.2 above) ----
  for (const pair of [false, true]) {
    const f = await deployHaircutV36Fixture();
    const { module, oracle, ezethAddr, setDiscount, refreshFeeds } = f;
    const labels = (situation: string) => ({ single: `WideningHaircutModule v3.6.poke (${situation}, with backing feed)`, pairModule: `WideningHaircutModule v3.6.poke (after the oracle's poke in the block, ${situation})` });
    const cut = (situation: string, pairOracle?: string) =>
      measurePoke({ out, pair, oracle, module, asset: ezethAddr, ...labels(situation), pairOracle });
    await time.increase(2 * DAY);
    await refreshFeeds();
    if (!pair) {
      const seq = await ethers.deployContract("MockAggregator", [0, "sequencer", 0]);
      const sentinel = await ethers.deployContract(V36.sentinel, [
        await f.aave.addressesProvider.getAddress(),
        await seq.getAddress(),
        HOUR,
      ]);
      out["Aave v3.6 PriceOracleSentinel.isLiquidationAllowed (sequencer set)"] = await view(
        await sentinel.getAddress(),
        sentinel.interface.encodeFunctionData("isLiquidationAllowed"),
      );
    }
    await module.poke(ezethAddr);
    await time.increase(HOUR);
    await refreshFeeds();
    if (pair) await module.poke(ezethAddr);
    else out["WideningHaircutModule v3.6.poke (no change, with backing feed)"] = await gasOf(module.poke(ezethAddr));
    await setDiscount(400);
    await time.increase(60);
    await cut("reserve + own eMode LTV cut", "CollateralRiskOracle.poke v3.6 (with backing feed, first of the keeper's pair)");
    await time.increase(2 * HOUR);
    await refreshFeeds();
    await module.poke(ezethAddr); // the EMA has risen: an LT cut is pending, the ramp clock starts
    await time.increase(HOUR);
    await refreshFeeds();
    await cut("reserve + own eMode LT ramp step");
    if (pair) continue;
    await f.weEth.setRate((f.rate * 97n) / 100n);
    await time.increase(HOUR);
    await refreshFeeds();
    out["WideningHaircutModule v3.6.poke (IMPAIRED: cut + v3.6 freeze, informational)"] = await gasOf(
      module.poke(ezethAddr),
    );
  }
  // --- the v3.1+ grace-period adapter on the real v3.6 Pool (replica, market-price regime) ------------------------
  {
    const { deployReplicaMarket } = await import("../../scripts/markets/replica");
    const cascadeLib = await import("../../scripts/guard");
    const [deployer] = await ethers.getSigners();
    const replica = await deployReplicaMarket({ deployer, aave: "3.6", priceRegime: "market-price", withoutDex: true });
    const addressesProvider = String(replica.aave.addressesProvider.target);
    const assets = await cascadeLib.cascadeAssetsFromReplica(replica, {
      symbols: ["weETH"],
      eModeDriver: null,
      haircut: { weETH: null },
    });
    const cascade = await cascadeLib.deployCascadeGuard({ deployer, addressesProvider, assets });
    await cascadeLib.installCascadeGuard({ signer: deployer, addressesProvider, cascade, setSentinel: false });
    const grace = await cascadeLib.installGraceAdapter({
      signer: deployer,
      addressesProvider,
      pauseGuard: cascade.addresses.pauseGuard,
    });
    const weeth = replica.assets.weETH;
    const rate = await weeth.rateProvider!.getRate();
    await weeth.marketFeed!.setAnswer((rate * 88n) / 100n);
    await cascade.pauseGuard.trip(weeth.address);
    out["AaveGracePeriodAdapter.sync (v3.6, mirror a pause)"] = await gasOf(grace.adapter.sync(weeth.address));
  }
  return out;
}
