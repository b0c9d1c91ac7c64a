import { ECOSYSTEM_SCHEMA_ID, EcosystemInput } from "../../model/ecosystem/schema";

/**
 * A tiny ecosystem: one operator (one strategy) fully allocated to one AVS that faults with probability
 * `faultProbability` and slashes `slashFraction`; one LRT fully delegated to it. NAV loss on a fault = slashFraction.
 */
export function oneShotEcosystem(opts: {
  slashFraction: number;
  faultProbability?: number;
  regime?: "exchange-rate" | "market-price";
  rule?: "aave-v3" | "full";
  ltBps?: number;
  lbBps?: number;
  feeBps?: number;
  positions?: { collateralTokens: number; debtEth: number }[];
  dexDepthEth?: number;
  dexImpactBps?: number;
  exitDays?: number;
}): EcosystemInput {
  const lt = opts.ltBps ?? 9500;
  return {
    schema: ECOSYSTEM_SCHEMA_ID,
    name: "one-shot",
    horizonDays: 365,
    operators: [
      {
        id: "op",
        client: "prysm",
        strategies: [{ strategy: "stETH", stakeEth: 1_000_000, maxMagnitude: 10_000, allocations: [{ avs: "avs", magnitude: 10_000 }] }],
      },
    ],
    avss: [
      {
        id: "avs",
        faultProbability: opts.faultProbability ?? 1,
        slashFraction: opts.slashFraction,
        profitFromCorruptionEth: 1,
        corruptionThreshold: 0.5,
      },
    ],
    lrts: [
      {
        id: "lrt",
        symbol: "LRT",
        supplyTokens: 1_000_000,
        exchangeRate: 1,
        allocations: [{ operator: "op", strategy: "stETH", shareOfNav: 1 }],
        exitDays: opts.exitDays ?? 0,
        requiredAnnualReturn: 0.25,
        dex: { depthEth: opts.dexDepthEth ?? 1e12, impactBps: opts.dexImpactBps ?? 1 },
      },
    ],
    venues: [
      {
        id: "venue",
        oracleRegime: opts.regime ?? "market-price",
        liquidationRule: opts.rule ?? "aave-v3",
        markets: [
          {
            lrt: "lrt",
            mode: "emode",
            ltvBps: Math.min(lt, 9300),
            liquidationThresholdBps: lt,
            liquidationBonusBps: opts.lbBps ?? 100,
            liquidationProtocolFeeBps: opts.feeBps ?? 0,
            positions: { kind: "explicit", list: opts.positions ?? [{ collateralTokens: 100, debtEth: 95 }] },
          },
        ],
      },
    ],
  };
}

/** `n` AVSs at probability p each; `n` operators, operator i allocated fully to AVS i; one LRT spread equally. */
export function independentAvsEcosystem(n: number, p: number, slashFraction = 0.5): EcosystemInput {
  return {
    schema: ECOSYSTEM_SCHEMA_ID,
    name: `independent-${n}`,
    horizonDays: 365,
    operators: Array.from({ length: n }, (_, i) => ({
      id: `op${i}`,
      client: `client${i}`,
      strategies: [{ strategy: "stETH", stakeEth: 1_000_000, maxMagnitude: 1, allocations: [{ avs: `avs${i}`, magnitude: 1 }] }],
    })),
    avss: Array.from({ length: n }, (_, i) => ({
      id: `avs${i}`,
      faultProbability: p,
      slashFraction,
      profitFromCorruptionEth: 1,
      corruptionThreshold: 0.5,
    })),
    lrts: [
      {
        id: "lrt",
        symbol: "LRT",
        supplyTokens: 1_000_000,
        exchangeRate: 1,
        allocations: Array.from({ length: n }, (_, i) => ({ operator: `op${i}`, strategy: "stETH", shareOfNav: 1 / n })),
        exitDays: 0,
        requiredAnnualReturn: 0,
        dex: { depthEth: 1e9, impactBps: 1 },
      },
    ],
    venues: [
      {
        id: "venue",
        oracleRegime: "exchange-rate",
        markets: [
          {
            lrt: "lrt",
            mode: "emode",
            ltvBps: 9300,
            liquidationThresholdBps: 9500,
            liquidationBonusBps: 100,
            positions: { kind: "bands", bands: [{ hfMin: 1.01, hfMax: 1.2, collateralTokens: 100_000, count: 20 }] },
          },
        ],
      },
    ],
  };
}

/**
 * Same marginals as `independentAvsEcosystem` (each operator slashed w.p. p at `slashFraction`), but the faults come
 * from one shared client bug: all operators run the same client, the AVSs never fault on their own.
 */
export function correlatedEcosystem(n: number, p: number, slashFraction = 0.5): EcosystemInput {
  const eco = independentAvsEcosystem(n, p, slashFraction);
  return {
    ...eco,
    name: `correlated-${n}`,
    commonShocks: [{ id: "shared-client", kind: "client", probability: p }],
    operators: eco.operators.map((o) => ({ ...o, client: "shared-client" })),
    avss: eco.avss.map((a) => ({ ...a, faultProbability: 0 })),
  };
}
