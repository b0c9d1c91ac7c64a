/**
 * What both replay worlds (Aave: chainWorld.ts, Morpho: morphoWorld.ts) read from the pause guard of a protected
 * run: the pauses it recorded (one interval per `pausedAt`, times relative to the run's start) and its caps.
 */
import type { Contract } from "ethers";
import type { GuardLimits, PauseInterval } from "./types";

export class GuardPauseLog {
  private readonly byPausedAt = new Map<number, PauseInterval>();

  constructor(
    private readonly guard: Contract,
    private readonly collateral: string,
    private readonly startTimestamp: number,
    /** Reads `getPauseState(collateral)` another way (a world's batched reader); default: through `guard`. */
    private readonly readPauseState?: () => Promise<{ pausedAt: bigint | number; pausedUntil: bigint | number }>
  ) {}

  /** Records the guard's current (or last) pause of the collateral, if any; the same pause is kept once. */
  async record(): Promise<void> {
    const s = this.readPauseState ? await this.readPauseState() : await this.guard.getPauseState(this.collateral);
    const pausedAt = Number(s.pausedAt);
    if (pausedAt === 0) return;
    this.byPausedAt.set(pausedAt, { startT: pausedAt - this.startTimestamp, endT: Number(s.pausedUntil) - this.startTimestamp });
  }

  /** Every pause seen, oldest first (records the current one first). */
  async pauses(): Promise<PauseInterval[]> {
    await this.record();
    return [...this.byPausedAt.values()].sort((a, b) => a.startT - b.startT);
  }

  /** The guard's caps for the collateral. */
  async limits(): Promise<GuardLimits> {
    const c = await this.guard.getGuardConfig(this.collateral);
    return {
      maxPauseSeconds: Number(c.maxPauseSeconds),
      cooldownSeconds: Number(c.cooldownSeconds),
      windowSeconds: Number(c.windowSeconds),
      maxPausedSecondsPerWindow: Number(c.maxPausedSecondsPerWindow),
    };
  }
}
