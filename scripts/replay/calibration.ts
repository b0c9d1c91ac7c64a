import { ECOSYSTEM_SCHEMA_ID, Ecosystem, EcosystemInput, validateEcosystem } from "../../model/ecosystem/schema";
import { forgedLossReference, marketReference, navLossReference, prepareReference, sampleEventsReference } from "../../model/reference";
import { pathRng } from "../../model/rng";
import { debtForHealthFactor, planScenarioPopulation } from "../markets/replica/population";
import { loadMorphoMarketFile } from "../markets/morpho/marketFile";
import { eModeCategoryFor, loadMarketFile } from "../markets/replica/marketFile";
import { loadScenario } from "./loader";

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
  /** collateral seized by liquidators, LRT tokens */
  seizedTokens?: number;
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
  /** collateral seized in the compared venue, LRT tokens */
  seizedTokens: number;
  /** part of badDebtEth on forged collateral (the forged-collateral event; 0 for the other events) */
  forgedLossEth: number;
  steps: number;
  /**
   * Steps in which the exit rationed liquidators (demand left for a later step). 0: every position was liquidated in
   * the step it crossed HF 1, in one tranche, so under a full-close rule (Morpho) `liquidations` is also a count of
   * calls, one per position; above 0, some positions were closed over several steps and the number of calls is not
   * modelled.
   */
  rationedSteps: number;
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

/**
 * Morpho ezETH/WETH 0.86 LLTV market on 2024-04-24: ~7.6k WETH supplied (Gauntlet, "LRT Core Vault Market Update
 * 4/24/2024", forum.morpho.org/t/578). Borrowed share: 90%, the target utilization of Morpho's AdaptiveCurveIRM
 * (est.: the market's utilization at 02:25 UTC is not published in our sources).
 */
export const MORPHO_EZETH_86_SUPPLIED_WETH = 7_600;
export const MORPHO_EZETH_86_UTILIZATION = 0.9;

/** Replay scenario that holds the ezETH 2024-04-24 book (the one book of this event, shared with the model). */
export const EZETH_2024_SCENARIO_ID = "ezeth-2024-04-24";

/** One position of a calibrated event's book: collateral in tokens, debt in ETH. */
export interface BookPosition {
  collateralTokens: number;
  debtEth: number;
}

/**
 * A calibrated event's book, read from its one source: the replay scenario's population (`positions`), drawn by the
 * replay's own planner (`planScenarioPopulation`) and borrowed the way the replay borrows it (debt = collateral x
 * start oracle price x LT / HF), with the LT the replay uses: the Morpho market file's LLTV (venue morpho), else the
 * Aave market file's eMode (scenario `emode`) or reserve LT (v3.0 layout, the one the calibration replays run). The
 * model runs exactly these positions, so the model and the replay cannot hold two estimates of the same market.
 * Sources and reasons for each population: the scenario's `sources` and docs/calibration.md.
 */
export function scenarioBook(scenarioId: string): {
  exchangeRate: number;
  liquidationThresholdBps: number;
  positions: BookPosition[];
  /** the scenario's arbitrage capital (the pool's refill between liquidation rounds in the replay), ETH, if set */
  arbitrageCapitalEth?: number;
  source: string;
} {
  const { scenario, file } = loadScenario(scenarioId);
  const start = scenario.path[0];
  const exchangeRate = start.exchangeRate!;
  const priceEth = scenario.oracle === "market" ? start.marketPrice! : exchangeRate;
  // the model values collateral at NAV (the exchange rate) at t = 0; a market oracle must start there too
  if (priceEth !== exchangeRate)
    throw new Error(`${file}: /path/0: the calibration book needs marketPrice = exchangeRate at t = 0 under a market oracle (found ${priceEth} and ${exchangeRate})`);
  let liquidationThresholdBps: number;
  if (scenario.venue === "morpho") {
    const market = loadMorphoMarketFile().markets.find((m) => m.collateral === scenario.collateral);
    if (!market) throw new Error(`${file}: /collateral: no Morpho market for ${scenario.collateral} in the Morpho market file`);
    liquidationThresholdBps = market.lltvBps;
  } else {
    const aave = loadMarketFile();
    const category = scenario.emode ? eModeCategoryFor(aave, scenario.collateral, "3.0") : undefined;
    const reserve = aave.reserves.find((r) => r.symbol === scenario.collateral);
    if (!reserve || (scenario.emode && !category)) throw new Error(`${file}: /collateral: ${scenario.collateral} has no ${scenario.emode ? "eMode category" : "reserve"} in ${aave.name}`);
    liquidationThresholdBps = category ? category.liquidationThresholdBps : reserve.liquidationThresholdBps;
  }
  const positions = planScenarioPopulation(scenario.positions).map((p) => ({
    collateralTokens: p.collateralTokens,
    debtEth: debtForHealthFactor({ collateralTokens: p.collateralTokens, priceEth, liquidationThresholdBps, healthFactor: p.healthFactor }),
  }));
  return {
    exchangeRate,
    liquidationThresholdBps,
    positions,
    arbitrageCapitalEth: scenario.dex.arbitrageCapitalEth,
    source: `${file} (positions: ${scenario.positions.count} positions, seed ${scenario.positions.seed})`,
  };
}

/** The ezETH 2024-04-24 Morpho 0.86 LLTV book (`scenarioBook`); the event also takes its arbitrage capital from it. */
export function ezethBookFromScenario() {
  const book = scenarioBook(EZETH_2024_SCENARIO_ID);
  if (book.arbitrageCapitalEth === undefined)
    throw new Error(`scenarios/${EZETH_2024_SCENARIO_ID}.json: /dex/arbitrageCapitalEth: the calibration event needs the arbitrage capital (ETH); found nothing`);
  return { ...book, lltvBps: book.liquidationThresholdBps, arbitrageCapitalEth: book.arbitrageCapitalEth };
}

const EZETH_BOOK = ezethBookFromScenario();
const WEETH_2024_BOOK = scenarioBook("weeth-2024-08-05");
const EXIT_QUEUE_2025_BOOK = scenarioBook("exit-queue-2025-07");

/** Aave v3 Core's weETH liquid eMode (93/95/1, exchange-rate priced) holding a scenario's book. */
function weethAaveCoreEMode(book: ReturnType<typeof scenarioBook>, source: string, estimates?: string[]) {
  return {
    id: "aave-v3-core",
    oracleRegime: "exchange-rate" as const,
    markets: [
      {
        lrt: "weETH",
        mode: "emode" as const,
        ltvBps: 9300,
        liquidationThresholdBps: book.liquidationThresholdBps,
        liquidationBonusBps: 100,
        liquidationProtocolFeeBps: 1000,
        positions: { kind: "explicit" as const, list: book.positions },
        source,
        ...(estimates ? { estimates } : {}),
      },
    ],
  };
}
/**
 * Aave v2 stETH book on 2022-06-11 (Gauntlet, "Staked ETH and AAVE Risk (June 11th Update)", Aave governance): at LT
 * 81%, $250M liquidated at a 15% further depeg, ~$2M insolvency only beyond 20%, the closest large account at HF 1.12.
 * Health factors there are at that day's stETH/ETH price (Aave v2 read a stETH/ETH market feed), ~0.96 (est.); the
 * model's book starts at par, so they are divided by 0.96. $250M / ETH-USD 1,500 (est.) = 166,667 stETH.
 */
export const STETH_JUNE11_PRICE = 0.96;
export const STETH_AT_RISK_15PCT_TOKENS = 250e6 / 1500;

/**
 * rsETH 2026-04-18 (DOMAIN.md §5): 116,500 rsETH forged by the bridge; the attacker supplied 89,567 of them to Aave
 * and borrowed 82,650 WETH; backing shortfall ~15-18% (16.5% taken: the forged share of a 706,000 supply).
 * Exchange rate 1.05 (est.).
 */
export const RSETH_FORGED_TOKENS = 116_500;
export const RSETH_BACKED_SUPPLY_TOKENS = RSETH_FORGED_TOKENS / 0.165 - RSETH_FORGED_TOKENS;
export const RSETH_ATTACKER_COLLATERAL_TOKENS = 89_567;
export const RSETH_ATTACKER_DEBT_ETH = 82_650;
export const RSETH_RATE = 1.05;

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
      seizedTokens: 6236.72,
      badDebtPresent: true,
      sources: [
        "DOMAIN.md §5: ~0.22 on Uniswap for ~1 h; feed < 0.80; ~0.87 broad",
        "DOMAIN.md §5: Morpho 0.86 LLTV: 138 liquidations, 5,035 WETH repaid, 10.96 WETH bad debt",
        "forum.morpho.org/t/578 (Gauntlet, 2024-04-24): 0.86 LLTV market: 138 liquidations, 5,035 WETH repaid, 6,236.72 ezETH seized, 10.96 WETH bad debt, ~7.6k WETH supplied; 0.77 LLTV market: 8 / 804 WETH / 1,000.25 ezETH / 0 (not compared: its book is not published)",
        "github.com/morpho-org/morpho-blue-oracles issue 98: the Renzo (ezETH) Morpho markets priced ezETH with a Redstone ezETH/ETH market-price feed (an aggregate of several liquidity sources, not one pool)",
        "DOMAIN.md §5: Gearbox 115 accounts, 25.77 ETH loss (not modelled: no Gearbox venue)",
      ],
    },
    notes: [
      "Shock: one seller over 1 h (most liquidations were done 27 min after the feed fell, DOMAIN.md §5) plus the Balancer LP withdrawal 4K -> 500 WETH (DOMAIN.md §5), LPs returning with a 6 h half-life (est.).",
      "Morpho book: one book shared with the replay, read from the scenario's population (ezethBookFromScenario): the 0.86 LLTV market's own size, ~7.6k WETH supplied (forum.morpho.org/t/578), 90% of it borrowed (est., the AdaptiveCurveIRM target utilization): 6,840 WETH of debt over 187 positions (= 6,840 / the record's mean call 5,035 / 138: derived from the record) in loop-shaped HF bands (est.). The earlier estimate put all of Morpho's > $700M of ezETH (DOMAIN.md §6, several markets) in this one market: ~222K ETH, 30x the sourced size.",
      "Oracle: a market-price feed (Redstone ezETH/ETH, an aggregate of several venues; morpho-blue-oracles issue 98), which the model's one broad market price represents; the 0.22 print stayed on one Uniswap pool.",
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
          exchangeRate: EZETH_BOOK.exchangeRate,
          exitDays: 60,
          depthEth: 2500,
          impactBps: 750,
          arbitrageCapitalEth: EZETH_BOOK.arbitrageCapitalEth,
          source: "Renzo ~$3.2B (DOMAIN.md §6, 2024-04) / ETH-USD 3,150 (est.) ~ 1.0M ETH; exchange rate and arbitrage capital 8,000 ETH: the replay scenario's (est.); depth ~2.5K within 7.5% (DOMAIN.md §6, 2024-10: nearest published)",
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
              ltvBps: EZETH_BOOK.lltvBps,
              liquidationThresholdBps: EZETH_BOOK.lltvBps,
              liquidationBonusBps: 438,
              positions: { kind: "explicit", list: EZETH_BOOK.positions },
              source: `LLTV 0.86 (DOMAIN.md §5, the Morpho market file); LIF min(1.15, 1/(0.3 LLTV + 0.7)) = 1.0438 (Morpho Blue); book: ${EZETH_BOOK.source}: ~7.6k WETH supplied (forum.morpho.org/t/578) x 90% utilization (est.)`,
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
      "Aave v2 priced stETH with a stETH/ETH market feed (Gauntlet 2022-06-11: liquidation follows 'an additional 10-12% depeg of stETH/ETH price'), LT 81% (DOMAIN.md §5 Gauntlet line; LTV 69% / LT 81% since 2022-05-19), bonus 7.5% (est.).",
      "Book (Gauntlet, 'Staked ETH and AAVE Risk (June 11th Update)'): $250M liquidated at a further 15% depeg, the closest large account at HF 1.12 (at that day's price, ~0.96 est.): 166,667 stETH ($250M / ETH-USD 1,500, est.) at HF 1.12-1.176 on 2022-06-11 (the band a 15% fall liquidates), the rest of a 1.0M stETH book (size est.) above it up to HF 2.5 (est.). The earlier estimate put 40% of the book at HF 1.01-1.06, which the record (no bad debt) and Gauntlet's HFs rule out.",
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
              positions: {
                kind: "bands",
                bands: [
                  {
                    hfMin: 1.12 / STETH_JUNE11_PRICE,
                    hfMax: 1 / 0.85 / STETH_JUNE11_PRICE,
                    collateralTokens: STETH_AT_RISK_15PCT_TOKENS,
                    count: 167,
                    estimates: ["collateralTokens", "count"],
                  },
                  {
                    hfMin: 1 / 0.85 / STETH_JUNE11_PRICE,
                    hfMax: 2.5,
                    collateralTokens: 1_000_000 - STETH_AT_RISK_15PCT_TOKENS,
                    count: 833,
                    estimates: ["hfMax", "collateralTokens", "count"],
                  },
                ],
              },
              source: "HF 1.12 closest large account, $250M at a 15% depeg (Gauntlet, Aave governance, 2022-06-11); LTV 69 / LT 81 (2022-05-19)",
              estimates: ["liquidationBonusBps", "positions"],
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
    notes: [
      "Shock: one seller over 90 min (est.) sized to -140 bp. Aave weETH eMode 93/95/1 with CAPO exchange-rate oracle (DOMAIN.md §3-4); book: one book shared with the replay, read from the scenario's population (scenarioBook): 84,000 weETH = the 2024 supply cap (DOMAIN.md §4) over 200 positions, HF triangular 1.01 / 1.06 / 1.8 (count and shape est.).",
    ],
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
          exchangeRate: WEETH_2024_BOOK.exchangeRate,
          exitDays: 14,
          depthEth: 15_000,
          impactBps: 750,
          arbitrageCapitalEth: 40_000,
          source: "depth > 15K within 7.5% (DOMAIN.md §6, 2024); EigenLayer exit 14 d (DOMAIN.md §6); supply est.; exchange rate: the replay scenario's t = 0 (est.)",
          estimates: ["supplyTokens", "exchangeRate", "arbitrageCapitalEth"],
        }),
      ],
      venues: [weethAaveCoreEMode(WEETH_2024_BOOK, `eMode 93/95/1, cap 84,000 (DOMAIN.md §4); book: ${WEETH_2024_BOOK.source}`)],
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
    notes: [
      "Shock: exit-queue surge (+9 days, DOMAIN.md §3) with loop unwinding sellers over a week (est.) sized to -45 bp (middle of 30-60). Aave exchange-rate oracle; book: one book shared with the replay, read from the scenario's population (scenarioBook): 40,000 weETH-like tokens over 200 positions, HF triangular 1.01 / 1.05 / 1.6 (est.; the model's earlier book was 500,000 tokens, est.).",
    ],
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
          exchangeRate: EXIT_QUEUE_2025_BOOK.exchangeRate,
          exitDays: 14,
          depthEth: 15_000,
          impactBps: 750,
          arbitrageCapitalEth: 40_000,
          source: "as weETH 2024 (DOMAIN.md §6); supply est.; exchange rate: the replay scenario's t = 0 (est.)",
          estimates: ["supplyTokens", "exchangeRate", "arbitrageCapitalEth"],
        }),
      ],
      liquidityShocks: [{ id: "queue", kind: "exit-queue-surge", probability: 1, exitDaysAdded: 9, source: "9 day exit queue (DOMAIN.md §3)" }],
      venues: [weethAaveCoreEMode(EXIT_QUEUE_2025_BOOK, `book: ${EXIT_QUEUE_2025_BOOK.source}`, ["positions"])],
    },
  },
  {
    id: "rseth-2026-04-18",
    title: "rsETH forged collateral, 18 April 2026 (bridge forged rsETH, exchange rate unchanged)",
    venue: "aave-v3-core",
    sellHours: 4,
    record: {
      broadPrice: 0.86,
      badDebtEth: 75_081,
      badDebtPresent: true,
      sources: [
        "DOMAIN.md §5: backing shortfall ~15-18%; bridge forged 116,500 rsETH; rate oracle unchanged",
        "DOMAIN.md §5: attacker supplied 89,567 rsETH to Aave, borrowed 82,650 WETH; 75,081 ETH gap after recoveries",
        "DOMAIN.md §4: rsETH LTV 0 outside eMode since 2026-01; rsETH/wstETH/ETHx eMode 93/95/1 (Aave governance, 'LRT and wstETH Unification', proposal 311: rsETH/wstETH eMode LTV 93%, LT 95%, penalty 1%)",
      ],
    },
    notes: [
      "Forged-collateral event (schema lrts[].forgedMint): 116,500 forged rsETH (DOMAIN.md §5) minted on a backed supply of 589,500 (= 706,000 - 116,500, where 706,000 = 116,500 / 16.5% puts the forged share of supply at the middle of the 15-18% shortfall); 89,567 of them posted on Aave Core (postedShare 0.7688, DOMAIN.md §5) and borrowed against at the unchanged rate: 82,650 WETH (DOMAIN.md §5) = 94.5% of the maximum at LTV 93% and rate 1.05 (est.).",
      "LTV: the attacker's WETH borrow is 82,650 / (89,567 x 1.05) = 87.9% of the collateral's value at the rate, impossible at rsETH's base LTV 0 (since 2026-01, DOMAIN.md §4) and only possible in the rsETH eMode (93/95/1, DOMAIN.md §4; Aave proposal 311). Whether WETH itself was borrowable in that category on the day is not in our sources.",
      "Invalidated: the forged tokens Aave held were invalidated / burned in the recovery (DOMAIN.md §5: the 75,081 ETH gap is after recoveries; Aave governance recovery updates), so the forged collateral recovers 0. The 26,933 forged rsETH not posted on Aave stay claims and dilute NAV for every holder: 26,933 / (589,500 + 26,933) = 4.37% (the backing rule; where they went is not in our sources).",
      "Recoveries (82,650 - 75,081 = 7,569 ETH) are not modelled: the model's figure is the gap before recoveries.",
      "Honest Aave book 400,000 rsETH in loop bands (est., lower end of the project's 400-666K anchor).",
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
            supplyTokens: RSETH_BACKED_SUPPLY_TOKENS,
            exchangeRate: RSETH_RATE,
            exitDays: 14,
            depthEth: 4000,
            impactBps: 500,
            arbitrageCapitalEth: 8000,
            source: "backed supply = 116,500 / 0.165 - 116,500 (DOMAIN.md §5); depth ~4,000 for < 5% (DOMAIN.md §6, 2026-01)",
            estimates: ["exchangeRate", "arbitrageCapitalEth"],
          }),
          forgedMint: {
            probability: 1,
            forgedFracOfSupply: RSETH_FORGED_TOKENS / RSETH_BACKED_SUPPLY_TOKENS,
            postedShare: RSETH_ATTACKER_COLLATERAL_TOKENS / RSETH_FORGED_TOKENS,
            venue: "aave-v3-core",
            mode: "emode",
            borrowFracOfMax: RSETH_ATTACKER_DEBT_ETH / (RSETH_ATTACKER_COLLATERAL_TOKENS * RSETH_RATE * 0.93),
            invalidated: true,
            source:
              "116,500 forged, 89,567 posted on Aave, 82,650 WETH borrowed, rate oracle unchanged (DOMAIN.md §5); forged tokens invalidated in the recovery (DOMAIN.md §5, Aave recovery updates)",
            estimates: ["borrowFracOfMax"],
          },
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
              positions: { kind: "bands", bands: loopBands(400_000, 400) },
              source: "eMode 93/95/1 (DOMAIN.md §4; Aave proposal 311); honest loops 400,000 rsETH (est.)",
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
  // market alone: every book emptied (the venues stay, a forged-collateral event posts into one of them)
  if (!venues) for (const v of copy.venues ?? []) for (const m of v.markets) m.positions = { kind: "explicit", list: [] };
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
  let seizedEth = 0;
  let forgedLossEth = 0;
  const forged = forgedLossReference(model, 0, ev, nav[0]);
  if (forged && model.markets[forged.marketIndex].venue === venueId) forgedLossEth = forged.lossEth;
  badDebtEth += forgedLossEth;
  r.markets.forEach((m, mi) => {
    if (model.markets[mi].venue !== venueId) return;
    liquidations += m.liquidatedPositions ?? 0;
    repaidEth += m.repaidDebtEth;
    badDebtEth += m.badDebtEth;
    seizedEth += m.seizedCollateralEth;
  });
  // seized collateral is in ETH at the pre-shock NAV: tokens = ETH / exchange rate
  const seizedTokens = seizedEth / eco.lrts[0].exchangeRate;
  return { minPrice: r.lrt.marketPriceFrac, liquidations, repaidEth, badDebtEth, seizedTokens, forgedLossEth, steps: r.lrt.iterations, rationedSteps: r.lrt.rationedSteps ?? 0 };
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
        if (v.id === ev.venue) {
          if (m.positions.kind === "bands") for (const b of m.positions.bands) b.collateralTokens *= k;
          // an explicit book scales position by position (collateral and debt: every HF kept)
          else
            for (const p of m.positions.list) {
              p.collateralTokens *= k;
              p.debtEth *= k;
            }
        }
    return e;
  };
  let lo = 0;
  let hi = 1;
  // bracket: the record may need a book larger than the one given
  while (hi < 64 && runCalibrationEvent(scaled(hi)).repaidEth < want) {
    lo = hi;
    hi *= 2;
  }
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    if (runCalibrationEvent(scaled(mid)).repaidEth < want) lo = mid;
    else hi = mid;
  }
  const e = scaled(hi);
  const book = (e.ecosystem.venues ?? [])
    .filter((v) => v.id === ev.venue)
    .flatMap((v) => v.markets)
    .reduce(
      (s, m) =>
        s + (m.positions.kind === "bands" ? m.positions.bands.reduce((t, b) => t + b.collateralTokens, 0) : m.positions.list.reduce((t, p) => t + p.collateralTokens, 0)),
      0,
    );
  return { ...runCalibrationEvent(e), bookScale: hi, bookCollateralTokens: book };
}
