/**
 * Gas benchmark of the Cascade Guard contracts (`npm run bench -- --only gas`).
 * Measures in one run, on the in-process Hardhat network:
 *  - `isLiquidationAllowed()` of LiquidationPauseGuard vs Aave v3.0.2's own PriceOracleSentinel artifact
 *    (`@aave/core-v3`) on the same sequencer feed (target: ours <= Aave's);
 *  - `poke` of oracle + haircut in one transaction (target: <= 150k gas);
 *  - `RiskAwareOracle.price()` (Morpho IOracle) in each mode (target: <= 60k gas);
 * and prints the whole per-function table (the same scenarios as gas-snapshot.json).
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { TextTable } from "../spec/table";

const POKE_TARGET_GAS = 150_000;
/** RiskAwareOracle.price() (ours): Morpho reads it on every borrow, withdrawCollateral and liquidate. */
const PRICE_TARGET_GAS = 60_000;
const INTRINSIC_GAS = 21_000;

export default async function run(hre: HardhatRuntimeEnvironment, _opts: { quick: boolean }): Promise<void> {
  if (hre.network.name !== "hardhat") throw new Error(`bench/gas: run on the in-process hardhat network, not ${hre.network.name}`);
  await hre.run("compile", { quiet: true });
  const { measureGasTable } = await import("../test/contracts/gasScenarios");
  const gas = await measureGasTable();

  const table = new TextTable({ head: ["function (situation)", "gas"], align: ["left", "right"] });
  for (const [k, v] of Object.entries(gas)) table.push([k, v.toLocaleString("en-US")]);
  console.log(table.toString());

  const ours = gas["LiquidationPauseGuard.isLiquidationAllowed (sequencer set)"];
  const aave = gas["Aave PriceOracleSentinel.isLiquidationAllowed (sequencer set)"];
  const poke = gas["WideningHaircutModule.poke (oracle + haircut, reserve LTV cut)"];
  const pokeNoop = gas["WideningHaircutModule.poke (oracle + haircut, no change, no backing feed)"];
  const checks = new TextTable({ head: ["target", "measured", "result"] });
  checks.push(
    [
      "guard isLiquidationAllowed() <= Aave PriceOracleSentinel (sequencer set)",
      `${ours} vs ${aave}`,
      ours <= aave ? "MET" : "MISSED",
    ],
    [
      `oracle + haircut poke <= ${POKE_TARGET_GAS} (reserve LTV cut, tx gas incl. 21k intrinsic)`,
      String(poke),
      poke <= POKE_TARGET_GAS ? "MET" : "MISSED",
    ],
    [
      `oracle + haircut poke <= ${POKE_TARGET_GAS} (reserve LTV cut, execution gas)`,
      String(poke - INTRINSIC_GAS),
      poke - INTRINSIC_GAS <= POKE_TARGET_GAS ? "MET" : "MISSED",
    ],
    [`oracle + haircut poke, nothing changes <= ${POKE_TARGET_GAS}`, String(pokeNoop), pokeNoop <= POKE_TARGET_GAS ? "MET" : "MISSED"],
  );
  const prices = Object.entries(gas).filter(([k]) => k.startsWith("RiskAwareOracle.price"));
  const worst = Math.max(...prices.map(([, v]) => v));
  checks.push([
    `RiskAwareOracle.price() <= ${PRICE_TARGET_GAS} in every mode (view, cold access)`,
    prices.map(([k, v]) => `${k.replace("RiskAwareOracle.price ", "")} ${v}`).join("; "),
    worst <= PRICE_TARGET_GAS ? "MET" : "MISSED",
  ]);
  console.log(checks.toString());
}
