import { ECOSYSTEM_SCHEMA_ID, Ecosystem, EcosystemInput, validateEcosystem } from "./ecosystem/schema";
import { marketReference, navLossReference, prepareReference, sampleEventsReference } from "./reference";
import { pathRng } from "./rng";

/**
 * Calibration of the market and lending layers against the record (docs/calibration.md).
 *
 * Each historical event is one deterministic path: a one-LRT ecosystem holding the book at the time, the event's
 * shocks with probability 1, the restaking layer switched off except for the event's own NAV / backing loss. The
 * exogenous shock (a large seller over a duration) is sized so that the market *without any lending venue* reaches
 * the record's broad depeg: the shock is fitted to the observed price, never to the damage. Liquidations, repaid
 * debt and bad debt are then model outputs compared with the record.
 *
 * Every figure is sourced (DOMAIN.md section) or marked (est.).
 */

export interface RecordFigures {
  /** worst broad price vs ETH the shock is sized to (fraction of NAV) */
  broadPrice: number;
  liquidations?: number;
  repaidEth?: number;
  badDebtEth?: number;
  /** bad debt present (true) or absent (false) in the record */
  badDebtPresent: boolean;
  sources: string[];
}

export interface CalibrationEvent {
  id: string;
  title: string;
  /** the book and market at the time (sources inside) */
  ecosystem: EcosystemInput;
  /** venue whose figures are compared with the record */
  venue: string;
  record: RecordFigures;
  /** shock shape: seller duration (hours) and what else fires (fractions are fitted / sourced per event) */
  sellHours: number;
  notes: string[];
}

export interface CalibrationResult {
  id: string;
  sellFracOfSupply: number;
  /** min price with no lending venue (what the shock was sized to) */
  exogenousMinPrice: number;
  minPrice: number;
  liquidations: number;
  repaidEth: number;
  badDebtEth: number;
  steps: number;
}

const OFF_RESTAKING = {
  operators: [{ id: "op", client: "none", strategies: [{ strategy: "s", stakeEth: 1e9, maxMagnitude: 1, allocations: [{ avs: "avs", magnitude: 1 }] }] }],
  avss: [{ id: "avs", faultProbability: 0, slashFraction: 0, profitFromCorruptionEth: 1, corruptionThreshold: 0.5 }],
};

/** Loop books: most debt sits close to the liquidation threshold (est., the bundled ecosystem's bands). */
function loopBands(collateralTokens: number, positions: number) {
  const n = (f: number) => Math.max(1, Math.round(positions * f));
  return [
    { hfMin: 1.01, hfMax: 1.06, collateralTokens: collateralTokens * 0.4, count: n(0.4), estimates: ["hfMin", "hfMax", "collateralTokens", "count"] },
    { hfMin: 1.06, hfMax: 1.25, collateralTokens: collateralTokens * 0.35, count: n(0.35), estimates: ["hfMin", "hfMax", "collateralTokens", "count"] },
    { hfMin: 1.25, hfMax: 2.5, collateralTokens: collateralTokens * 0.25, count: n(0.25), estimates: ["hfMin", "hfMax", "collateralTokens", "count"] },
  ];
}

function lrt(o: {
  id: string;
  supplyTokens: number;
  exchangeRate: number;
  exitDays: number;
  depthEth: number;
  impactBps: number;
  arbitrageCapitalEth: number;
  source: string;
  estimates: string[];
}) {
  return {
    id: o.id,
    symbol: o.id,
    supplyTokens: o.supplyTokens,
    exchangeRate: o.exchangeRate,
    allocations: [],
    exitDays: o.exitDays,
    requiredAnnualReturn: 0.25,
    dex: { depthEth: o.depthEth, impactBps: o.impactBps, arbitrageCapitalEth: o.arbitrageCapitalEth },
    source: o.source,
    estimates: o.estimates,
  };
}

export const CALIBRATION_EVENTS: CalibrationEvent[] = [
  {
    id: "ezeth-2024-04-24",
    title: "ezETH depeg, 24 April 2024 (market-price oracle; Morpho 0.86 LLTV)",
    venue: "morpho-ezeth-weth-86",
    sellHours: 1,
    record: {
      broadPrice: 0.87,
      liquidations: 138,
      repaidEth: 5035,
      badDebtEth: 10.96,
      badDebtPresent: true,
      sources: [
        "DOMAIN.md §5: ~0.22 on Uniswap for ~1 h; feed < 0.80; ~0.87 broad",
        "DOMAIN.md §5: Morpho 0.86 LLTV: 138 liquidations, 5,035 WETH repaid, 10.96 WETH bad debt",
        "DOMAIN.md §5: Gearbox 115 accounts, 25.77 ETH loss (not modelled: no Gearbox venue)",
      ],
    },
    notes: [
      "Shock: one seller over 1 h (most liquidations were done 27 min after the feed fell, DOMAIN.md §5) plus the Balancer LP withdrawal 4K -> 500 WETH (DOMAIN.md §5), LPs returning with a 6 h half-life (est.).",
      "Morpho book: > $700M of ezETH on Morpho (DOMAIN.md §6) at ETH-USD 3,150 (est.) is ~222K ETH; all of it is put in the 0.86 LLTV WETH market (est.: Morpho had several ezETH markets). Position count 1,000 (est.): the record's liquidation count depends on it directly.",
      "Exit: Renzo withdrawals were not live in April 2024 (est., public reports at the time), so redemption arbitrage had no queue to exit through: exitDays 60 (est.).",
    ],
    ecosystem: {
      schema: ECOSYSTEM_SCHEMA_ID,
      name: "calibration: ezETH 2024-04-24",
      asOf: "2024-04-24",
      horizonDays: 1,
      ...OFF_RESTAKING,
      lrts: [
        lrt({
          id: "ezETH",
          supplyTokens: 1_000_000,
          exchangeRate: 1.01,
          exitDays: 60,
          depthEth: 2500,
          impactBps: 750,
          arbitrageCapitalEth: 8000,
          source: "Renzo ~$3.2B (DOMAIN.md §6, 2024-04) / ETH-USD 3,150 (est.) ~ 1.0M ETH; depth ~2.5K within 7.5% (DOMAIN.md §6, 2024-10: nearest published)",
          estimates: ["supplyTokens", "exchangeRate", "exitDays", "arbitrageCapitalEth"],
        }),
      ],
      liquidityShocks: [
        { id: "lp-exit", kind: "lp-withdrawal", probability: 1, lpWithdrawFrac: 0.875, lpHalfLifeHours: 6, source: "Balancer pool 4K -> 500 WETH (DOMAIN.md §5)", estimates: ["lpHalfLifeHours"] },
      ],
      venues: [
        {
          id: "morpho-ezeth-weth-86",
          oracleRegime: "market-price",
          liquidationRule: "full",
          markets: [
            {
              lrt: "ezETH",
              mode: "base",
              ltvBps: 8600,
              liquidationThresholdBps: 8600,
              liquidationBonusBps: 438,
              positions: { kind: "bands", bands: loopBands(222_000 / 1.01, 1000) },
              source: "LLTV 0.86 (DOMAIN.md §5); LIF min(1.15, 1/(0.3 LLTV + 0.7)) = 1.0438 (Morpho Blue)",
            },
          ],
        },
      ],
    },
  },
  {
    id: "steth-2022-06",
    title: "stETH discount, 10-18 June 2022 (Celsius / 3AC exits, no withdrawals before Shanghai)",
    venue: "aave-v2",
    sellHours: 72,
    record: {
      broadPrice: 0.935,
      badDebtPresent: false,
      sources: [
        "DOMAIN.md §5: worst ~0.932-0.937 vs ETH, weeks of 2-7% discount",
        "DOMAIN.md §5: Gauntlet: $250M liquidations if 15% at LT 81% (not reached): no bad debt",
      ],
    },
    notes: [
      "Shock: sellers over 3 days (est.) sized to the 0.935 trough; no exit queue existed (withdrawals came with Shanghai, 2023): exitDays 365 (est.).",
      "Aave v2 priced stETH with a market (stETH/ETH) feed (est.), LT 81% (DOMAIN.md §5 Gauntlet line), bonus 7.5% (est.). Book 1.0M stETH (est.), loop-shaped HF bands (est.).",
    ],
    ecosystem: {
      schema: ECOSYSTEM_SCHEMA_ID,
      name: "calibration: stETH 2022-06",
      asOf: "2022-06-13",
      horizonDays: 1,
      ...OFF_RESTAKING,
      lrts: [
        lrt({
          id: "stETH",
          supplyTokens: 4_000_000,
          exchangeRate: 1,
          exitDays: 365,
          depthEth: 60_000,
          impactBps: 750,
          arbitrageCapitalEth: 100_000,
          source: "stETH supply ~4M (est., Lido 2022); Curve depth est. (the replay scenario's 60K)",
          estimates: ["supplyTokens", "depthEth", "arbitrageCapitalEth", "exitDays"],
        }),
      ],
      venues: [
        {
          id: "aave-v2",
          oracleRegime: "market-price",
          liquidationRule: "aave-v3",
          markets: [
            {
              lrt: "stETH",
              mode: "base",
              ltvBps: 6900,
              liquidationThresholdBps: 8100,
              liquidationBonusBps: 750,
              positions: { kind: "bands", bands: loopBands(1_000_000, 1000) },
              estimates: ["ltvBps", "liquidationBonusBps", "positions"],
            },
          ],
        },
      ],
    },
  },
  {
    id: "weeth-2024-08-05",
    title: "weETH -140 bp, 5 August 2024 (Aave exchange-rate oracle)",
    venue: "aave-v3-core",
    sellHours: 1.5,
    record: { broadPrice: 0.986, liquidations: 0, badDebtPresent: false, sources: ["DOMAIN.md §5: weETH 2024-08-05, -140 bp, fast mean reversion, none reported"] },
    notes: ["Shock: one seller over 90 min (est.) sized to -140 bp. Aave weETH eMode 93/95/1 with CAPO exchange-rate oracle (DOMAIN.md §3-4); book 84,000 weETH = the 2024 supply cap (DOMAIN.md §4)."],
    ecosystem: {
      schema: ECOSYSTEM_SCHEMA_ID,
      name: "calibration: weETH 2024-08-05",
      asOf: "2024-08-05",
      horizonDays: 1,
      ...OFF_RESTAKING,
      lrts: [
        lrt({
          id: "weETH",
          supplyTokens: 2_000_000,
          exchangeRate: 1.04,
          exitDays: 14,
          depthEth: 15_000,
          impactBps: 750,
          arbitrageCapitalEth: 40_000,
          source: "depth > 15K within 7.5% (DOMAIN.md §6, 2024); EigenLayer exit 14 d (DOMAIN.md §6); supply est.",
          estimates: ["supplyTokens", "exchangeRate", "arbitrageCapitalEth"],
        }),
      ],
      venues: [
        {
          id: "aave-v3-core",
          oracleRegime: "exchange-rate",
          markets: [
            {
              lrt: "weETH",
              mode: "emode",
              ltvBps: 9300,
              liquidationThresholdBps: 9500,
              liquidationBonusBps: 100,
              liquidationProtocolFeeBps: 1000,
              positions: { kind: "bands", bands: loopBands(84_000, 1000) },
              source: "eMode 93/95/1, cap 84,000 (DOMAIN.md §4)",
            },
          ],
        },
      ],
    },
  },
  {
    id: "exit-queue-2025-07",
    title: "Exit queue 9+ days, July 2025 (stETH / LRTs -30..-60 bp, loops unwound)",
    venue: "aave-v3-core",
    sellHours: 168,
    record: {
      broadPrice: 0.9955,
      liquidations: 0,
      badDebtPresent: false,
      sources: ["DOMAIN.md §5: -30..-60 bp, 9+ day exit queue, WETH borrow rate 3% -> 18%, loops unwound", "DOMAIN.md §3: July 2025: 9 day exit queue, stETH 30-60 bp discount, y ~ 25%"],
    },
    notes: ["Shock: exit-queue surge (+9 days, DOMAIN.md §3) with loop unwinding sellers over a week (est.) sized to -45 bp (middle of 30-60). Aave exchange-rate oracle; weETH-like book 500,000 tokens (est.)."],
    ecosystem: {
      schema: ECOSYSTEM_SCHEMA_ID,
      name: "calibration: exit queue 2025-07",
      asOf: "2025-07-20",
      horizonDays: 1,
      ...OFF_RESTAKING,
      lrts: [
        lrt({
          id: "weETH",
          supplyTokens: 2_000_000,
          exchangeRate: 1.06,
          exitDays: 14,
          depthEth: 15_000,
          impactBps: 750,
          arbitrageCapitalEth: 40_000,
          source: "as weETH 2024 (DOMAIN.md §6); supply est.",
          estimates: ["supplyTokens", "exchangeRate", "arbitrageCapitalEth"],
        }),
      ],
      liquidityShocks: [{ id: "queue", kind: "exit-queue-surge", probability: 1, exitDaysAdded: 9, source: "9 day exit queue (DOMAIN.md §3)" }],
      venues: [
        {
          id: "aave-v3-core",
          oracleRegime: "exchange-rate",
          markets: [
            {
              lrt: "weETH",
              mode: "emode",
              ltvBps: 9300,
              liquidationThresholdBps: 9500,
              liquidationBonusBps: 100,
              liquidationProtocolFeeBps: 1000,
              positions: { kind: "bands", bands: loopBands(500_000, 1000) },
              estimates: ["positions"],
            },
          ],
        },
      ],
    },
  },
  {
    id: "rseth-2026-04-18",
    title: "rsETH forged backing, 18 April 2026 (exchange rate unchanged)",
    venue: "aave-v3-core",
    sellHours: 4,
    record: {
      broadPrice: 0.86,
      badDebtEth: 75_081,
      badDebtPresent: true,
      sources: [
        "DOMAIN.md §5: backing shortfall ~15-18%; bridge forged 116,500 rsETH; rate oracle unchanged",
        "DOMAIN.md §5: attacker supplied 89,567 rsETH to Aave, borrowed 82,650 WETH; 75,081 ETH gap after recoveries",
      ],
    },
    notes: [
      "NAV loss 16.5% (middle of 15-18%) as a backing shock; the model's exchange-rate oracle sees it at once, the real one did not: the attacker's borrow against forged collateral is outside a model whose positions exist before the shock. The attacker position (89,567 rsETH, 82,650 WETH debt) is added to the book as an explicit position opened at the unchanged rate.",
      "Supply 706,000 rsETH = 116,500 forged / 16.5% shortfall (DOMAIN.md §5; 647K-777K over 15-18%); honest Aave book 400,000 rsETH (est., lower end of the project's 400-666K anchor).",
      "Market: the replay scenario's path falls to 0.86 after 4 h (est.); sellers sized to it.",
    ],
    ecosystem: {
      schema: ECOSYSTEM_SCHEMA_ID,
      name: "calibration: rsETH 2026-04-18",
      asOf: "2026-04-18",
      horizonDays: 1,
      ...OFF_RESTAKING,
      lrts: [
        {
          ...lrt({
            id: "rsETH",
            supplyTokens: 706_000,
            exchangeRate: 1.05,
            exitDays: 14,
            depthEth: 4000,
            impactBps: 500,
            arbitrageCapitalEth: 8000,
            source: "supply = 116,500 / 0.165 (DOMAIN.md §5); depth ~4,000 for < 5% (DOMAIN.md §6, 2026-01)",
            estimates: ["exchangeRate", "arbitrageCapitalEth"],
          }),
          backingShock: { probability: 1, lossFraction: 0.165, source: "shortfall ~15-18% (DOMAIN.md §5)" },
        },
      ],
      venues: [
        {
          id: "aave-v3-core",
          oracleRegime: "exchange-rate",
          markets: [
            {
              lrt: "rsETH",
              mode: "emode",
              ltvBps: 9300,
              liquidationThresholdBps: 9500,
              liquidationBonusBps: 100,
              liquidationProtocolFeeBps: 1000,
              positions: {
                kind: "explicit",
                list: [
                  { collateralTokens: 89_567, debtEth: 82_650 },
                  ...loopBands(400_000, 400).flatMap((b) =>
                    Array.from({ length: b.count }, (_, i) => {
                      const hf = b.hfMin + ((b.hfMax - b.hfMin) * (i + 0.5)) / b.count;
                      const c = b.collateralTokens / b.count;
                      return { collateralTokens: c, debtEth: (c * 1.05 * 0.95) / hf };
                    }),
                  ),
                ],
              },
              source: "eMode 93/95/1 (DOMAIN.md §4); attacker 89,567 rsETH / 82,650 WETH (DOMAIN.md §5)",
              estimates: ["positions"],
            },
          ],
        },
      ],
    },
  },
];

function withSeller(eco: EcosystemInput, sellFrac: number, hours: number, venues: boolean): Ecosystem {
  const copy = structuredClone(eco);
  copy.liquidityShocks = [
    ...(copy.liquidityShocks ?? []),
    ...(sellFrac > 0 ? [{ id: "seller", kind: "large-seller" as const, probability: 1, sellFracOfSupply: sellFrac, sellDurationHours: hours }] : []),
  ];
  if (!venues) copy.venues = [];
  return validateEcosystem(copy, `calibration:${eco.name}`);
}

function runOnce(eco: Ecosystem, venueId: string) {
  const model = prepareReference(eco);
  const ev = sampleEventsReference(eco, pathRng(1, 0));
  const nav = navLossReference(eco, ev);
  const r = marketReference(model, 0, nav[0], ev.liquidityShocksFired);
  let liquidations = 0;
  let repaidEth = 0;
  let badDebtEth = 0;
  r.markets.forEach((m, mi) => {
    if (model.markets[mi].venue !== venueId) return;
    liquidations += m.liquidatedPositions ?? 0;
    repaidEth += m.repaidDebtEth;
    badDebtEth += m.badDebtEth;
  });
  return { minPrice: r.lrt.marketPriceFrac, liquidations, repaidEth, badDebtEth, steps: r.lrt.iterations };
}

/**
 * Runs one calibration event: sizes the seller (bisection on the fraction of supply) so that the market alone
 * reaches the record's broad price, then runs the book through the same shock.
 */
export function runCalibrationEvent(ev: CalibrationEvent): CalibrationResult {
  const target = ev.record.broadPrice;
  const bare = (f: number) => runOnce(withSeller(ev.ecosystem, f, ev.sellHours, false), ev.venue).minPrice;
  let lo = 0;
  let hi = 0.5;
  if (bare(0) <= target) hi = 0;
  else
    for (let i = 0; i < 60; i++) {
      const mid = (lo + hi) / 2;
      if (bare(mid) > target) lo = mid;
      else hi = mid;
    }
  const f = hi;
  const out = runOnce(withSeller(ev.ecosystem, f, ev.sellHours, true), ev.venue);
  return { id: ev.id, sellFracOfSupply: f, exogenousMinPrice: bare(f), ...out };
}

/**
 * Inverse check for an event whose book is unknown: the scale of the compared venue's collateral (position count
 * kept) at which the model's repaid debt equals the record's. The other figures at that scale (bad debt, count,
 * price) then test the market and liquidation mechanics independently of the book's size.
 */
export function impliedBookRun(ev: CalibrationEvent): (CalibrationResult & { bookScale: number; bookCollateralTokens: number }) | null {
  const want = ev.record.repaidEth;
  if (want === undefined || want <= 0) return null;
  const scaled = (k: number): CalibrationEvent => {
    const e = structuredClone(ev);
    for (const v of e.ecosystem.venues ?? [])
      for (const m of v.markets)
        if (v.id === ev.venue && m.positions.kind === "bands") for (const b of m.positions.bands) b.collateralTokens *= k;
    return e;
  };
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    if (runCalibrationEvent(scaled(mid)).repaidEth < want) lo = mid;
    else hi = mid;
  }
  const e = scaled(hi);
  const book = (e.ecosystem.venues ?? [])
    .filter((v) => v.id === ev.venue)
    .flatMap((v) => v.markets)
    .reduce((s, m) => s + (m.positions.kind === "bands" ? m.positions.bands.reduce((t, b) => t + b.collateralTokens, 0) : 0), 0);
  return { ...runCalibrationEvent(e), bookScale: hi, bookCollateralTokens: book };
}
