/**
 * Deploys a `RiskAwareOracle` (Morpho Blue `IOracle` composed from Cascade Guard's risk oracle and pause guard) for
 * one collateral. A Morpho market fixes its oracle at creation, so this runs *before* the market is created; the
 * curator then creates the market with the returned address. Network-agnostic: addresses in, address out.
 *
 * The constructor validates everything on-chain (bounds, guard/oracle match, a non-zero price now) and reverts with
 * a named error; `deployRiskAwareOracle` checks the same bounds first so a bad request stops before anything is
 * sent, with the field, the value and the allowed range in the message.
 */
import { Contract, type Signer } from "ethers";
import { addressOf, deployArtifact, localArtifact } from "../aave/artifacts";
import { HOUR } from "./deploy";

/** Bounds enforced by the contract (RiskAwareOracle constants); checked here first. */
export const RISK_AWARE_ORACLE_BOUNDS = {
  minToleranceBps: 50,
  maxToleranceBps: 3000,
  maxFloorCeilingSeconds: 3 * 86_400,
  maxHeartbeatSeconds: 7 * 86_400,
} as const;

/** Defaults (ours): floor 3% under exchange rate x backing (the default trip discount), held at most 6 h. */
export const DEFAULT_RISK_AWARE_ORACLE = {
  floorToleranceBps: 300,
  maxFloorSeconds: 6 * HOUR,
  marketHeartbeatSeconds: 86_400,
} as const;

export interface DeployRiskAwareOracleRequest {
  deployer: Signer;
  /** Collateral token (configured in the risk oracle and the guard). */
  asset: string;
  riskOracle: string;
  guard: string;
  /** Collateral/loan-token market feed (Chainlink-compatible). */
  marketFeed: string;
  /** IExchangeRateAdapter of the collateral. */
  rateAdapter: string;
  floorToleranceBps?: number;
  maxFloorSeconds?: number;
  marketHeartbeatSeconds?: number;
  collateralDecimals: number;
  loanDecimals: number;
}

/** Checks the request against the contract's bounds; throws naming the field, the value and the range. */
export function validateRiskAwareOracleRequest(req: DeployRiskAwareOracleRequest, where = "deployRiskAwareOracle"): Required<Pick<DeployRiskAwareOracleRequest, "floorToleranceBps" | "maxFloorSeconds" | "marketHeartbeatSeconds">> {
  const b = RISK_AWARE_ORACLE_BOUNDS;
  const tol = req.floorToleranceBps ?? DEFAULT_RISK_AWARE_ORACLE.floorToleranceBps;
  const cap = req.maxFloorSeconds ?? DEFAULT_RISK_AWARE_ORACLE.maxFloorSeconds;
  const hb = req.marketHeartbeatSeconds ?? DEFAULT_RISK_AWARE_ORACLE.marketHeartbeatSeconds;
  const int = (v: number) => Number.isInteger(v);
  if (!int(tol) || tol < b.minToleranceBps || tol > b.maxToleranceBps) {
    throw new Error(`${where}: floorToleranceBps: expected an integer in [${b.minToleranceBps}, ${b.maxToleranceBps}]; found ${tol}`);
  }
  if (!int(cap) || cap <= 0 || cap > b.maxFloorCeilingSeconds) {
    throw new Error(`${where}: maxFloorSeconds: expected an integer in (0, ${b.maxFloorCeilingSeconds}]; found ${cap}`);
  }
  if (!int(hb) || hb <= 0 || hb > b.maxHeartbeatSeconds) {
    throw new Error(`${where}: marketHeartbeatSeconds: expected an integer in (0, ${b.maxHeartbeatSeconds}]; found ${hb}`);
  }
  for (const k of ["collateralDecimals", "loanDecimals"] as const) {
    if (!int(req[k]) || req[k] < 0 || req[k] > 36) throw new Error(`${where}: ${k}: expected an integer in [0, 36]; found ${req[k]}`);
  }
  const exp = 18 + req.loanDecimals - req.collateralDecimals;
  if (exp < 0 || exp > 36) throw new Error(`${where}: loanDecimals: expected 18 + loanDecimals - collateralDecimals in [0, 36]; found ${exp}`);
  return { floorToleranceBps: tol, maxFloorSeconds: cap, marketHeartbeatSeconds: hb };
}

/** Deploys the oracle (validated first); returns the contract. */
export async function deployRiskAwareOracle(req: DeployRiskAwareOracleRequest): Promise<Contract> {
  const v = validateRiskAwareOracleRequest(req);
  return deployArtifact<Contract>(localArtifact("oracle/RiskAwareOracle.sol", "RiskAwareOracle"), req.deployer, [
    {
      asset: req.asset,
      riskOracle: req.riskOracle,
      guard: req.guard,
      marketFeed: req.marketFeed,
      rateAdapter: req.rateAdapter,
      marketHeartbeatSeconds: v.marketHeartbeatSeconds,
      floorToleranceBps: v.floorToleranceBps,
      maxFloorSeconds: v.maxFloorSeconds,
      collateralDecimals: req.collateralDecimals,
      loanDecimals: req.loanDecimals,
    },
  ]);
}

