import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { Contract } from "ethers";
import type { IMorpho } from "../../typechain-types";
import { HOUR, WAD, defaultGuardConfig, deployOracleFor } from "./fixtures";
import { deployRiskAwareOracle } from "../../scripts/guard/riskAwareOracle";
import { createMorphoMarket, deployMorphoBlue, enableIrmAndLltvs, morphoMarketId, type MorphoMarketParams } from "../../scripts/markets/morpho/deploy";

/** Guard pause cap in the fixture (the guard's default, 6 h) and the oracle's own floor cap (4 h). */
export const FIXTURE_MAX_FLOOR_SECONDS = 4 * HOUR;
export const FIXTURE_TOLERANCE_BPS = 300;
export const LLTV_86 = 86n * 10n ** 16n;

/**
 * A weETH-like collateral (ReplicaToken, rate 1.05, market feed at par with the rate, backing feed 1.05) in
 * Cascade Guard's risk oracle and pause guard, a WETH token, and a RiskAwareOracle over them (3% tolerance, 4 h
 * floor cap) deployed through the same code `cascade:deploy` uses.
 */
export async function deployRiskAwareFixture() {
  const [deployer] = await ethers.getSigners();
  const collateral = await ethers.deployContract("ReplicaToken", ["Wrapped eETH", "weETH", 18, deployer.address]);
  const weth = await ethers.deployContract("ReplicaToken", ["Wrapped Ether", "WETH", 18, deployer.address]);
  const base = await deployOracleFor(await collateral.getAddress());
  const { oracle, governance, guardian, asset } = base;
  // A Morpho market has no Aave addresses provider: the guard is deployed without one, as `replica:deploy --venue
  // morpho` does, and declares MARKET pricing with no reference reserve (nothing Aave-side to verify against).
  const guard = await ethers.deployContract("LiquidationPauseGuard", [ethers.ZeroAddress, await oracle.getAddress(), governance.address, ethers.ZeroAddress, HOUR]);
  await guard.grantRole(await guard.GUARDIAN_ROLE(), guardian.address);
  await guard.configureAsset(asset, { ...defaultGuardConfig(), pricingReference: ethers.ZeroAddress });
  const request = {
    deployer,
    asset,
    riskOracle: await oracle.getAddress(),
    guard: await guard.getAddress(),
    marketFeed: await base.marketFeed.getAddress(),
    rateAdapter: await base.adapter.getAddress(),
    floorToleranceBps: FIXTURE_TOLERANCE_BPS,
    maxFloorSeconds: FIXTURE_MAX_FLOOR_SECONDS,
    marketHeartbeatSeconds: 86_400,
    collateralDecimals: 18,
    loanDecimals: 18,
  };
  const riskAware = await deployRiskAwareOracle(request);
  async function refreshFeeds() {
    await base.marketFeed.setUpdatedAt(await time.latest());
    await base.backingFeed.setUpdatedAt(await time.latest());
  }
  /** Price as Morpho reads it, back in WAD (18/18 decimals: price() = priceWad x 1e18). */
  async function priceWad(): Promise<bigint> {
    return ((await riskAware.price()) as bigint) / WAD;
  }
  return { ...base, deployer, collateral, weth, guard, riskAware, request, refreshFeeds, priceWad };
}

/**
 * The fixture plus the real Morpho Blue with our IRM, LLTV 86% enabled, and an LRT/WETH market whose oracle is the
 * RiskAwareOracle; 1,000 WETH supplied by the deployer.
 */
export async function deployMorphoRiskAwareFixture() {
  const f = await deployRiskAwareFixture();
  const { deployer } = f;
  const morpho = await deployMorphoBlue(deployer);
  const irm = await ethers.deployContract("ReplicaMorphoIrm", [9n * 10n ** 17n, 4n * WAD, (4n * 10n ** 16n) / (365n * 86_400n)]);
  await enableIrmAndLltvs({ morpho, owner: deployer, irm: await irm.getAddress(), lltvs: [LLTV_86] });
  const params: MorphoMarketParams = {
    loanToken: await f.weth.getAddress(),
    collateralToken: await f.collateral.getAddress(),
    oracle: await f.riskAware.getAddress(),
    irm: await irm.getAddress(),
    lltv: LLTV_86,
  };
  const id = await createMorphoMarket({ morpho, signer: deployer, params, label: "weETH/WETH 86% (risk-aware)" });
  const supply = 1000n * WAD;
  await f.weth.mint(deployer.address, supply);
  await f.weth.approve(await morpho.getAddress(), ethers.MaxUint256);
  await (morpho as Contract).supply(params, supply, 0, deployer.address, "0x");
  return { ...f, morpho: morpho as unknown as IMorpho, irm, params, id, marketId: morphoMarketId(params) };
}
