import { venueRules } from "../venues";
import { z } from "zod";
import { ECOSYSTEM_SCHEMA } from "../../spec/formats";
import { InputError, readJsonFile, validateWith } from "../input";

/**
 * Ecosystem input (`cascade-guard/ecosystem@1`): the restaking graph and the lending venues a simulation runs on.
 *
 * Conventions: probabilities are per simulation horizon (`horizonDays`); fractions are in [0, 1]; amounts of ETH
 * are `...Eth`; token amounts are `...Tokens`; lending parameters are basis points (`...Bps`, 1e4 = 100%).
 * Any object may carry `source` (where a figure comes from) and `estimates` (names of its fields that are our own
 * estimates rather than published figures) so estimates stay labelled inside the data.
 */

export const ECOSYSTEM_SCHEMA_ID = ECOSYSTEM_SCHEMA;

const prob = z.number().min(0).max(1);
const frac = z.number().min(0).max(1);
const pos = z.number().positive();
const nonneg = z.number().nonnegative();
const bps = z.number().int().min(0).max(10_000);
const id = z.string().regex(/^[A-Za-z0-9_.:-]+$/, "ids use letters, digits, _ . : -");
const label = { source: z.string().optional(), estimates: z.array(z.string()).optional(), note: z.string().optional() };

export const commonShockSchema = z
  .object({
    id,
    kind: z.enum(["client", "infrastructure"]),
    /** Probability that this shared component fails over the horizon. */
    probability: prob,
    /** Extra beacon-chain penalty on native (beaconETH) stake of the operators hit (fraction of that stake). */
    beaconPenaltyFraction: frac.default(0),
    ...label,
  })
  .strict();

/**
 * A liquidity shock: no NAV loss, the market moves. `large-seller` sells `sellFracOfSupply` of the LRT's supply over
 * `sellDurationHours`; `lp-withdrawal` removes `lpWithdrawFrac` of the DEX reserve, which returns with half-life
 * `lpHalfLifeHours`; `exit-queue-surge` adds `exitDaysAdded` to the exit time (arbitrage capital then needs a larger
 * discount for the same annualised return) and may carry sellers. `lrts` empty = every LRT.
 */
export const liquidityShockSchema = z
  .object({
    id,
    kind: z.enum(["large-seller", "lp-withdrawal", "exit-queue-surge"]),
    lrts: z.array(id).default([]),
    probability: prob,
    sellFracOfSupply: frac.default(0),
    sellDurationHours: nonneg.default(0),
    lpWithdrawFrac: z.number().min(0).max(0.99).default(0),
    lpHalfLifeHours: nonneg.default(24),
    exitDaysAdded: nonneg.default(0),
    ...label,
  })
  .strict();

export const allocationSchema = z
  .object({
    avs: id,
    /** ELIP-002 allocated magnitude m_okS (same scale as the strategy's maxMagnitude). */
    magnitude: nonneg,
    ...label,
  })
  .strict();

export const operatorStrategySchema = z
  .object({
    strategy: id,
    /** Total stake delegated to this operator in this strategy, all delegators together. */
    stakeEth: nonneg,
    /** ELIP-002 total magnitude M_ok (1e18 on chain; any positive scale works since only ratios matter). */
    maxMagnitude: pos,
    allocations: z.array(allocationSchema),
    ...label,
  })
  .strict();

export const operatorSchema = z
  .object({
    id,
    name: z.string().optional(),
    /** Consensus/AVS client software; a `client` common shock with this id hits the operator on every AVS. */
    client: id,
    /** Infrastructure tags (cloud, key manager, ...); an `infrastructure` common shock with this id hits the operator. */
    infrastructure: z.array(id).default([]),
    /** Probability that the operator's keys are compromised over the horizon. */
    compromiseProbability: prob.default(0),
    /**
     * Probability of a single-operator fault over the horizon (misconfiguration, double signing, lost keys without
     * theft): the operator is slashed on every AVS it is allocated to, each at that AVS's own slashFraction.
     */
    faultProbability: prob.default(0),
    strategies: z.array(operatorStrategySchema).min(1),
    ...label,
  })
  .strict();

export const avsSchema = z
  .object({
    id,
    name: z.string().optional(),
    category: z.string().optional(),
    /** Probability of a slashable fault of this AVS itself over the horizon. */
    faultProbability: prob,
    /** Fraction w of each allocated magnitude slashed when this AVS slashes an operator. */
    slashFraction: frac,
    /** Durvasula-Roughgarden pi_s: profit an attacker makes by corrupting this service. */
    profitFromCorruptionEth: nonneg,
    /** Durvasula-Roughgarden alpha_s: fraction of the service's stake needed to corrupt it. */
    corruptionThreshold: z.number().gt(0).max(1),
    /** Upstream services this one depends on: a fault upstream propagates here with the given probability. */
    dependencies: z.array(z.object({ avs: id, propagationProbability: prob, ...label }).strict()).default([]),
    ...label,
  })
  .strict();

export const lrtSchema = z
  .object({
    id,
    symbol: z.string(),
    supplyTokens: pos,
    /** ETH per LRT token before the shock (the NAV exchange rate). */
    exchangeRate: pos,
    /** Share of the LRT's NAV delegated to (operator, strategy); `beaconETH` is native restaking. The rest is unrestaked. */
    allocations: z.array(z.object({ operator: id, strategy: id, shareOfNav: frac, ...label }).strict()),
    /** Exit time under stress (LRT withdrawal + EigenLayer escrow + beacon queue), days. */
    exitDays: nonneg,
    /**
     * Annual return y an arbitrageur requires to hold the exit queue: `arbitrageCapitalEth` is what is available at a
     * discount d with d 365 / exitDays = y (the market layer scales it linearly with that return).
     */
    requiredAnnualReturn: nonneg,
    /**
     * Kept for input compatibility: the fixed-point market of model 1 applied the exit-queue discount only beyond this
     * NAV loss. Model 2's market layer does not use it.
     */
    stressNavLossFrac: frac.default(0),
    /** DEX depth: selling `depthEth` (at pre-shock NAV) moves the price down by `impactBps` (constant-product fit). */
    dex: z
      .object({
        depthEth: pos,
        impactBps: z.number().int().min(1).max(9_999),
        /**
         * Arbitrage capital (ETH) that buys the LRT from the pool and redeems it through the exit queue, available at
         * the required annual return (see `arbitrageCapitalMaxMultiple` and docs/model.md, market layer).
         */
        arbitrageCapitalEth: nonneg.default(0),
        /**
         * Arbitrage capital does not arrive at once: the share available t hours after the shock is
         * 1 - 2^(-t / halfLife) (0 = all of it at once).
         */
        arbitrageArrivalHalfLifeHours: nonneg.default(1),
        /**
         * Capital willing to buy at discount d is arbitrageCapitalEth x min(maxMultiple, r / y) with r = d 365 / T the
         * annualised return of buying the discount and redeeming through the exit queue (T exit days, y required return).
         */
        arbitrageCapitalMaxMultiple: nonneg.default(4),
        ...label,
      })
      .strict(),
    /** Holders' forced/panic sales into the DEX as a multiple of NAV loss times supply (0 = none). */
    panicSellElasticity: nonneg.default(0),
    /** LRT-specific backing failure (bridge or key compromise, e.g. rsETH 2026-04-18): probability and NAV loss. */
    backingShock: z.object({ probability: prob, lossFraction: frac, ...label }).strict().optional(),
    /**
     * Forged collateral (unbacked mint, e.g. a bridge or mint-authority fault; rsETH 2026-04-18): with `probability`,
     * `forgedFracOfSupply` x supplyTokens unbacked tokens are minted; `postedShare` of them is posted as collateral in
     * the `venue`'s `mode` market for this LRT and borrowed against at the pre-mint rate, `borrowFracOfMax` of the
     * market's LTV. The forged position is not liquidated in the event window (its oracle read the unchanged rate);
     * the lender's loss is its debt less what the forged collateral recovers: 0 when `invalidated` (the forged tokens
     * are burned in the recovery), else their diluted NAV. The forged tokens that remain claims (the unposted ones when
     * `invalidated`, all of them otherwise) dilute NAV for every holder: loss R / (S + R) (docs/model.md).
     */
    forgedMint: z
      .object({
        probability: prob,
        forgedFracOfSupply: z.number().positive().max(10),
        postedShare: frac,
        venue: id,
        mode: z.enum(["base", "emode"]),
        borrowFracOfMax: frac.default(1),
        invalidated: z.boolean(),
        ...label,
      })
      .strict()
      .optional(),
    ...label,
  })
  .strict();

export const bandSchema = z
  .object({
    /** Health factors of the positions in this band (at pre-shock prices) are spread evenly over [hfMin, hfMax]. */
    hfMin: z.number().min(1),
    hfMax: z.number().min(1),
    collateralTokens: pos,
    count: z.number().int().positive(),
    ...label,
  })
  .strict();

export const positionsSchema = z.discriminatedUnion("kind", [
  z
    .object({
      kind: z.literal("explicit"),
      list: z.array(z.object({ collateralTokens: pos, debtEth: nonneg }).strict()),
    })
    .strict(),
  z.object({ kind: z.literal("bands"), bands: z.array(bandSchema).min(1) }).strict(),
]);

export const marketSchema = z
  .object({
    lrt: id,
    /** `base`: reserve parameters; `emode`: the ETH-correlated eMode category. */
    mode: z.enum(["base", "emode"]),
    ltvBps: bps,
    liquidationThresholdBps: bps,
    /** Bonus paid to liquidators, e.g. 100 = 1% (Aave stores 10_100). */
    liquidationBonusBps: bps,
    /** Share of the bonus kept by the protocol (Aave liquidationProtocolFee). */
    liquidationProtocolFeeBps: bps.default(0),
    positions: positionsSchema,
    ...label,
  })
  .strict();

export const venueSchema = z
  .object({
    id,
    name: z.string().optional(),
    /** `exchange-rate`: the oracle prices the LRT at NAV (sees only NAV loss). `market-price`: at the DEX price. */
    oracleRegime: z.enum(["exchange-rate", "market-price"]),
    /**
     * `aave-v3`: close factor 50%, 100% below HF 0.95. `full`: any amount, the market's bonus. `morpho-blue`: any
     * amount and the bonus fixed by the LLTV (= liquidationThresholdBps): min(1.15, 1/(0.3 LLTV + 0.7)) - 1
     * (model/venues.ts).
     */
    liquidationRule: z.enum(["aave-v3", "full", "morpho-blue"]).default("aave-v3"),
    markets: z.array(marketSchema).min(1),
    ...label,
  })
  .strict();

export const ecosystemSchema = z
  .object({
    schema: z.literal(ECOSYSTEM_SCHEMA_ID),
    name: z.string(),
    asOf: z.string().optional(),
    description: z.string().optional(),
    horizonDays: pos,
    /** Fraction of each allocation slashed when the operator's keys are compromised (ELIP-006 worst case: 1). */
    compromiseSlashFraction: frac.default(1),
    commonShocks: z.array(commonShockSchema).default([]),
    liquidityShocks: z.array(liquidityShockSchema).default([]),
    operators: z.array(operatorSchema).min(1),
    avss: z.array(avsSchema).min(1),
    lrts: z.array(lrtSchema).min(1),
    venues: z.array(venueSchema).default([]),
    sources: z.array(z.string()).optional(),
    ...label,
  })
  .strict();

export type Ecosystem = z.output<typeof ecosystemSchema>;
export type EcosystemInput = z.input<typeof ecosystemSchema>;
export type Operator = Ecosystem["operators"][number];
export type Avs = Ecosystem["avss"][number];
export type Lrt = Ecosystem["lrts"][number];
export type Venue = Ecosystem["venues"][number];
export type Market = Venue["markets"][number];
export type LiquidityShock = Ecosystem["liquidityShocks"][number];

/** Error for bad ecosystem input: names the file and the field path. */
export class EcosystemInputError extends InputError {
  constructor(file: string, fieldPath: string, detail: string) {
    super(file, fieldPath, detail);
    this.name = "EcosystemInputError";
  }
}

/**
 * Validates a parsed ecosystem object: schema, then cross references and consistency (unknown ids, magnitudes over
 * the maximum, shares over 100%, dependency cycles, positions below HF 1). Throws `EcosystemInputError` on the first
 * problem found, naming `file` and the field path.
 */
export function validateEcosystem(raw: unknown, file = "ecosystem"): Ecosystem {
  const eco = validateWith(ecosystemSchema, raw, file, (f, p, d) => new EcosystemInputError(f, p, d));
  const fail = (p: string, d: string): never => {
    throw new EcosystemInputError(file, p, d);
  };
  const unique = (arr: { id: string }[], where: string) => {
    const seen = new Set<string>();
    arr.forEach((x, i) => {
      if (seen.has(x.id)) fail(`${where}[${i}].id`, `duplicate id "${x.id}"`);
      seen.add(x.id);
    });
    return seen;
  };
  const avsIds = unique(eco.avss, "avss");
  const opIds = unique(eco.operators, "operators");
  const lrtIds = unique(eco.lrts, "lrts");
  unique(eco.venues, "venues");
  unique(eco.commonShocks, "commonShocks");

  const opStrat = new Map<string, { stakeEth: number }>();
  eco.operators.forEach((o, i) => {
    const strats = new Set<string>();
    o.strategies.forEach((s, j) => {
      const p = `operators[${i}].strategies[${j}]`;
      if (strats.has(s.strategy)) fail(`${p}.strategy`, `duplicate strategy "${s.strategy}" for operator "${o.id}"`);
      strats.add(s.strategy);
      opStrat.set(`${o.id}/${s.strategy}`, { stakeEth: s.stakeEth });
      let sum = 0;
      const seenAvs = new Set<string>();
      s.allocations.forEach((a, k) => {
        if (!avsIds.has(a.avs)) fail(`${p}.allocations[${k}].avs`, `unknown AVS "${a.avs}"`);
        if (seenAvs.has(a.avs)) fail(`${p}.allocations[${k}].avs`, `duplicate allocation to "${a.avs}"`);
        seenAvs.add(a.avs);
        sum += a.magnitude;
      });
      // ELIP-002: sum_S m_okS <= M_ok.
      if (sum > s.maxMagnitude * (1 + 1e-12))
        fail(`${p}.allocations`, `allocated magnitudes sum to ${sum}, above maxMagnitude ${s.maxMagnitude}`);
    });
  });
  eco.avss.forEach((a, i) => {
    a.dependencies.forEach((d, k) => {
      if (!avsIds.has(d.avs)) fail(`avss[${i}].dependencies[${k}].avs`, `unknown AVS "${d.avs}"`);
      if (d.avs === a.id) fail(`avss[${i}].dependencies[${k}].avs`, `AVS "${a.id}" cannot depend on itself`);
    });
  });
  eco.lrts.forEach((l, i) => {
    let sum = 0;
    const navEth = l.supplyTokens * l.exchangeRate;
    l.allocations.forEach((a, k) => {
      const p = `lrts[${i}].allocations[${k}]`;
      if (!opIds.has(a.operator)) fail(`${p}.operator`, `unknown operator "${a.operator}"`);
      const os = opStrat.get(`${a.operator}/${a.strategy}`);
      if (!os) fail(`${p}.strategy`, `operator "${a.operator}" has no strategy "${a.strategy}"`);
      else if (navEth * a.shareOfNav > os.stakeEth * 1.0001 + 1e-9)
        fail(
          `${p}.shareOfNav`,
          `delegates ${(navEth * a.shareOfNav).toFixed(2)} ETH but operator "${a.operator}" holds only ${os.stakeEth} ETH in "${a.strategy}"`,
        );
      sum += a.shareOfNav;
    });
    if (sum > 1 + 1e-9) fail(`lrts[${i}].allocations`, `shares of NAV sum to ${sum}, above 1`);
    const fm = l.forgedMint;
    if (fm) {
      const v = eco.venues.find((x) => x.id === fm.venue);
      if (!v) fail(`lrts[${i}].forgedMint.venue`, `unknown venue "${fm.venue}"`);
      else if (!v.markets.some((m) => m.lrt === l.id && m.mode === fm.mode))
        fail(`lrts[${i}].forgedMint.mode`, `venue "${fm.venue}" has no ${l.id}/${fm.mode} market to post the forged collateral in`);
    }
  });
  unique(eco.liquidityShocks, "liquidityShocks");
  eco.liquidityShocks.forEach((s, i) => {
    const p = `liquidityShocks[${i}]`;
    s.lrts.forEach((l, k) => lrtIds.has(l) || fail(`${p}.lrts[${k}]`, `unknown LRT "${l}"`));
    if (s.kind === "large-seller" && !(s.sellFracOfSupply > 0)) fail(`${p}.sellFracOfSupply`, "a large-seller shock needs sellFracOfSupply > 0");
    if (s.kind === "lp-withdrawal" && !(s.lpWithdrawFrac > 0)) fail(`${p}.lpWithdrawFrac`, "an lp-withdrawal shock needs lpWithdrawFrac > 0");
    if (s.kind === "exit-queue-surge" && !(s.exitDaysAdded > 0)) fail(`${p}.exitDaysAdded`, "an exit-queue-surge shock needs exitDaysAdded > 0");
  });
  eco.commonShocks.forEach((c, i) => {
    const used = eco.operators.some((o) => (c.kind === "client" ? o.client === c.id : o.infrastructure.includes(c.id)));
    if (!used) fail(`commonShocks[${i}].id`, `no operator uses ${c.kind} "${c.id}"`);
  });
  eco.venues.forEach((v, i) => {
    const seen = new Set<string>();
    v.markets.forEach((m, j) => {
      const p = `venues[${i}].markets[${j}]`;
      if (!lrtIds.has(m.lrt)) fail(`${p}.lrt`, `unknown LRT "${m.lrt}"`);
      if (seen.has(`${m.lrt}/${m.mode}`)) fail(`${p}.mode`, `duplicate market ${m.lrt}/${m.mode} in venue "${v.id}"`);
      seen.add(`${m.lrt}/${m.mode}`);
      if (m.ltvBps > m.liquidationThresholdBps)
        fail(`${p}.ltvBps`, `LTV ${m.ltvBps} above liquidation threshold ${m.liquidationThresholdBps}`);
      if (m.liquidationThresholdBps === 0) fail(`${p}.liquidationThresholdBps`, "must be > 0 for a market with positions");
      if (v.liquidationRule === "morpho-blue") {
        const lifBps = venueRules({ liquidationRule: v.liquidationRule, liquidationThresholdBps: m.liquidationThresholdBps, liquidationBonusBps: m.liquidationBonusBps }).liquidationBonusBps;
        if (Math.abs(lifBps - m.liquidationBonusBps) > 1)
          fail(`${p}.liquidationBonusBps`, `Morpho Blue fixes it by the LLTV: ${lifBps.toFixed(2)} bps at LLTV ${m.liquidationThresholdBps} bps; found ${m.liquidationBonusBps}`);
      }
      if (m.positions.kind === "bands") {
        m.positions.bands.forEach((b, k) => {
          if (b.hfMax < b.hfMin) fail(`${p}.positions.bands[${k}].hfMax`, `below hfMin ${b.hfMin}`);
        });
      } else {
        const lrt = eco.lrts.find((l) => l.id === m.lrt)!;
        m.positions.list.forEach((q, k) => {
          const hf = (q.collateralTokens * lrt.exchangeRate * m.liquidationThresholdBps) / 1e4 / q.debtEth;
          if (hf < 1) fail(`${p}.positions.list[${k}]`, `starts below health factor 1 (HF ${hf.toFixed(4)})`);
        });
      }
    });
  });
  return eco;
}

/** Reads and validates an ecosystem JSON file; errors name the file. */
export function loadEcosystem(file: string): Ecosystem {
  const { name, raw } = readJsonFile(file, (f, p, d) => new EcosystemInputError(f, p, d));
  return validateEcosystem(raw, name);
}
