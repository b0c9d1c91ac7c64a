/**
 * Aave v3.0.2 deployer (official `@aave/core-v3` artifacts, libraries linked) for any network.
 *
 *   const aave = await deployAaveV3({ deployer, admins: { riskAdmins: [module] } });
 *   await initReserves(aave, [{ asset, symbol: "weETH", decimals: 18, interestRateStrategy }]);
 *   await configureReserve(aave, { asset, ltvBps: 77_50, liquidationThresholdBps: 80_00, liquidationBonusBps: 7_00 });
 *   await setEModeCategory(aave, { id: 1, ltvBps: 93_00, liquidationThresholdBps: 95_00, liquidationBonusBps: 1_00, label: "ETH correlated" });
 */
export * from "./deployAaveV3";
export * from "./deployAaveV36";
export * from "./deployAaveMarket";
export * from "./reserves";
export * from "./connect";
export { DeployStepError, send, deployed } from "./tx";
export * from "./artifacts";
