/**
 * ELIP-002 unique-stake bookkeeping for one (operator, strategy), written as the contracts do it:
 * a slash of fraction w on operator set S removes w * m_S from both m_S and M, and every staker loses
 * w * m_S / M of their shares (queued withdrawals included).
 */
export class OperatorStrategyLedger {
  /** Total magnitude M_ok. */
  maxMagnitude: number;
  /** Allocated magnitude m_okS per operator set (AVS id). */
  readonly allocations: Map<string, number>;
  /** Product of (1 - w * a) over all slashes so far: the fraction of stakers' shares still backed. */
  shareFactor = 1;

  constructor(maxMagnitude: number, allocations: Iterable<[string, number]>) {
    this.maxMagnitude = maxMagnitude;
    this.allocations = new Map(allocations);
  }

  /** Slashable share a_okS = m_okS / M_ok. */
  slashableShare(avs: string): number {
    return (this.allocations.get(avs) ?? 0) / this.maxMagnitude;
  }

  /** Applies a slash of fraction `wad` (in [0,1]) on operator set `avs`; returns the share loss w * a. */
  slash(avs: string, fraction: number): number {
    const m = this.allocations.get(avs) ?? 0;
    if (m === 0 || fraction === 0) return 0;
    const slashed = fraction * m;
    const shareLoss = slashed / this.maxMagnitude;
    this.allocations.set(avs, m - slashed);
    this.maxMagnitude -= slashed;
    this.shareFactor *= 1 - shareLoss;
    return shareLoss;
  }

  /** Cumulative fraction of the stake lost by stakers. */
  lossFraction(): number {
    return 1 - this.shareFactor;
  }
}
