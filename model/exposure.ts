import type { Ecosystem } from "./ecosystem/schema";

/**
 * Exposure tables: what each LRT really backs. For LRT L:
 *   operator share   = sum_k h_Lok                      (share of NAV delegated to operator o)
 *   AVS slashable    = sum_{o,k} h_Lok * a_okS            (share of NAV an AVS S can slash: unique stake)
 * HHI = sum of squared shares of the LRT's restaked NAV (operators) or of its slashable exposure (AVSs), in [0, 1].
 */
export interface LrtExposure {
  lrt: string;
  navEth: number;
  restakedShareOfNav: number;
  nativeShareOfNav: number;
  operators: { operator: string; shareOfNav: number }[];
  avss: { avs: string; slashableShareOfNav: number }[];
  operatorHhi: number;
  avsHhi: number;
  /** Largest single-event NAV loss from one AVS slashing at its slash fraction. */
  worstSingleAvsLossFrac: number;
}

export interface EcosystemExposure {
  lrts: LrtExposure[];
  operatorConcentration: { totalRestakedEth: number; top5Share: number; top3Share: number; hhi: number };
  avsSecurity: { avs: string; allocatedStakeEth: number; operators: number }[];
}

const hhi = (xs: number[]) => {
  const t = xs.reduce((a, b) => a + b, 0);
  return t > 0 ? xs.reduce((a, x) => a + (x / t) * (x / t), 0) : 0;
};

export function exposureTables(eco: Ecosystem): EcosystemExposure {
  const shares = new Map<string, Map<string, number>>(); // opId/strategy -> avs -> a
  const avsW = new Map(eco.avss.map((a) => [a.id, a.slashFraction] as const));
  const allocatedStake = new Map<string, number>(eco.avss.map((a) => [a.id, 0]));
  const avsOps = new Map<string, Set<string>>(eco.avss.map((a) => [a.id, new Set<string>()]));
  for (const o of eco.operators)
    for (const s of o.strategies) {
      const m = new Map<string, number>();
      for (const a of s.allocations) {
        const share = a.magnitude / s.maxMagnitude;
        m.set(a.avs, share);
        allocatedStake.set(a.avs, allocatedStake.get(a.avs)! + share * s.stakeEth);
        if (share > 0) avsOps.get(a.avs)!.add(o.id);
      }
      shares.set(`${o.id}/${s.strategy}`, m);
    }
  const lrts = eco.lrts.map((l) => {
    const ops = new Map<string, number>();
    const avss = new Map<string, number>();
    let restaked = 0;
    let native = 0;
    for (const a of l.allocations) {
      ops.set(a.operator, (ops.get(a.operator) ?? 0) + a.shareOfNav);
      restaked += a.shareOfNav;
      if (a.strategy === "beaconETH") native += a.shareOfNav;
      for (const [avs, s] of shares.get(`${a.operator}/${a.strategy}`)!) avss.set(avs, (avss.get(avs) ?? 0) + a.shareOfNav * s);
    }
    const opList = [...ops].map(([operator, shareOfNav]) => ({ operator, shareOfNav })).sort((a, b) => b.shareOfNav - a.shareOfNav);
    const avsList = [...avss]
      .map(([avs, slashableShareOfNav]) => ({ avs, slashableShareOfNav }))
      .sort((a, b) => b.slashableShareOfNav - a.slashableShareOfNav);
    return {
      lrt: l.id,
      navEth: l.supplyTokens * l.exchangeRate,
      restakedShareOfNav: restaked,
      nativeShareOfNav: native,
      operators: opList,
      avss: avsList,
      operatorHhi: hhi(opList.map((x) => x.shareOfNav)),
      avsHhi: hhi(avsList.map((x) => x.slashableShareOfNav)),
      worstSingleAvsLossFrac: Math.max(0, ...avsList.map((x) => x.slashableShareOfNav * avsW.get(x.avs)!)),
    };
  });
  const opStake = eco.operators.map((o) => o.strategies.reduce((a, s) => a + s.stakeEth, 0)).sort((a, b) => b - a);
  const total = opStake.reduce((a, b) => a + b, 0);
  const top = (k: number) => (total > 0 ? opStake.slice(0, k).reduce((a, b) => a + b, 0) / total : 0);
  return {
    lrts,
    operatorConcentration: { totalRestakedEth: total, top5Share: top(5), top3Share: top(3), hhi: hhi(opStake) },
    avsSecurity: eco.avss.map((a) => ({ avs: a.id, allocatedStakeEth: allocatedStake.get(a.id)!, operators: avsOps.get(a.id)!.size })),
  };
}
