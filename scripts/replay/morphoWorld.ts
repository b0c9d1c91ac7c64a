/**
 * `ReplayWorld` on the real Morpho Blue (venue "morpho"): one market (collateral/WETH at its LLTV), the scenario's
 * feeds and DEX, Cascade Guard's risk oracle and pause guard (protected runs) reached only through their
 * permissionless calls, a liquidator that calls the real `liquidate` and sells the seized collateral into the DEX,
 * and an attacker. The protected run drives a market created with a `RiskAwareOracle`; the baseline run a market
 * with the replica's market-price (or exchange-rate) oracle. Same engine, same metrics as the Aave venue.
 *
 * Morpho's rules, as the contract applies them: HF = collateral x price x LLTV / debt; no close factor (a liquidator
 * may repay the whole debt); seized = repaid x LIF / price with LIF = min(1.15, 1 / (0.3 LLTV + 0.7)); when a
 * liquidation takes the last collateral, the remaining debt is written off and socialised to suppliers (bad debt
 * realised in the `Liquidate` event).
 */
import { WAD } from "../../spec/units";
import { Contract, MaxUint256, Signer, formatUnits, parseUnits } from "ethers";
import type { AccountBalance, MarketObservation, ReplayWorld } from "./engine";
import type { CascadeAddresses, DexPort, FeedPorts } from "./chainWorld";
import { FEED_REFRESH_SECONDS, PREFILTER_HF } from "./chainWorld";
import type { AttackerBorrowEvent, GuardLimits, LiquidationRecord, PauseInterval, RunKind, Scenario } from "./types";
import { GuardPauseLog } from "./guardLog";
import { morphoLiquidationIncentiveFactor } from "../markets/morpho/marketFile";
import type { MorphoMarketParams } from "../markets/morpho/deploy";

/** Morpho's virtual shares and assets (SharesMathLib). */
const VIRTUAL_SHARES = 10n ** 6n;
const VIRTUAL_ASSETS = 1n;

export const MORPHO_ABI = [
  "function position(bytes32 id, address user) view returns (uint256 supplyShares, uint128 borrowShares, uint128 collateral)",
  "function market(bytes32 id) view returns (uint128 totalSupplyAssets, uint128 totalSupplyShares, uint128 totalBorrowAssets, uint128 totalBorrowShares, uint128 lastUpdate, uint128 fee)",
  "function accrueInterest((address loanToken, address collateralToken, address oracle, address irm, uint256 lltv) marketParams)",
  "function liquidate((address loanToken, address collateralToken, address oracle, address irm, uint256 lltv) marketParams, address borrower, uint256 seizedAssets, uint256 repaidShares, bytes data) returns (uint256, uint256)",
  "function supplyCollateral((address loanToken, address collateralToken, address oracle, address irm, uint256 lltv) marketParams, uint256 assets, address onBehalf, bytes data)",
  "function borrow((address loanToken, address collateralToken, address oracle, address irm, uint256 lltv) marketParams, uint256 assets, uint256 shares, address onBehalf, address receiver) returns (uint256, uint256)",
  // EventsLib (solc 0.8.19 leaves library events out of Morpho's ABI)
  "event Liquidate(bytes32 indexed id, address indexed caller, address indexed borrower, uint256 repaidAssets, uint256 repaidShares, uint256 seizedAssets, uint256 badDebtAssets, uint256 badDebtShares)",
];
const ORACLE_ABI = ["function price() view returns (uint256)"];
const RISK_ORACLE_ABI = ["function poke(address asset)"];
const GUARD_ABI = [
  "function trip(address asset)",
  "function release(address asset)",
  "function isAssetPaused(address asset) view returns (bool)",
  "function getPauseState(address asset) view returns (tuple(uint40 pausedAt, uint40 pausedUntil, uint40 liquidationBlockedUntil, uint8 reason))",
  "function getGuardConfig(address asset) view returns (tuple(uint32 maxPauseSeconds, uint32 cooldownSeconds, uint32 windowSeconds, uint32 maxPausedSecondsPerWindow, uint32 postPauseGraceSeconds, bool enabled))",
];
const ERC20_ABI = ["function approve(address,uint256) returns (bool)", "function balanceOf(address) view returns (uint256)"];

/** One Morpho market a run drives. */
export interface MorphoRunMarket {
  params: MorphoMarketParams;
  id: string;
}

/** Everything a Morpho world needs; built by `morphoSetup.ts`. */
export interface MorphoWorldContext {
  rpc(method: string, params: unknown[]): Promise<unknown>;
  latestTimestamp(): Promise<number>;
  morpho: string;
  collateral: string;
  collateralDecimals: number;
  weth: string;
  wethDecimals: number;
  feeds: FeedPorts;
  dex: DexPort;
  fund(token: string, to: string, amount: bigint): Promise<void>;
  liquidator: Signer;
  attacker: Signer;
  keeper: Signer;
}

/** Fractions of a position's debt a liquidator tries, largest first, until the sale at the DEX covers the repay. */
export const LIQUIDATION_FRACTIONS = [1, 0.5, 0.25, 0.125];

/** Pure: Morpho's debt of `shares` (toAssetsUp). */
export function borrowAssetsUp(shares: bigint, totalAssets: bigint, totalShares: bigint): bigint {
  const num = shares * (totalAssets + VIRTUAL_ASSETS);
  const den = totalShares + VIRTUAL_SHARES;
  return (num + den - 1n) / den;
}

interface Pos {
  borrowShares: bigint;
  collateral: bigint;
}

export class MorphoWorld implements ReplayWorld {
  private readonly morpho: Contract;
  private readonly oracle: Contract;
  private readonly users: string[];
  private readonly positions = new Map<string, Pos>();
  private readonly realizedBadDebt = new Map<string, number>();
  private readonly guard?: Contract;
  private readonly riskOracle?: Contract;
  private readonly pauseLog?: GuardPauseLog;
  private readonly feedCache = new Map<string, { value: number; at: number }>();
  private attackerActive = false;
  private scale = 0n;
  public keeperFailures = 0;

  constructor(
    private readonly ctx: MorphoWorldContext,
    private readonly scenario: Scenario,
    public readonly run: RunKind,
    private readonly market: MorphoRunMarket,
    borrowers: string[],
    private readonly startTimestamp: number,
    cascade?: CascadeAddresses,
  ) {
    this.users = [...borrowers];
    this.morpho = new Contract(ctx.morpho, MORPHO_ABI, ctx.liquidator);
    this.oracle = new Contract(market.params.oracle, ORACLE_ABI, ctx.liquidator);
    if (cascade) {
      this.guard = new Contract(cascade.pauseGuard, GUARD_ABI, ctx.keeper);
      this.riskOracle = new Contract(cascade.riskOracle, RISK_ORACLE_ABI, ctx.keeper);
      this.pauseLog = new GuardPauseLog(this.guard, ctx.collateral, startTimestamp);
    }
  }

  private get lltv(): number {
    return Number(this.market.params.lltv) / 1e18;
  }

  /** Approvals, liquidator funds and every borrower's position. Call once before the run. */
  async init(): Promise<void> {
    const { ctx } = this;
    // Morpho price scale: 1e36 x 10^(loanDecimals - collateralDecimals) per 1.0 loan token per collateral token.
    this.scale = 10n ** BigInt(36 + ctx.wethDecimals - ctx.collateralDecimals);
    const liq = await ctx.liquidator.getAddress();
    const weth = new Contract(ctx.weth, ERC20_ABI, ctx.liquidator);
    await (await weth.approve(ctx.morpho, MaxUint256)).wait();
    if ((await weth.balanceOf(liq)) === 0n) await ctx.fund(ctx.weth, liq, parseUnits("10000000", ctx.wethDecimals));
    for (const u of this.users) await this.refresh(u);
  }

  private async refresh(user: string): Promise<void> {
    const p = await this.morpho.position(this.market.id, user);
    this.positions.set(user, { borrowShares: p.borrowShares as bigint, collateral: p.collateral as bigint });
  }

  async advanceTo(t: number): Promise<void> {
    const target = this.startTimestamp + t;
    if (target > (await this.ctx.latestTimestamp())) {
      await this.ctx.rpc("evm_setNextBlockTimestamp", [target]);
      await this.ctx.rpc("evm_mine", []);
    }
  }

  dexPrice(): Promise<number> {
    return this.ctx.dex.priceEth();
  }

  dexMoveTo(priceEth: number): Promise<void> {
    return this.ctx.dex.moveTo(priceEth);
  }

  dexSetDepth(depthTokens: number): Promise<void> {
    return this.ctx.dex.setDepth(depthTokens);
  }

  /** The Morpho oracles read the market feed or the rate provider directly; writes are skipped when unchanged. */
  async setFeeds(f: { marketPrice: number; exchangeRate: number; backingPerToken: number }): Promise<void> {
    const { feeds } = this.ctx;
    const now = await this.ctx.latestTimestamp();
    const put = async (key: string, value: number, write: (v: number) => Promise<void>) => {
      const last = this.feedCache.get(key);
      if (last && last.value === value && now - last.at < FEED_REFRESH_SECONDS) return;
      await write(value);
      this.feedCache.set(key, { value, at: now });
    };
    await put("market", f.marketPrice, (v) => feeds.setMarketPrice(v));
    await put("rate", f.exchangeRate, (v) => feeds.setExchangeRate(v));
    await put("backing", f.backingPerToken, (v) => feeds.setBackingPerToken(v));
  }

  /** Keepers: poke the risk oracle, then trip the guard when allowed, or release it when allowed. */
  async runKeepers(): Promise<void> {
    if (!this.guard || !this.riskOracle) return;
    const asset = this.ctx.collateral;
    await this.trySend(this.riskOracle, "poke", asset);
    const paused = (await this.guard.isAssetPaused(asset)) as boolean;
    if (!paused) await this.trySend(this.guard, "trip", asset);
    else await this.trySend(this.guard, "release", asset);
    await this.pauseLog?.record();
  }

  private async trySend(c: Contract, fn: string, ...args: unknown[]): Promise<boolean> {
    try {
      await c.getFunction(fn).staticCall(...args);
    } catch {
      return false;
    }
    try {
      await (await c.getFunction(fn)(...args)).wait();
      return true;
    } catch {
      this.keeperFailures++;
      return false;
    }
  }

  private async priceEth(): Promise<{ raw: bigint; eth: number }> {
    const raw = (await this.oracle.price()) as bigint;
    return { raw, eth: Number((raw * WAD) / this.scale) / 1e18 };
  }

  /**
   * Every position with HF < 1 at the market's oracle is liquidated with the real `liquidate`, repaying the whole
   * debt when the sale of the seized collateral at the DEX covers it, else the largest of 1/2, 1/4, 1/8 that does
   * (a liquidator never sells at a loss); a position whose whole collateral is seized has its remaining debt
   * written off by Morpho (realised bad debt).
   */
  async liquidate(t: number): Promise<LiquidationRecord[]> {
    const { ctx } = this;
    await (await this.morpho.accrueInterest(this.market.params)).wait();
    const [price, mkt] = await Promise.all([this.priceEth(), this.morpho.market(this.market.id)]);
    const totalAssets = mkt.totalBorrowAssets as bigint;
    const totalShares = mkt.totalBorrowShares as bigint;
    const lif = morphoLiquidationIncentiveFactor(this.lltv);
    const collUnit = 10 ** ctx.collateralDecimals;
    let quote = await ctx.dex.quoter();
    const records: LiquidationRecord[] = [];
    for (const user of this.users) {
      const pos = this.positions.get(user);
      if (!pos || pos.borrowShares === 0n || pos.collateral === 0n) continue;
      const debtWei = borrowAssetsUp(pos.borrowShares, totalAssets, totalShares);
      const debtEth = Number(formatUnits(debtWei, ctx.wethDecimals));
      const collTokens = Number(pos.collateral) / collUnit;
      // HF = collateral x price x LLTV / debt (Morpho's _isHealthy, in floats for the pre-filter)
      const hf = (collTokens * price.eth * this.lltv) / debtEth;
      if (!(hf < PREFILTER_HF)) continue;
      // Full close first: seized = debt x LIF / price, capped at the collateral (then the rest is bad debt).
      let chosen: { seizedAssets: bigint; repaidShares: bigint } | undefined;
      for (const f of LIQUIDATION_FRACTIONS) {
        let repaidEth = debtEth * f;
        let seizedTokens = (repaidEth * lif) / price.eth;
        let all = false;
        if (seizedTokens >= collTokens) {
          seizedTokens = collTokens;
          repaidEth = (collTokens * price.eth) / lif;
          all = true;
        }
        if (!(seizedTokens > 0) || quote(seizedTokens) < repaidEth) continue;
        chosen = all
          ? { seizedAssets: pos.collateral, repaidShares: 0n }
          : { seizedAssets: 0n, repaidShares: f === 1 ? pos.borrowShares : (pos.borrowShares * BigInt(Math.round(f * 1e6))) / 1_000_000n };
        break;
      }
      if (!chosen) continue; // unprofitable at every size: nobody liquidates (bad debt can build up)
      let receipt;
      try {
        await this.morpho.liquidate.staticCall(this.market.params, user, chosen.seizedAssets, chosen.repaidShares, "0x");
        receipt = await (await this.morpho.liquidate(this.market.params, user, chosen.seizedAssets, chosen.repaidShares, "0x")).wait();
      } catch {
        continue; // healthy at the exact on-chain numbers (floats at the edge), or otherwise refused
      }
      let repaid = 0n;
      let seized = 0n;
      let badDebt = 0n;
      for (const log of receipt?.logs ?? []) {
        if (log.address.toLowerCase() !== ctx.morpho.toLowerCase()) continue;
        const parsed = this.morpho.interface.parseLog(log);
        if (parsed?.name === "Liquidate") {
          repaid += parsed.args.repaidAssets as bigint;
          seized += parsed.args.seizedAssets as bigint;
          badDebt += parsed.args.badDebtAssets as bigint;
        }
      }
      if (badDebt > 0n) {
        this.realizedBadDebt.set(user, (this.realizedBadDebt.get(user) ?? 0) + Number(formatUnits(badDebt, ctx.wethDecimals)));
      }
      await this.refresh(user);
      const proceeds = seized > 0n ? await ctx.dex.sell(ctx.liquidator, seized) : 0;
      quote = await ctx.dex.quoter();
      records.push({
        t,
        user,
        debtRepaidEth: Number(formatUnits(repaid, ctx.wethDecimals)),
        collateralSeized: Number(formatUnits(seized, ctx.collateralDecimals)),
        healthFactorBefore: hf,
        saleProceedsEth: proceeds,
        collateralBefore: collTokens,
        debtBeforeEth: debtEth,
      });
    }
    return records;
  }

  /** The attacker supplies collateral and borrows `borrowFraction` of LLTV x collateral value. */
  async attackerBorrow(ev: AttackerBorrowEvent): Promise<number> {
    const { ctx } = this;
    const attacker = await ctx.attacker.getAddress();
    const amount = parseUnits(ev.collateral.toFixed(6), ctx.collateralDecimals);
    await ctx.fund(ctx.collateral, attacker, amount);
    const token = new Contract(ctx.collateral, ERC20_ABI, ctx.attacker);
    await (await token.approve(ctx.morpho, MaxUint256)).wait();
    const morpho = this.morpho.connect(ctx.attacker) as Contract;
    try {
      await (await morpho.supplyCollateral(this.market.params, amount, attacker, "0x")).wait();
    } catch {
      return 0;
    }
    if (!this.attackerActive) {
      this.users.push(attacker);
      this.attackerActive = true;
    }
    const price = await this.priceEth();
    const maxEth = ev.collateral * price.eth * this.lltv;
    const borrow = parseUnits((maxEth * ev.borrowFraction * 0.999).toFixed(6), ctx.wethDecimals);
    if (borrow === 0n) return 0;
    try {
      await (await morpho.borrow(this.market.params, borrow, 0, attacker, attacker)).wait();
    } catch {
      await this.refresh(attacker);
      return 0;
    }
    await this.refresh(attacker);
    return Number(formatUnits(borrow, ctx.wethDecimals));
  }

  async observe(): Promise<MarketObservation> {
    const price = await this.priceEth();
    const lltvBps = Math.round(this.lltv * 10_000);
    const paused = this.guard ? ((await this.guard.isAssetPaused(this.ctx.collateral)) as boolean) : false;
    // Morpho has no LTV below the LLTV and no freeze: both columns show the immutable LLTV / never frozen.
    return { oraclePrice: price.eth, ltvBps: lltvBps, liquidationThresholdBps: lltvBps, paused, frozen: false };
  }

  async pauses(): Promise<PauseInterval[]> {
    return this.pauseLog ? this.pauseLog.pauses() : [];
  }

  async guardLimits(): Promise<GuardLimits | null> {
    return this.pauseLog ? this.pauseLog.limits() : null;
  }

  /**
   * Balances at the end. Debt written off by Morpho (realised bad debt, socialised to suppliers) is reported as debt
   * of its account with no collateral, so the engine's bad-debt sum counts realised and latent bad debt alike.
   */
  async accounts(): Promise<AccountBalance[]> {
    await (await this.morpho.accrueInterest(this.market.params)).wait();
    const mkt = await this.morpho.market(this.market.id);
    const out: AccountBalance[] = [];
    const attacker = this.attackerActive ? await this.ctx.attacker.getAddress() : undefined;
    for (const user of this.users) {
      await this.refresh(user);
      const p = this.positions.get(user)!;
      const debtWei = borrowAssetsUp(p.borrowShares, mkt.totalBorrowAssets as bigint, mkt.totalBorrowShares as bigint);
      out.push({
        user,
        collateralTokens: Number(formatUnits(p.collateral, this.ctx.collateralDecimals)),
        debtEth: Number(formatUnits(debtWei, this.ctx.wethDecimals)) + (this.realizedBadDebt.get(user) ?? 0),
        ...(user === attacker ? { attacker: true } : {}),
      });
    }
    return out;
  }
}
