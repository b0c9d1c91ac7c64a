import type { Ecosystem } from "./ecosystem/schema";

/**
 * Durvasula-Roughgarden robustness metrics (Robust Restaking Networks, ITCS 2025, arXiv 2407.21785).
 *
 * Pooled graph: validators v with stake sigma_v, services s with corruption profit pi_s and threshold alpha_s and
 * neighbourhood N(s). An attack (A, B) is valid if for every s in A the attackers B hold >= alpha_s of the stake in
 * N(s); profitable if pi_A > sigma_B. Slack gamma: every valid attack has (1 + gamma) pi_A <= sigma_B. Theorem: a shock
 * destroying a fraction psi of stake then loses in total at most (1 + 1/gamma) psi (cascade included).
 */
export interface RestakingGraph {
  validators: { id: string; stakeEth: number }[];
  services: { id: string; profitEth: number; threshold: number; validators: number[] }[];
}

/** The pooled graph of an ecosystem: operators are validators (all strategies), an AVS neighbours every operator allocated to it. */
export function pooledGraph(eco: Ecosystem): RestakingGraph {
  const validators = eco.operators.map((o) => ({ id: o.id, stakeEth: o.strategies.reduce((a, s) => a + s.stakeEth, 0) }));
  const services = eco.avss.map((a) => ({
    id: a.id,
    profitEth: a.profitFromCorruptionEth,
    threshold: a.corruptionThreshold,
    validators: eco.operators.flatMap((o, i) => (o.strategies.some((s) => s.allocations.some((x) => x.avs === a.id && x.magnitude > 0)) ? [i] : [])),
  }));
  return { validators, services };
}

/**
 * Unique stake (ELIP-002): each allocation backs only its own operator set, so an AVS stands alone:
 * gamma_S = alpha_S * U_S / pi_S - 1, with U_S = sum_{o,k} a_okS * sigma_ok the stake allocated to S.
 */
export function uniqueStakeSlack(eco: Ecosystem): { avs: string; allocatedStakeEth: number; gamma: number; secure: boolean }[] {
  return eco.avss.map((avs) => {
    let u = 0;
    for (const o of eco.operators)
      for (const s of o.strategies) for (const a of s.allocations) if (a.avs === avs.id) u += (a.magnitude / s.maxMagnitude) * s.stakeEth;
    const gamma = avs.profitFromCorruptionEth > 0 ? (avs.corruptionThreshold * u) / avs.profitFromCorruptionEth - 1 : Infinity;
    return { avs: avs.id, allocatedStakeEth: u, gamma, secure: gamma >= 0 };
  });
}

function neighbourStake(g: RestakingGraph): number[] {
  return g.services.map((s) => s.validators.reduce((a, v) => a + g.validators[v].stakeEth, 0));
}

/**
 * EigenLayer whitepaper condition with slack: for every validator v,
 *   sum_{s in N(v)} (sigma_v / sigma_N(s)) * (1 + gamma) * pi_s / alpha_s <= sigma_v.
 * Returns whether it holds and the largest gamma for which it holds (D-R: then the graph is gamma-robust).
 */
export function whitepaperCheck(g: RestakingGraph, gamma = 0): { holds: boolean; maxGamma: number } {
  const sn = neighbourStake(g);
  const load = g.validators.map(() => 0);
  g.services.forEach((s, si) => {
    if (sn[si] <= 0) return;
    for (const v of s.validators) load[v] += s.profitEth / (s.threshold * sn[si]);
  });
  // sum_s sigma_v/sigma_N(s) (1+gamma) pi_s/alpha_s <= sigma_v  <=>  (1+gamma) * load_v <= 1
  let maxGamma = Infinity;
  for (let v = 0; v < load.length; v++) if (load[v] > 0) maxGamma = Math.min(maxGamma, 1 / load[v] - 1);
  return { holds: maxGamma >= gamma, maxGamma };
}

/** Loss bound (1 + 1/gamma) * psi; Infinity when gamma <= 0 (no guarantee). */
export function cascadeLossBound(gamma: number, psi: number): number {
  return gamma > 0 ? (1 + 1 / gamma) * psi : Infinity;
}

const bitsum = (mask: number, w: number[]) => {
  let s = 0;
  for (let i = 0; mask; i++, mask >>>= 1) if (mask & 1) s += w[i];
  return s;
};

export const EXACT_MAX_VALIDATORS = 14;
export const EXACT_MAX_SERVICES = 8;

function assertSmall(g: RestakingGraph): void {
  if (g.validators.length > EXACT_MAX_VALIDATORS || g.services.length > EXACT_MAX_SERVICES)
    throw new Error(
      `exact robustness: graph too large for enumeration (${g.validators.length} validators, ${g.services.length} services; max ${EXACT_MAX_VALIDATORS}/${EXACT_MAX_SERVICES})`,
    );
}

/** Is (A, B) valid on the graph restricted to live validators `alive`? */
function valid(g: RestakingGraph, A: number, B: number, alive: number, w: number[]): boolean {
  for (let s = 0; s < g.services.length; s++) {
    if (!(A & (1 << s))) continue;
    let n = 0;
    let b = 0;
    for (const v of g.services[s].validators) {
      if (!(alive & (1 << v))) continue;
      n += w[v];
      if (B & (1 << v)) b += w[v];
    }
    if (b < g.services[s].threshold * n - 1e-12) return false;
  }
  return true;
}

/** Exact slack by enumeration of all attacks: gamma = min over valid (A, B) with pi_A > 0 of sigma_B / pi_A - 1. */
export function exactSlack(g: RestakingGraph): number {
  assertSmall(g);
  const w = g.validators.map((v) => v.stakeEth);
  const p = g.services.map((s) => s.profitEth);
  const nV = w.length;
  const all = (1 << nV) - 1;
  let gamma = Infinity;
  for (let A = 1; A < 1 << g.services.length; A++) {
    const piA = bitsum(A, p);
    if (piA <= 0) continue;
    for (let B = 0; B <= all; B++) {
      if (!valid(g, A, B, all, w)) continue;
      gamma = Math.min(gamma, bitsum(B, w) / piA - 1);
    }
  }
  return gamma;
}

/**
 * Worst total loss (fraction of all stake) after a shock of at most `psi` of the stake, maximised over every shock
 * and every sequence of valid, profitable attacks on what remains (attackers' stake is lost, attacked services are
 * gone). Exhaustive: small graphs only.
 */
export function worstCascadeLoss(g: RestakingGraph, psi: number): { lossFrac: number; shockFrac: number } {
  assertSmall(g);
  const w = g.validators.map((v) => v.stakeEth);
  const p = g.services.map((s) => s.profitEth);
  const total = w.reduce((a, b) => a + b, 0);
  const nV = w.length;
  const nS = p.length;
  const all = (1 << nV) - 1;
  const memo = new Map<number, number>();
  // best additional stake lost from state (alive validators, alive services)
  const cascade = (alive: number, services: number): number => {
    const key = alive * (1 << nS) + services;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let best = 0;
    for (let A = services; A > 0; A = (A - 1) & services) {
      const piA = bitsum(A, p);
      for (let B = alive; B > 0; B = (B - 1) & alive) {
        const sB = bitsum(B, w);
        if (!(piA > sB)) continue;
        if (!valid(g, A, B, alive, w)) continue;
        best = Math.max(best, sB + cascade(alive & ~B, services & ~A));
      }
    }
    memo.set(key, best);
    return best;
  };
  let worst = 0;
  let worstShock = 0;
  for (let D = 0; D <= all; D++) {
    const sD = bitsum(D, w);
    if (sD > psi * total + 1e-12) continue;
    const loss = sD + cascade(all & ~D, (1 << nS) - 1);
    if (loss > worst) {
      worst = loss;
      worstShock = sD;
    }
  }
  return { lossFrac: worst / total, shockFrac: worstShock / total };
}

export interface RobustnessReport {
  uniqueStake: { avs: string; allocatedStakeEth: number; gamma: number; secure: boolean }[];
  uniqueStakeMinGamma: number;
  pooled: {
    method: "exact-enumeration" | "whitepaper-sufficient-condition";
    /** exact slack (small graphs) or the largest gamma for which the whitepaper check holds (a lower bound on slack) */
    gamma: number;
    whitepaperHolds: boolean;
    lossBounds: { shockFrac: number; lossBoundFrac: number | null; exactWorstLossFrac?: number }[];
  };
}

/** Robustness summary of an ecosystem; exact on small graphs, whitepaper-condition bound on large ones. */
export function robustnessReport(eco: Ecosystem, shocks = [0.01, 0.05, 0.1]): RobustnessReport {
  const uniqueStake = uniqueStakeSlack(eco);
  const g = pooledGraph(eco);
  const wp = whitepaperCheck(g);
  const small = g.validators.length <= 8 && g.services.length <= 4;
  const gamma = small ? exactSlack(g) : wp.maxGamma;
  const fin = (x: number) => (Number.isFinite(x) ? x : null);
  return {
    uniqueStake: uniqueStake.map((u) => ({ ...u, gamma: Number.isFinite(u.gamma) ? u.gamma : 1e300 })),
    uniqueStakeMinGamma: Math.min(...uniqueStake.map((u) => u.gamma).filter(Number.isFinite), 1e300),
    pooled: {
      method: small ? "exact-enumeration" : "whitepaper-sufficient-condition",
      gamma: Number.isFinite(gamma) ? gamma : 1e300,
      whitepaperHolds: wp.holds,
      lossBounds: shocks.map((psi) => ({
        shockFrac: psi,
        lossBoundFrac: fin(cascadeLossBound(gamma, psi)),
        ...(small ? { exactWorstLossFrac: worstCascadeLoss(g, psi).lossFrac } : {}),
      })),
    },
  };
}
