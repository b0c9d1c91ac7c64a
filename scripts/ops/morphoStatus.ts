/**
 * Morpho part of `risk:status`: one row per Morpho market of the address book's `morpho` section (the replica's
 * market and, when deployed, its risk-aware twin): LLTV, oracle price, supply, borrow, utilisation, and for a
 * RiskAwareOracle the rule pricing the collateral now (market / floor / impaired), the floor and until when.
 * Read-only.
 */
import { Contract, type Provider } from "ethers";
import { renderTable } from "../../spec/table";
import type { MorphoBookSection } from "./morphoDeploy";

export interface MorphoMarketStatus {
  symbol: string;
  market: "replica oracle" | "risk-aware";
  marketId: string;
  lltvBps: number;
  oraclePriceEth: number;
  supplyEth: number;
  borrowEth: number;
  utilizationPct: number;
  /** RiskAwareOracle only. */
  mode?: "MARKET" | "FLOOR" | "IMPAIRED";
  floorEth?: number;
  floorUntil?: number;
  marketFresh?: boolean;
}

const MORPHO_ABI = [
  "function market(bytes32 id) view returns (uint128 totalSupplyAssets, uint128 totalSupplyShares, uint128 totalBorrowAssets, uint128 totalBorrowShares, uint128 lastUpdate, uint128 fee)",
];
const ORACLE_ABI = [
  "function price() view returns (uint256)",
  "function quote() view returns (tuple(uint256 priceWad, uint8 mode, uint256 marketWad, bool marketFresh, uint256 rateWad, uint256 backedRateWad, uint256 floorWad, uint256 floorUntil))",
];
const MODES = ["MARKET", "FLOOR", "IMPAIRED"] as const;

export async function readMorphoStatus(req: { provider: Provider; section: MorphoBookSection; asset?: string }): Promise<MorphoMarketStatus[]> {
  const morpho = new Contract(req.section.morpho, MORPHO_ABI, req.provider);
  const out: MorphoMarketStatus[] = [];
  for (const [symbol, m] of Object.entries(req.section.markets)) {
    if (req.asset && req.asset !== symbol && req.asset.toLowerCase() !== m.collateral.toLowerCase()) continue;
    const entries: [MorphoMarketStatus["market"], string, string][] = [["replica oracle", m.marketId, m.oracle]];
    if (m.riskAware) entries.push(["risk-aware", m.riskAware.marketId, m.riskAware.oracle]);
    for (const [kind, id, oracleAddr] of entries) {
      const oracle = new Contract(oracleAddr, ORACLE_ABI, req.provider);
      const [mk, price] = await Promise.all([morpho.market(id), oracle.price() as Promise<bigint>]);
      const supply = Number(mk.totalSupplyAssets as bigint) / 1e18;
      const borrow = Number(mk.totalBorrowAssets as bigint) / 1e18;
      const row: MorphoMarketStatus = {
        symbol,
        market: kind,
        marketId: id,
        lltvBps: m.lltvBps,
        oraclePriceEth: Number(price / 10n ** 18n) / 1e18,
        supplyEth: supply,
        borrowEth: borrow,
        utilizationPct: supply > 0 ? (borrow / supply) * 100 : 0,
      };
      if (kind === "risk-aware") {
        const q = await oracle.quote();
        row.mode = MODES[Number(q.mode)];
        row.floorEth = Number(q.floorWad as bigint) / 1e18;
        row.floorUntil = Number(q.floorUntil as bigint);
        row.marketFresh = q.marketFresh as boolean;
      }
      out.push(row);
    }
  }
  return out;
}

export function renderMorphoStatus(rows: MorphoMarketStatus[]): string {
  return renderTable(
    ["collateral", "market", "LLTV", "oracle price (ETH)", "rule", "floor (ETH)", "floor until", "supply (ETH)", "borrow (ETH)", "utilisation"],
    rows.map((r) => [
      r.symbol,
      r.market,
      `${(r.lltvBps / 100).toFixed(2)}%`,
      r.oraclePriceEth.toFixed(4),
      r.mode ? `${r.mode}${r.marketFresh === false ? " (stale feed)" : ""}` : "market feed",
      r.floorEth ? r.floorEth.toFixed(4) : "-",
      r.floorUntil ? new Date(r.floorUntil * 1000).toISOString() : "-",
      r.supplyEth.toFixed(2),
      r.borrowEth.toFixed(2),
      `${r.utilizationPct.toFixed(1)}%`,
    ]),
  );
}
