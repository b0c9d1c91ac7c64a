import { Sfc32, seedWords } from "../rng";
import type { z } from "zod";
import { ECOSYSTEM_SCHEMA_ID, EcosystemInput, validateEcosystem, Ecosystem, marketSchema } from "./schema";

/**
 * Seeded generator of synthetic ecosystems (benchmarks and property tests). Same request, same ecosystem.
 * The shape mimics the public picture (DOMAIN.md): top-heavy operator stake (Zipf-like), a few clients and clouds
 * shared by many operators, AVSs at 0.2-2% fault probability with small slash fractions, oracle-like AVSs that
 * others depend on, LRTs delegating to tens of operators, loop positions clustered just above HF 1.
 */
export interface GenerateRequest {
  seed: number;
  lrts: number;
  operators: number;
  avss: number;
  positions: number;
  name?: string;
}

export const PRESETS = {
  small: { lrts: 3, operators: 8, avss: 5, positions: 300 },
  medium: { lrts: 8, operators: 100, avss: 30, positions: 10_000 },
  large: { lrts: 20, operators: 500, avss: 100, positions: 100_000 },
} as const;

export function generateEcosystem(req: GenerateRequest): Ecosystem {
  const [lo, hi] = seedWords(req.seed);
  const rng = new Sfc32();
  rng.seedPath(lo ^ 0x5eed, hi, 0xfeed);
  const u = () => rng.next();
  const between = (a: number, b: number) => a + (b - a) * u();
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(u() * xs.length)];
  const round = (x: number, d = 6) => Number(x.toFixed(d));

  const clients = ["prysm", "lighthouse", "teku", "nimbus", "lodestar"] as const;
  const clientWeights = [0.35, 0.35, 0.15, 0.1, 0.05];
  const infra = ["aws", "gcp", "hetzner", "ovh", "baremetal"] as const;
  const pickClient = () => {
    let x = u();
    for (let i = 0; i < clients.length; i++) if ((x -= clientWeights[i]) < 0) return clients[i];
    return clients[0];
  };

  const avss = Array.from({ length: req.avss }, (_, i) => {
    const deps: { avs: string; propagationProbability: number }[] = [];
    // AVSs after the first 10% may depend on one or two of the first 10% ("oracle" AVSs).
    const roots = Math.max(1, Math.floor(req.avss / 10));
    if (i >= roots && u() < 0.4) {
      const k = u() < 0.3 ? 2 : 1;
      const seen = new Set<number>();
      for (let j = 0; j < k; j++) {
        const t = Math.floor(u() * roots);
        if (seen.has(t)) continue;
        seen.add(t);
        deps.push({ avs: `avs${t}`, propagationProbability: round(between(0.1, 0.5), 3) });
      }
    }
    return {
      id: `avs${i}`,
      faultProbability: round(between(0.002, 0.02), 4),
      slashFraction: round(u() < 0.8 ? between(0.005, 0.05) : between(0.05, 0.3), 4),
      profitFromCorruptionEth: round(between(1_000, 50_000), 0),
      corruptionThreshold: pick([0.33, 0.5, 0.67]),
      dependencies: deps,
    };
  });

  // LRT NAVs (ETH): Zipf-like sizes.
  const lrtNav = Array.from({ length: req.lrts }, (_, i) => 2_000_000 / Math.pow(i + 1, 1.2));
  // Operator weights: Zipf-like stake.
  const opWeight = Array.from({ length: req.operators }, (_, i) => 1 / Math.pow(i + 1, 1.1));
  const deleg: Map<string, number>[] = Array.from({ length: req.operators }, () => new Map());
  const lrts = lrtNav.map((nav, li) => {
    const k = Math.min(req.operators, 5 + Math.floor(u() * 30));
    const chosen = new Set<number>();
    while (chosen.size < k) {
      // sample operators proportionally to weight (rejection on the Zipf shape)
      const o = Math.floor(u() * req.operators);
      if (u() < opWeight[o] / opWeight[0] + 0.05) chosen.add(o);
    }
    const restaked = between(0.5, 0.95);
    const ws = [...chosen].map((o) => opWeight[o] * between(0.5, 1.5));
    const wsum = ws.reduce((a, b) => a + b, 0);
    const allocations = [...chosen].map((o, j) => {
      const strategy = u() < 0.6 ? "beaconETH" : "stETH";
      const shareOfNav = round((restaked * ws[j]) / wsum, 9);
      deleg[o].set(strategy, (deleg[o].get(strategy) ?? 0) + nav * shareOfNav);
      return { operator: `op${o}`, strategy, shareOfNav };
    });
    const merged = new Map<string, { operator: string; strategy: string; shareOfNav: number }>();
    for (const a of allocations) {
      const key = `${a.operator}/${a.strategy}`;
      const prev = merged.get(key);
      if (prev) prev.shareOfNav = round(prev.shareOfNav + a.shareOfNav, 9);
      else merged.set(key, { ...a });
    }
    const depth = round(Math.max(500, nav * between(0.005, 0.03)), 0);
    return {
      id: `lrt${li}`,
      symbol: `LRT${li}`,
      supplyTokens: round(nav / 1.05, 3),
      exchangeRate: 1.05,
      allocations: [...merged.values()],
      exitDays: round(between(7, 21), 1),
      requiredAnnualReturn: 0.25,
      dex: { depthEth: depth, impactBps: 750, arbitrageCapitalEth: round(depth * 2, 3) },
      panicSellElasticity: round(between(0, 0.2), 3),
      ...(u() < 0.3 ? { backingShock: { probability: round(between(0.001, 0.01), 4), lossFraction: round(between(0.05, 0.2), 3) } } : {}),
    };
  });

  const operators = Array.from({ length: req.operators }, (_, o) => {
    const strategies = ["beaconETH", "stETH"].map((strategy) => {
      const delegated = deleg[o].get(strategy) ?? 0;
      const stakeEth = round(delegated * 1.25 + 1_000 * opWeight[o] * req.operators, 3);
      const nAlloc = Math.min(req.avss, 3 + Math.floor(u() * 12));
      const targets = new Set<number>();
      while (targets.size < nAlloc) targets.add(Math.floor(u() * req.avss));
      const total = between(0.3, 0.95);
      const raw = [...targets].map(() => u() + 0.1);
      const rs = raw.reduce((a, b) => a + b, 0);
      const maxMagnitude = 1e18;
      return {
        strategy,
        stakeEth,
        maxMagnitude,
        allocations: [...targets].map((t, j) => ({ avs: `avs${t}`, magnitude: Math.floor(((total * raw[j]) / rs) * 1e15) * 1e3 })),
      };
    });
    return {
      id: `op${o}`,
      client: pickClient(),
      infrastructure: [pick(infra)],
      compromiseProbability: round(between(0.0005, 0.003), 5),
      faultProbability: 0.01,
      strategies,
    };
  });

  const commonShocks = [
    ...clients.map((c) => ({ id: c, kind: "client" as const, probability: 0.01, beaconPenaltyFraction: 0.01 })),
    ...infra.map((c) => ({ id: c, kind: "infrastructure" as const, probability: 0.005, beaconPenaltyFraction: 0 })),
  ].filter((c) => operators.some((o) => (c.kind === "client" ? o.client === c.id : o.infrastructure.includes(c.id))));

  // Venues and positions: total positions split over markets by LRT size.
  const venueDefs = [
    { id: "aave-core", oracleRegime: "exchange-rate" as const, liquidationRule: "aave-v3" as const },
    { id: "morpho", oracleRegime: "market-price" as const, liquidationRule: "full" as const },
    { id: "lender-mkt", oracleRegime: "market-price" as const, liquidationRule: "aave-v3" as const },
  ];
  const navTotal = lrtNav.reduce((a, b) => a + b, 0);
  const marketsPerVenue: z.input<typeof marketSchema>[][] = venueDefs.map(() => []);
  const marketSpecs: { v: number; li: number; share: number }[] = [];
  lrts.forEach((_l, li) => {
    marketSpecs.push({ v: 0, li, share: 0.5 });
    if (li % 2 === 0 || req.lrts < 4) marketSpecs.push({ v: 1, li, share: 0.3 });
    if (li % 3 === 0) marketSpecs.push({ v: 2, li, share: 0.2 });
  });
  const weightOf = (s: { li: number; share: number }) => (lrtNav[s.li] / navTotal) * s.share;
  const wTotal = marketSpecs.reduce((a, s) => a + weightOf(s), 0);
  let left = req.positions;
  marketSpecs.forEach((s, k) => {
    const count = k === marketSpecs.length - 1 ? left : Math.max(3, Math.round((req.positions * weightOf(s)) / wTotal));
    left -= count;
    const c1 = Math.max(1, Math.floor(count * 0.4));
    const c2 = Math.max(1, Math.floor(count * 0.35));
    const c3 = Math.max(1, count - c1 - c2);
    const collateral = lrts[s.li].supplyTokens * s.share * 0.4;
    const emode = s.v === 0 || u() < 0.5;
    marketsPerVenue[s.v].push({
      lrt: `lrt${s.li}`,
      mode: emode ? "emode" : "base",
      ltvBps: emode ? 9300 : s.v === 1 ? 8600 : 7250,
      liquidationThresholdBps: emode ? 9500 : s.v === 1 ? 8600 : 7500,
      liquidationBonusBps: emode ? 100 : s.v === 1 ? 438 : 750,
      liquidationProtocolFeeBps: s.v === 1 ? 0 : 1000,
      positions: {
        kind: "bands",
        bands: [
          { hfMin: 1.005, hfMax: 1.05, collateralTokens: round(collateral * 0.5, 3), count: c1 },
          { hfMin: 1.05, hfMax: 1.3, collateralTokens: round(collateral * 0.3, 3), count: c2 },
          { hfMin: 1.3, hfMax: 3, collateralTokens: round(collateral * 0.2, 3), count: c3 },
        ],
      },
    });
  });
  const input: EcosystemInput = {
    schema: ECOSYSTEM_SCHEMA_ID,
    name: req.name ?? `synthetic-${req.lrts}x${req.operators}x${req.avss}-seed${req.seed}`,
    description: "Synthetic ecosystem from model/ecosystem/generate.ts; every number is generated (estimate).",
    horizonDays: 365,
    compromiseSlashFraction: 1,
    commonShocks,
    // liquidity shocks as in the bundled ecosystem: per LRT a seller and an LP run, plus one exit-queue surge
    liquidityShocks: [
      ...lrts.flatMap((l) => [
        { id: `${l.id}-seller`, kind: "large-seller" as const, lrts: [l.id], probability: 0.16, sellFracOfSupply: 0.014, sellDurationHours: 1.5 },
        { id: `${l.id}-lp-run`, kind: "lp-withdrawal" as const, lrts: [l.id], probability: 0.08, lpWithdrawFrac: 0.875, lpHalfLifeHours: 6 },
      ]),
      { id: "exit-queue-surge", kind: "exit-queue-surge" as const, probability: 0.25, exitDaysAdded: 9, sellFracOfSupply: 0.0058, sellDurationHours: 168 },
    ],
    operators,
    avss,
    lrts,
    venues: venueDefs.map((v, i) => ({ ...v, markets: marketsPerVenue[i] })).filter((v) => v.markets.length > 0),
  };
  return validateEcosystem(input, `generated(${input.name})`);
}
