/**
 * How the market's own oracle prices a collateral, read from the source the AaveOracle holds for it, before anything is
 * sent. The guard verifies a declared pricing on-chain at `configureAsset` by comparing prices, which cannot tell the
 * two regimes apart while the market trades at the exchange rate (calm days, when deployments happen): a guard
 * declared MARKET on a CAPO-priced reserve would then be accepted and trip, in the next dislocation, where a pause
 * only blocks. The source's shape tells them apart at any price:
 *
 *   exchange-rate  BGD CAPO (`PriceCapAdapterBase`: `RATIO_PROVIDER()`; Aave v3 Ethereum's LRT sources) or the
 *                  replica's CAPO-like source (`RATE_PROVIDER()`);
 *   market         BGD's CL synchronicity adapter (`ASSET_TO_PEG()`: an asset/ETH market feed x ETH/USD) or the
 *                  replica's market source (`ASSET_ETH_FEED()`);
 *   unknown        anything else (e.g. a bare Chainlink feed): the declared value stands and the guard's on-chain
 *                  price comparison decides.
 */
import { Contract, ZeroAddress, getAddress, type ContractRunner } from "ethers";
import { UserError } from "../../spec/errors";
import type { CollateralPricingName } from "./deploy";

/** What a source's shape says about its regime, and which probe said it. */
export interface PricingEvidence {
  regime: CollateralPricingName | "unknown";
  /** The AaveOracle's source for the asset (ZeroAddress: none, the fallback oracle prices it). */
  source: string;
  /** The probe that answered, e.g. "RATIO_PROVIDER() = 0x… (BGD CAPO)". */
  how: string;
}

const PROBES: ReadonlyArray<{ fn: string; regime: CollateralPricingName; label: string }> = [
  { fn: "RATIO_PROVIDER", regime: "exchange-rate", label: "BGD CAPO price-cap adapter" },
  { fn: "RATE_PROVIDER", regime: "exchange-rate", label: "CAPO-style exchange-rate source" },
  { fn: "ASSET_TO_PEG", regime: "market", label: "CL synchronicity adapter (asset/ETH market feed x ETH/USD)" },
  { fn: "ASSET_ETH_FEED", regime: "market", label: "market-feed source (asset/ETH market feed x ETH/USD)" },
];

const ORACLE_ABI = ["function getSourceOfAsset(address asset) view returns (address)"];

/** Reads the AaveOracle's source for `asset` and probes its shape (view calls only). */
export async function detectAavePricing(req: { runner: ContractRunner; aaveOracle: string; asset: string }): Promise<PricingEvidence> {
  const source = getAddress(await new Contract(req.aaveOracle, ORACLE_ABI, req.runner).getSourceOfAsset(req.asset));
  if (source === ZeroAddress) return { regime: "unknown", source, how: "no source in the AaveOracle (fallback oracle)" };
  for (const p of PROBES) {
    const c = new Contract(source, [`function ${p.fn}() view returns (address)`], req.runner);
    const answer = await c.getFunction(p.fn).staticCall().then(
      (a: string) => a,
      () => undefined,
    );
    if (answer !== undefined && answer !== ZeroAddress) return { regime: p.regime, source, how: `${p.fn}() = ${answer} (${p.label})` };
  }
  return { regime: "unknown", source, how: "none of RATIO_PROVIDER(), RATE_PROVIDER(), ASSET_TO_PEG(), ASSET_ETH_FEED() answers" };
}

/**
 * Refuses a declared pricing the market's source contradicts: one line naming the config file, the field, the
 * declared value, the evidence and the fix. Returns the evidence (for the deploy log) when it agrees or is unknown.
 */
export function checkDeclaredPricing(req: {
  file: string;
  field: string;
  symbol: string;
  declared: CollateralPricingName;
  evidence: PricingEvidence;
}): PricingEvidence {
  const { evidence: e } = req;
  if (e.regime !== "unknown" && e.regime !== req.declared) {
    const why =
      e.regime === "exchange-rate"
        ? "a market discount liquidates nobody there, so a pause would only block"
        : "a market discount liquidates there, and a guard declared exchange-rate refuses every trip";
    throw new UserError({
      file: req.file,
      field: req.field,
      value: req.declared,
      problem: `the market's oracle prices ${req.symbol} by ${e.regime} (source ${e.source}: ${e.how}); ${why}`,
      fix: `set "${e.regime}"`,
    });
  }
  return e;
}
