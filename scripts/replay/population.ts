/**
 * Opens a scenario's seeded borrower population on the real Pool: each borrower supplies its collateral, enters the
 * scenario's eMode (if any) and borrows WETH so that its health factor at the start prices is the planned one.
 *
 * Aave refuses a borrow above LTV, but real markets hold positions between LTV and LT (HF 1.01 at LT 95% / LTV 93%
 * is such a position; they get there through price moves and interest). To seed them, borrowing happens while the
 * collateral's Aave price is raised by `boost` (just enough for the lowest planned HF), then the price is set back:
 * the result is the planned HF at the true start price.
 */
import { Contract, MaxUint256, Signer, keccak256, parseUnits, toUtf8Bytes, getAddress } from "ethers";
import type { ReplayMarketContext } from "./chainWorld";
import { debtForHealthFactor, planScenarioPopulation } from "../markets/replica/population";
import type { Scenario } from "./types";

export interface PopulationRequest {
  scenario: Scenario;
  ctx: Omit<ReplayMarketContext, "borrowers" | "startTimestamp">;
  /** Returns a signer able to send from `address` (impersonation on Hardhat / anvil), funded with gas ETH. */
  signerFor(address: string): Promise<Signer>;
  /** The collateral's Aave price at t = 0, ETH per token (the scenario's oracle regime decides which). */
  startOraclePrice: number;
  /** Liquidity a supplier deposits in WETH beyond the borrowers' total debt (the attacker's room), ETH. */
  extraWethLiquidity: number;
  onProgress?: (done: number, total: number) => void;
}

/** Deterministic borrower address for scenario `id`, index `i`. */
export function borrowerAddress(id: string, i: number): string {
  return getAddress("0x" + keccak256(toUtf8Bytes(`cascade-guard/borrower/${id}/${i}`)).slice(26));
}

const ERC20 = ["function approve(address,uint256) returns (bool)"];

/** Opens the population; returns the borrower addresses. */
export async function openPopulation(req: PopulationRequest): Promise<string[]> {
  const { scenario, ctx } = req;
  const plan = planScenarioPopulation(scenario.positions);
  const emode = scenario.emode && ctx.eModeCategoryId > 0;
  let ltv: number;
  let lt: number;
  if (emode) {
    const e = await ctx.eModeConfig(ctx.eModeCategoryId);
    ltv = e.ltvBps;
    lt = e.ltBps;
  } else {
    const c = await ctx.dataProvider.getReserveConfigurationData(ctx.collateral);
    ltv = Number(c.ltv);
    lt = Number(c.liquidationThreshold);
  }
  if (ltv === 0) throw new Error(`openPopulation: ${scenario.id}: the collateral has LTV 0 ${emode ? "in eMode" : "outside eMode"}; positions cannot borrow`);
  const poolAddr = await ctx.pool.getAddress();
  const minHf = Math.min(...plan.map((p) => p.healthFactor));
  const boost = Math.max(1, (lt / ltv / minHf) * 1.005);
  const debts = plan.map((p) =>
    debtForHealthFactor({
      collateralTokens: p.collateralTokens,
      priceEth: req.startOraclePrice,
      liquidationThresholdBps: lt,
      healthFactor: p.healthFactor,
    }),
  );

  // WETH liquidity for every borrow plus the attacker's room.
  const supplierAddr = borrowerAddress(scenario.id, 1_000_000);
  const supplier = await req.signerFor(supplierAddr);
  const liquidity = parseUnits((debts.reduce((a, b) => a + b, 0) * 1.05 + req.extraWethLiquidity).toFixed(6), ctx.wethDecimals);
  await ctx.fund(ctx.weth, supplierAddr, liquidity);
  await (await new Contract(ctx.weth, ERC20, supplier).approve(poolAddr, MaxUint256)).wait();
  await (await ctx.pool.connect(supplier).supply(ctx.weth, liquidity, supplierAddr, 0)).wait();

  await ctx.feeds.setAaveCollateralPrice(req.startOraclePrice * boost);
  const borrowers: string[] = [];
  try {
    for (let i = 0; i < plan.length; i++) {
      const addr = borrowerAddress(scenario.id, i);
      const signer = await req.signerFor(addr);
      const pool = ctx.pool.connect(signer);
      const coll = parseUnits(plan[i].collateralTokens.toFixed(9), ctx.collateralDecimals);
      const debt = parseUnits(debts[i].toFixed(9), ctx.wethDecimals);
      await ctx.fund(ctx.collateral, addr, coll);
      await (await new Contract(ctx.collateral, ERC20, signer).approve(poolAddr, MaxUint256)).wait();
      await (await pool.supply(ctx.collateral, coll, addr, 0)).wait();
      if (emode) await (await pool.setUserEMode(ctx.eModeCategoryId)).wait();
      // A reserve with LTV 0 outside eMode (ezETH, rsETH on Aave) is not enabled as collateral on first supply.
      await (await pool.setUserUseReserveAsCollateral(ctx.collateral, true)).wait();
      await (await pool.borrow(ctx.weth, debt, 2, 0, addr)).wait();
      borrowers.push(addr);
      req.onProgress?.(i + 1, plan.length);
    }
  } finally {
    await ctx.feeds.setAaveCollateralPrice(req.startOraclePrice);
  }
  return borrowers;
}
