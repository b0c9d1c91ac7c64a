/**
 * Detects which Aave v3 generation a fork runs, by probing rather than trusting a label:
 *  - `POOL_REVISION()` of the Pool (v3.0.x: 1-2; v3.1-v3.6: 3-10, v3.6 = 10 in aave-v3-origin 3.6.0);
 *  - `getLiquidationGracePeriod(address)` on the Pool answers only from v3.1 on;
 *  - `getEModeCategoryData(uint8)` answers up to v3.1; v3.2+ splits eMode into
 *    `getEModeCategoryCollateralConfig(uint8)` + bitmaps;
 *  - the addresses provider's `getPriceOracleSentinel()`.
 * Our reading (documented in docs/replay.md): revision <= 2 and no grace period => "v3.0" (liquidation pause through
 * the PriceOracleSentinel); a grace period and revision <= 10 => "v3.1+" (sentinel still consulted, per-reserve
 * grace period available); revision >= 11 => "v3.7+" (treated as having no sentinel: the pause must use the
 * per-reserve liquidation grace period).
 */
import { Contract, type Provider } from "ethers";

export type AaveGeneration = "v3.0" | "v3.1+" | "v3.7+";

export interface AaveVersionInfo {
  generation: AaveGeneration;
  poolRevision: number;
  hasGracePeriod: boolean;
  /** `getReserveDeficit(address)` answers (v3.3+). */
  hasDeficit: boolean;
  /** eMode read through getEModeCategoryData (v3.0-v3.1) or getEModeCategoryCollateralConfig (v3.2+). */
  eModeAbi: "v3.0" | "v3.2";
  sentinel: string | null;
}

/** Highest POOL_REVISION we know still consults the PriceOracleSentinel (aave-v3-origin 3.6.0 PoolInstance). */
export const LAST_SENTINEL_POOL_REVISION = 10;

const POOL_PROBE_ABI = [
  "function POOL_REVISION() view returns (uint256)",
  "function getLiquidationGracePeriod(address asset) view returns (uint40)",
  "function getEModeCategoryData(uint8 id) view returns (tuple(uint16 ltv, uint16 liquidationThreshold, uint16 liquidationBonus, address priceSource, string label))",
  "function getEModeCategoryCollateralConfig(uint8 id) view returns (tuple(uint16 ltv, uint16 liquidationThreshold, uint16 liquidationBonus))",
  "function getReservesList() view returns (address[])",
  "function getReserveDeficit(address asset) view returns (uint256)",
];
const PROVIDER_PROBE_ABI = ["function getPriceOracleSentinel() view returns (address)"];

async function probe<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch {
    return undefined;
  }
}

/** Pure: the generation from the probe results (see the file comment for the reading). */
export function classifyAaveVersion(probe: { poolRevision: number; hasGracePeriod: boolean }): AaveGeneration {
  if (probe.poolRevision > LAST_SENTINEL_POOL_REVISION) return "v3.7+";
  return probe.hasGracePeriod ? "v3.1+" : "v3.0";
}

export async function detectAaveVersion(request: { provider: Provider; pool: string; addressesProvider: string }): Promise<AaveVersionInfo> {
  const pool = new Contract(request.pool, POOL_PROBE_ABI, request.provider);
  const ap = new Contract(request.addressesProvider, PROVIDER_PROBE_ABI, request.provider);
  const revision = await probe(async () => Number(await pool.POOL_REVISION()));
  if (revision === undefined) throw new Error(`fork: ${request.pool} does not answer POOL_REVISION(); not an Aave v3 Pool`);
  const reserves = ((await probe(() => pool.getReservesList())) as string[] | undefined) ?? [];
  const hasGracePeriod = reserves.length > 0 && (await probe(() => pool.getLiquidationGracePeriod(reserves[0]))) !== undefined;
  const hasDeficit = reserves.length > 0 && (await probe(() => pool.getReserveDeficit(reserves[0]))) !== undefined;
  // v3.2+ still answers the legacy getEModeCategoryData; the v3.2 getter decides the eMode ABI.
  const eModeV32 = (await probe(() => pool.getEModeCategoryCollateralConfig(1))) !== undefined;
  const eModeV30 = !eModeV32 && (await probe(() => pool.getEModeCategoryData(1))) !== undefined;
  const sentinel = ((await probe(() => ap.getPriceOracleSentinel())) as string | undefined) ?? null;
  const generation = classifyAaveVersion({ poolRevision: revision, hasGracePeriod });
  return { generation, poolRevision: revision, hasGracePeriod, hasDeficit, eModeAbi: eModeV30 ? "v3.0" : "v3.2", sentinel };
}
