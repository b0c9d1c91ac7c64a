/**
 * Exposure graph from an ecosystem (`cascade-guard/ecosystem@1`, the model's input): LRT -> operator
 * edges carry the ETH of NAV the LRT delegates, operator -> AVS edges the ETH the operator has
 * allocated (unique stake, ELIP-002: stake * m_okS / M_ok), AVS -> AVS edges the dependencies.
 *
 * Colour is one scale for every node: the probability of a loss event over the ecosystem's horizon,
 * to first order with independent faults (the Monte Carlo model is the authority on correlated
 * tails; this is a map, not the model):
 *   AVS:      p_eff(s)  = 1 - (1 - p_s) * prod_{u in deps(s)} (1 - q_us * p_eff(u))
 *   operator: P(slash)  = 1 - (1 - p_compromise) * prod_{shocks hitting o} (1 - p_shock) * prod_{S allocated} (1 - p_eff(S))
 *   LRT:      P(loss)   = 1 - (1 - p_backing) * prod_{o delegated to} (1 - P(slash_o))
 */
import { z } from "zod";
import { ReportInputError, fromZod } from "./errors";
import { fmtPct } from "./format";
import type { ExposureLink, ExposureNode, ExposureView } from "./views";

/** The ecosystem fields the exposure graph reads (a structural subset of the model's schema). */
export interface EcosystemLike {
  name?: string;
  horizonDays?: number;
  commonShocks?: Array<{ id: string; kind: string; probability: number }>;
  operators: Array<{
    id: string;
    name?: string;
    client?: string;
    infrastructure?: string[];
    compromiseProbability?: number;
    strategies: Array<{ strategy: string; stakeEth: number; maxMagnitude: number; allocations: Array<{ avs: string; magnitude: number }> }>;
  }>;
  avss: Array<{ id: string; name?: string; faultProbability: number; slashFraction?: number; dependencies?: Array<{ avs: string; propagationProbability: number }> }>;
  lrts: Array<{
    id: string;
    symbol?: string;
    supplyTokens: number;
    exchangeRate: number;
    allocations: Array<{ operator: string; strategy: string; shareOfNav: number }>;
    backingShock?: { probability: number; lossFraction: number };
  }>;
}

const prob = z.number().min(0).max(1);
const nonneg = z.number().finite().nonnegative();

/** Zod schema for the subset above; other fields pass through untouched. */
export const EcosystemLikeSchema = z
  .object({
    name: z.string().optional(),
    horizonDays: z.number().positive().optional(),
    commonShocks: z.array(z.object({ id: z.string(), kind: z.string(), probability: prob }).passthrough()).optional(),
    operators: z
      .array(
        z
          .object({
            id: z.string(),
            name: z.string().optional(),
            client: z.string().optional(),
            infrastructure: z.array(z.string()).optional(),
            compromiseProbability: prob.optional(),
            strategies: z.array(
              z
                .object({
                  strategy: z.string(),
                  stakeEth: nonneg,
                  maxMagnitude: z.number().positive(),
                  allocations: z.array(z.object({ avs: z.string(), magnitude: nonneg }).passthrough()),
                })
                .passthrough(),
            ),
          })
          .passthrough(),
      )
      .min(1),
    avss: z
      .array(
        z
          .object({
            id: z.string(),
            name: z.string().optional(),
            faultProbability: prob,
            slashFraction: prob.optional(),
            dependencies: z.array(z.object({ avs: z.string(), propagationProbability: prob }).passthrough()).optional(),
          })
          .passthrough(),
      )
      .min(1),
    lrts: z
      .array(
        z
          .object({
            id: z.string(),
            symbol: z.string().optional(),
            supplyTokens: nonneg,
            exchangeRate: z.number().positive(),
            allocations: z.array(z.object({ operator: z.string(), strategy: z.string(), shareOfNav: prob }).passthrough()),
            backingShock: z.object({ probability: prob, lossFraction: prob }).passthrough().optional(),
          })
          .passthrough(),
      )
      .min(1),
  })
  .passthrough();

/** Validates the fields the exposure graph reads; errors name the file and the field. */
export function parseEcosystemLike(file: string, data: unknown, prefix: Array<string | number> = []): EcosystemLike {
  const parsed = EcosystemLikeSchema.safeParse(data);
  if (!parsed.success) throw fromZod(file, parsed.error, prefix);
  return parsed.data as EcosystemLike;
}

/** Effective AVS fault probabilities with dependency propagation (independent approximation). */
export function effectiveAvsFaultProbabilities(file: string, eco: EcosystemLike): Map<string, number> {
  const byId = new Map(eco.avss.map((a) => [a.id, a] as const));
  const memo = new Map<string, number>();
  const visiting = new Set<string>();
  const pEff = (id: string, path: string): number => {
    const cached = memo.get(id);
    if (cached !== undefined) return cached;
    const avs = byId.get(id);
    if (!avs) throw new ReportInputError(file, path, `unknown AVS "${id}"`);
    if (visiting.has(id)) throw new ReportInputError(file, path, `dependency cycle through AVS "${id}"`);
    visiting.add(id);
    let survive = 1 - avs.faultProbability;
    (avs.dependencies ?? []).forEach((d, k) => {
      survive *= 1 - d.propagationProbability * pEff(d.avs, `avss[${eco.avss.indexOf(avs)}].dependencies[${k}].avs`);
    });
    visiting.delete(id);
    const p = 1 - survive;
    memo.set(id, p);
    return p;
  };
  eco.avss.forEach((a, i) => pEff(a.id, `avss[${i}].id`));
  return memo;
}

/** Monte Carlo figures that replace the first-order estimates when a simulation of the same ecosystem is given. */
export interface SimulatedRisk {
  /** Simulation file the figures come from. */
  source: string;
  /** P(NAV loss > 0) per LRT id over the horizon. */
  lrtPLoss: Map<string, number>;
  /** Observed fault frequency per AVS id (own faults and propagation). */
  avsPFault: Map<string, number>;
}

export function exposureFromEcosystem(file: string, eco: EcosystemLike, simulated?: SimulatedRisk): ExposureView {
  const firstOrder = effectiveAvsFaultProbabilities(file, eco);
  // Operators are always first order (the simulation does not report per-operator slash frequencies);
  // AVS and LRT colours use the Monte Carlo figures when a simulation of this ecosystem is given.
  const pAvs = firstOrder;
  const shocks = new Map((eco.commonShocks ?? []).map((c) => [c.id, c] as const));
  const horizon = eco.horizonDays !== undefined ? `${eco.horizonDays} d` : "the horizon";
  const nodes: ExposureNode[] = [];
  const links: ExposureLink[] = [];

  const avsStake = new Map<string, number>();
  const pOperator = new Map<string, number>();
  eco.operators.forEach((o, i) => {
    let stake = 0;
    let survive = 1 - (o.compromiseProbability ?? 0);
    const hitBy = [o.client, ...(o.infrastructure ?? [])].filter((x): x is string => typeof x === "string");
    for (const h of hitBy) {
      const s = shocks.get(h);
      if (s) survive *= 1 - s.probability;
    }
    const allocatedTo = new Map<string, number>();
    o.strategies.forEach((s, j) => {
      stake += s.stakeEth;
      if (!(s.maxMagnitude > 0)) throw new ReportInputError(file, `operators[${i}].strategies[${j}].maxMagnitude`, `expected > 0, found ${s.maxMagnitude}`);
      s.allocations.forEach((a, k) => {
        if (!pAvs.has(a.avs)) throw new ReportInputError(file, `operators[${i}].strategies[${j}].allocations[${k}].avs`, `unknown AVS "${a.avs}"`);
        // ELIP-002: the share of (o, k) slashable by S is a_okS = m_okS / M_ok.
        const eth = (s.stakeEth * a.magnitude) / s.maxMagnitude;
        allocatedTo.set(a.avs, (allocatedTo.get(a.avs) ?? 0) + eth);
        avsStake.set(a.avs, (avsStake.get(a.avs) ?? 0) + eth);
      });
    });
    for (const [avs, eth] of allocatedTo) {
      survive *= 1 - (pAvs.get(avs) ?? 0);
      links.push({ source: `op:${o.id}`, target: `avs:${avs}`, kind: "allocation", amountEth: eth });
    }
    const p = 1 - survive;
    pOperator.set(o.id, p);
    nodes.push({ id: `op:${o.id}`, label: o.name ?? o.id, kind: "operator", stakeEth: stake, risk: p, riskText: `P(slashed at least once, ${horizon}) ≈ ${fmtPct(p * 100)}` });
  });

  eco.avss.forEach((a) => {
    const mc = simulated?.avsPFault.get(a.id);
    const p = mc ?? pAvs.get(a.id) ?? 0;
    const own = a.faultProbability;
    nodes.push({
      id: `avs:${a.id}`,
      label: a.name ?? a.id,
      kind: "avs",
      stakeEth: avsStake.get(a.id) ?? 0,
      risk: p,
      riskText: `P(fault, ${horizon}) ${fmtPct(own * 100)} own, ${mc !== undefined ? `${fmtPct(p * 100)} simulated` : `≈ ${fmtPct(p * 100)}`} with dependencies${a.slashFraction !== undefined ? `; slashes ${fmtPct(a.slashFraction * 100)} of allocations` : ""}`,
    });
    for (const d of a.dependencies ?? []) links.push({ source: `avs:${d.avs}`, target: `avs:${a.id}`, kind: "dependency", probability: d.propagationProbability });
  });

  eco.lrts.forEach((l, i) => {
    const navEth = l.supplyTokens * l.exchangeRate;
    let survive = 1 - (l.backingShock?.probability ?? 0);
    const perOperator = new Map<string, number>();
    l.allocations.forEach((a, k) => {
      if (!pOperator.has(a.operator)) throw new ReportInputError(file, `lrts[${i}].allocations[${k}].operator`, `unknown operator "${a.operator}"`);
      perOperator.set(a.operator, (perOperator.get(a.operator) ?? 0) + navEth * a.shareOfNav);
    });
    for (const [op, eth] of perOperator) {
      survive *= 1 - (pOperator.get(op) ?? 0);
      links.push({ source: `lrt:${l.id}`, target: `op:${op}`, kind: "delegation", amountEth: eth });
    }
    const mc = simulated?.lrtPLoss.get(l.id);
    const p = mc ?? 1 - survive;
    nodes.push({
      id: `lrt:${l.id}`,
      label: l.symbol ?? l.id,
      kind: "lrt",
      stakeEth: navEth,
      risk: p,
      riskText: `P(NAV loss > 0, ${horizon}) ${mc !== undefined ? "=" : "≈"} ${fmtPct(p * 100)}${mc !== undefined ? " (simulated)" : ""}${l.backingShock ? `; backing shock ${fmtPct(l.backingShock.probability * 100)}` : ""}`,
    });
  });

  return {
    title: `Exposure graph${eco.name ? `: ${eco.name}` : ""}`,
    nodes,
    links,
    riskMeaning: {
      lrt: `P(NAV loss > 0 over ${horizon})${simulated ? `, Monte Carlo (${simulated.source})` : ", first-order estimate"}`,
      operator: `P(slashed at least once over ${horizon}), first-order estimate`,
      avs: `P(fault over ${horizon}, incl. propagation from dependencies)${simulated ? `, Monte Carlo (${simulated.source})` : ", first-order estimate"}`,
    },
  };
}
