/**
 * DEX port on the replica's on-chain constant-product pool (`contracts/mocks/dex/ConstantProductPool.sol`, replica
 * area): liquidators really swap seized collateral into it; the path's market moves are applied by an arbitrageur
 * account (the deployer, a minter of both test tokens) trading the pool to the target price; liquidity changes go
 * through `addLiquidity` / `removeLiquidity` (owner).
 */
import { Contract, Interface, MaxUint256, formatUnits, type Signer } from "ethers";
import type { DexPort } from "./chainWorld";
import { cpSellCollateral } from "../../spec/dexMath";
import { sendRawCall } from "./bots";

/** Explicit gas limits (no `eth_estimateGas` round, which would run each swap twice). */
const SWAP_GAS = 1_000_000n;
const MINT_GAS = 500_000n;

const POOL_ABI = [
  "function getReserves() view returns (uint256 reserve0, uint256 reserve1)",
  "function spotPriceWad() view returns (uint256)",
  "function quote(address tokenIn, uint256 amountIn) view returns (uint256)",
  "function swap(address tokenIn, uint256 amountIn, uint256 minAmountOut, address to) returns (uint256)",
  "function addLiquidity(uint256 amount0, uint256 amount1)",
  "function removeLiquidity(uint256 amount0, uint256 amount1, address to)",
  "function FEE_BPS() view returns (uint256)",
  "event Swapped(address indexed sender, address indexed tokenIn, uint256 amountIn, uint256 amountOut, address indexed to)",
];
const TOKEN_ABI = [
  "function approve(address,uint256) returns (bool)",
  "function balanceOf(address) view returns (uint256)",
  "function mint(address,uint256)",
];

const TOKEN_IFACE = new Interface(TOKEN_ABI);

const toWad = (x: number) => BigInt(Math.round(x * 1e9)) * 10n ** 9n;

export class OnchainDexPort implements DexPort {
  readonly kind = "on-chain constant-product";
  /** The pool's address: a liquidator contract may sell into it in the liquidation's own transaction. */
  readonly onchainPool: string;
  private readonly pool: Contract;
  private readonly approved = new Set<string>();
  private feeBps: number | undefined;

  /** `operator` owns the pool and may mint both tokens (it is the arbitrageur and the liquidity provider). */
  constructor(
    private readonly poolAddress: string,
    private readonly lrt: string,
    private readonly weth: string,
    private readonly operator: Signer,
    private readonly decimals = 18,
    /**
     * When given, the arbitrageur's swaps and mints go over raw JSON-RPC (two requests each instead of four), and the
     * pool's reserves, price and the arbitrageur's balances are read with raw `eth_call`s (no ethers decoding).
     */
    private readonly rpc?: (method: string, params: unknown[]) => Promise<unknown>,
    /** `receipts: false`: the raw sends skip the receipt (in-process Hardhat network only; see bots.ts `sendRawCall`). */
    private readonly options: { receipts?: boolean } = {},
  ) {
    this.pool = new Contract(poolAddress, POOL_ABI, operator);
    this.onchainPool = poolAddress;
  }

  /** A view call's return words (raw `eth_call` when `rpc` is given, else through ethers). */
  private async viewWords(to: string, fn: "getReserves" | "spotPriceWad" | "balanceOf", args: unknown[] = []): Promise<bigint[]> {
    if (!this.rpc) {
      const c = fn === "balanceOf" ? new Contract(to, TOKEN_ABI, this.operator) : this.pool;
      const out = await c.getFunction(fn)(...args);
      return Array.isArray(out) || typeof out === "object" ? [...(out as bigint[])] : [out as bigint];
    }
    const data = (fn === "balanceOf" ? TOKEN_IFACE : this.pool.interface).encodeFunctionData(fn, args);
    const ret = (await this.rpc("eth_call", [{ to, data }, "latest"])) as string;
    const words: bigint[] = [];
    for (let i = 2; i + 64 <= ret.length; i += 64) words.push(BigInt("0x" + ret.slice(i, i + 64)));
    return words;
  }

  private async reserves(): Promise<[bigint, bigint]> {
    const [r0, r1] = await this.viewWords(this.poolAddress, "getReserves");
    return [r0, r1];
  }

  private async operatorAddress(): Promise<string> {
    this.operatorAddr ??= await this.operator.getAddress();
    return this.operatorAddr;
  }
  private operatorAddr?: string;

  private async ensure(token: string, signer: Signer, amount: bigint): Promise<void> {
    const addr = await signer.getAddress();
    const key = `${token}:${addr}`;
    if (!this.approved.has(key)) {
      await (await new Contract(token, TOKEN_ABI, signer).approve(this.poolAddress, MaxUint256)).wait();
      this.approved.add(key);
    }
    const [bal] = await this.viewWords(token, "balanceOf", [addr]);
    if (bal >= amount) return;
    if (this.rpc) {
      const data = TOKEN_IFACE.encodeFunctionData("mint", [addr, amount - bal]);
      await sendRawCall({ rpc: this.rpc, from: await this.operatorAddress(), to: token, data, gasLimit: MINT_GAS, receipt: this.options.receipts });
      return;
    }
    await (await new Contract(token, TOKEN_ABI, this.operator).mint(addr, amount - bal, { gasLimit: MINT_GAS })).wait();
  }

  /** The arbitrageur's swap (external flow). */
  private async operatorSwap(tokenIn: string, amountIn: bigint, to: string): Promise<void> {
    if (this.rpc) {
      const data = this.pool.interface.encodeFunctionData("swap", [tokenIn, amountIn, 0, to]);
      await sendRawCall({ rpc: this.rpc, from: await this.operatorAddress(), to: this.poolAddress, data, gasLimit: SWAP_GAS, receipt: this.options.receipts });
      return;
    }
    await (await this.pool.swap(tokenIn, amountIn, 0, to, { gasLimit: SWAP_GAS })).wait();
  }

  resetCaches(): void {
    this.approved.clear();
  }

  async priceEth(): Promise<number> {
    const [p] = await this.viewWords(this.poolAddress, "spotPriceWad");
    return Number(p) / 1e18;
  }

  async quoteSellEth(collateralTokens: number): Promise<number> {
    if (collateralTokens <= 0) return 0;
    const out = (await this.pool.quote(this.lrt, toWad(collateralTokens))) as bigint;
    return Number(formatUnits(out, 18));
  }

  async quoter(): Promise<(collateralTokens: number) => number> {
    if (this.feeBps === undefined) this.feeBps = Number((await this.pool.FEE_BPS()) as bigint);
    const [r0, r1] = await this.reserves();
    const reserves = { collateral: Number(formatUnits(r0, this.decimals)), eth: Number(formatUnits(r1, 18)) };
    const fee = this.feeBps;
    return (x) => cpSellCollateral(reserves, x, fee).ethOut;
  }

  async sell(seller: Signer, amount: bigint): Promise<number> {
    const addr = await seller.getAddress();
    const key = `${this.lrt}:${addr}`;
    if (!this.approved.has(key)) {
      await (await new Contract(this.lrt, TOKEN_ABI, seller).approve(this.poolAddress, MaxUint256)).wait();
      this.approved.add(key);
    }
    const receipt = await (await (this.pool.connect(seller) as Contract).swap(this.lrt, amount, 0, addr, { gasLimit: SWAP_GAS })).wait();
    let out = 0n;
    for (const log of receipt?.logs ?? []) {
      const parsed = this.pool.interface.parseLog(log);
      if (parsed?.name === "Swapped") out += parsed.args.amountOut as bigint;
    }
    return Number(formatUnits(out, 18));
  }

  /**
   * Trades the pool to `priceEth` (x' = sqrt(k/p), y' = sqrt(k*p)); the fee makes one pass land within a few bp, so a
   * second pass corrects the remainder.
   */
  async moveTo(priceEth: number): Promise<void> {
    const me = await this.operatorAddress();
    for (let pass = 0; pass < 2; pass++) {
      const [r0, r1] = await this.reserves();
      const x = Number(formatUnits(r0, this.decimals));
      const y = Number(formatUnits(r1, 18));
      const current = y / x;
      if (Math.abs(current / priceEth - 1) < 1e-5) return;
      const k = x * y;
      if (this.feeBps === undefined) this.feeBps = Number((await this.pool.FEE_BPS()) as bigint);
      const fee = this.feeBps / 10_000;
      if (priceEth < current) {
        const amountIn = toWad((Math.sqrt(k / priceEth) - x) / (1 - fee));
        if (amountIn === 0n) return;
        await this.ensure(this.lrt, this.operator, amountIn);
        await this.operatorSwap(this.lrt, amountIn, me);
      } else {
        const amountIn = toWad((Math.sqrt(k * priceEth) - y) / (1 - fee));
        if (amountIn === 0n) return;
        await this.ensure(this.weth, this.operator, amountIn);
        await this.operatorSwap(this.weth, amountIn, me);
      }
    }
  }

  async setDepth(depthTokens: number): Promise<void> {
    const [r0, r1] = await this.reserves();
    const target = toWad(depthTokens);
    if (target === r0) return;
    const me = await this.operator.getAddress();
    if (target > r0) {
      const add0 = target - r0;
      const add1 = r0 === 0n ? add0 : (add0 * r1) / r0;
      await this.ensure(this.lrt, this.operator, add0);
      await this.ensure(this.weth, this.operator, add1);
      await (await this.pool.addLiquidity(add0, add1)).wait();
    } else {
      const rem0 = r0 - target;
      const rem1 = (rem0 * r1) / r0;
      await (await this.pool.removeLiquidity(rem0, rem1, me)).wait();
    }
  }
}
