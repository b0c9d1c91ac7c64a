/**
 * The local Morpho Blue replica: the real Morpho Blue contract (compiled from `@morpho-org/morpho-blue@1.0.0`), our
 * IRM (`ReplicaMorphoIrm`: the AdaptiveCurveIrm curve with a fixed rate at target, see its NatSpec), LLTVs and IRM
 * enabled by the owner, test tokens, LRT/ETH feeds, rate providers, the replica's price sources and one
 * `ReplicaMorphoOracle` (Morpho `IOracle`) per market, markets created through the real `createMarket`, and one DEX
 * pool per LRT (the replica's own pools). Network-agnostic: one ethers signer in, handles and an address book out.
 *
 * Every market creation is checked first (nothing is sent when a check fails): the LLTV and the IRM must be
 * enabled on Morpho, and the oracle must answer a non-zero price.
 */
import { AbiCoder, Contract, keccak256, type Signer } from "ethers";
import type { ReplicaFeed, ReplicaRateProvider, ReplicaToken, MarketPriceSource, ExchangeRatePriceSource } from "../../../typechain-types";
import { addressOf, compiledArtifact, deployArtifact, localArtifact, send, type HardhatArtifact } from "../../aave";
import { deployReplicaDexPool, ethToWei, WAD, type ReplicaAsset } from "../replica/deployReplicaMarket";
import { loadMarketFile, type PriceRegime, type ReserveSpec } from "../replica/marketFile";
import { loadMorphoMarketFile, lltvWad, type MorphoMarketFile } from "./marketFile";

const YEAR_SECONDS = 365 * 86_400;

/** Morpho Blue's compiled artifact (solc 0.8.19, from the package source). */
export function morphoArtifact(): HardhatArtifact {
  return compiledArtifact("@morpho-org/morpho-blue/src/Morpho.sol/Morpho.json");
}

/** Morpho's `MarketParams`. */
export interface MorphoMarketParams {
  loanToken: string;
  collateralToken: string;
  oracle: string;
  irm: string;
  lltv: bigint;
}

/** Morpho's market id: keccak256(abi.encode(loanToken, collateralToken, oracle, irm, lltv)). */
export function morphoMarketId(p: MorphoMarketParams): string {
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(["address", "address", "address", "address", "uint256"], [p.loanToken, p.collateralToken, p.oracle, p.irm, p.lltv]),
  );
}

/** The LLTV is not enabled on this Morpho instance (only its owner can enable one). Nothing was sent. */
export class MorphoLltvNotEnabledError extends Error {
  constructor(readonly morpho: string, readonly lltv: bigint, where: string) {
    super(`${where}: LLTV ${Number(lltv) / 1e16}% (${lltv}) is not enabled on Morpho ${morpho}; the owner must call enableLltv first (nothing was sent)`);
    this.name = "MorphoLltvNotEnabledError";
  }
}

/** The IRM is not enabled on this Morpho instance. Nothing was sent. */
export class MorphoIrmNotEnabledError extends Error {
  constructor(readonly morpho: string, readonly irm: string, where: string) {
    super(`${where}: IRM ${irm} is not enabled on Morpho ${morpho}; the owner must call enableIrm first (nothing was sent)`);
    this.name = "MorphoIrmNotEnabledError";
  }
}

/** The oracle answers zero (or reverts): Morpho would value every position's collateral at nothing. Nothing was sent. */
export class MorphoOracleZeroPriceError extends Error {
  constructor(readonly oracle: string, where: string, detail = "price() = 0") {
    super(`${where}: oracle ${oracle} ${detail}; a market with this oracle would treat all collateral as worthless (nothing was sent)`);
    this.name = "MorphoOracleZeroPriceError";
  }
}

const MORPHO_VIEW_ABI = [
  "function owner() view returns (address)",
  "function isLltvEnabled(uint256) view returns (bool)",
  "function isIrmEnabled(address) view returns (bool)",
  "function enableLltv(uint256)",
  "function enableIrm(address)",
  "function idToMarketParams(bytes32) view returns (address loanToken, address collateralToken, address oracle, address irm, uint256 lltv)",
  "function createMarket((address loanToken, address collateralToken, address oracle, address irm, uint256 lltv))",
];

/** Deploys Morpho Blue with `owner`. */
export async function deployMorphoBlue(deployer: Signer, owner?: string): Promise<Contract> {
  return deployArtifact<Contract>(morphoArtifact(), deployer, [owner ?? (await deployer.getAddress())]);
}

/** Deploys our IRM (`ReplicaMorphoIrm`) from the market file's curve. */
export async function deployReplicaIrm(deployer: Signer, irm: MorphoMarketFile["irm"]): Promise<Contract> {
  const target = BigInt(irm.targetUtilizationBps) * 10n ** 14n;
  const steepness = BigInt(irm.curveSteepnessBps) * 10n ** 14n;
  const ratePerSecond = (BigInt(irm.rateAtTargetAprBps) * 10n ** 14n) / BigInt(YEAR_SECONDS);
  return deployArtifact<Contract>(localArtifact("mocks/replica/ReplicaMorphoIrm.sol", "ReplicaMorphoIrm"), deployer, [target, steepness, ratePerSecond]);
}

/** Owner only: enables the IRM and LLTVs not yet enabled (re-running is a no-op). */
export async function enableIrmAndLltvs(req: { morpho: Contract; owner: Signer; irm: string; lltvs: bigint[] }): Promise<void> {
  const m = new Contract(await addressOf(req.morpho), MORPHO_VIEW_ABI, req.owner);
  if (!(await m.isIrmEnabled(req.irm))) await send(`Morpho.enableIrm(${req.irm})`, m.enableIrm(req.irm));
  for (const lltv of [...new Set(req.lltvs)]) {
    if (!(await m.isLltvEnabled(lltv))) await send(`Morpho.enableLltv(${lltv})`, m.enableLltv(lltv));
  }
}

/**
 * Creates a market through the real `createMarket` after checking, without sending anything, that the LLTV and IRM
 * are enabled and that the oracle answers a non-zero price. Returns the market id. A market that already exists
 * is left alone (re-running is a no-op).
 */
export async function createMorphoMarket(req: { morpho: Contract; signer: Signer; params: MorphoMarketParams; label?: string }): Promise<string> {
  const where = `createMorphoMarket(${req.label ?? req.params.collateralToken})`;
  const morphoAddress = await addressOf(req.morpho);
  const m = new Contract(morphoAddress, MORPHO_VIEW_ABI, req.signer);
  const id = morphoMarketId(req.params);
  const existing = await m.idToMarketParams(id);
  if (existing.lltv !== 0n) return id;
  if (!(await m.isLltvEnabled(req.params.lltv))) throw new MorphoLltvNotEnabledError(morphoAddress, req.params.lltv, where);
  if (!(await m.isIrmEnabled(req.params.irm))) throw new MorphoIrmNotEnabledError(morphoAddress, req.params.irm, where);
  const oracle = new Contract(req.params.oracle, ["function price() view returns (uint256)"], req.signer);
  let price: bigint;
  try {
    price = (await oracle.price()) as bigint;
  } catch (err) {
    throw new MorphoOracleZeroPriceError(req.params.oracle, where, `price() reverted (${(err as Error).message.split("\n")[0]})`);
  }
  if (price === 0n) throw new MorphoOracleZeroPriceError(req.params.oracle, where);
  await send(`Morpho.createMarket(${req.label ?? id})`, m.createMarket(req.params));
  return id;
}

/** One collateral of the Morpho replica with everything that drives its price. */
export interface MorphoReplicaAsset extends ReplicaAsset {
  rateProvider: ReplicaRateProvider;
  marketFeed: ReplicaFeed;
  marketPriceSource: MarketPriceSource;
  exchangeRatePriceSource: ExchangeRatePriceSource;
}

export interface MorphoReplicaMarket {
  symbol: string;
  lltvBps: number;
  regime: PriceRegime;
  /** The replica oracle of the market (`ReplicaMorphoOracle` over the regime's price source). */
  oracle: Contract;
  params: MorphoMarketParams;
  id: string;
}

export interface MorphoReplica {
  morpho: Contract;
  irm: Contract;
  deployer: Signer;
  file: MorphoMarketFile;
  ethUsdFeed: ReplicaFeed;
  weth: ReplicaAsset;
  assets: Record<string, MorphoReplicaAsset>;
  markets: Record<string, MorphoReplicaMarket>;
}

export interface DeployMorphoReplicaRequest {
  deployer: Signer;
  /** Morpho market file (default `markets/morpho-blue-ethereum-lrt.json`). */
  marketFile?: string;
  /** Only these collaterals (default: every market of the file). */
  symbols?: string[];
  /** Override the file's oracle regime per collateral. */
  regime?: Record<string, PriceRegime>;
  /** Skip the DEX pools. */
  withoutDex?: boolean;
  /** WETH the deployer supplies to every market as lender (ETH). Default 0. */
  initialWethLiquidityEth?: number;
}

const art = {
  token: () => localArtifact("mocks/tokens/ReplicaToken.sol", "ReplicaToken"),
  feed: () => localArtifact("mocks/replica/ReplicaFeed.sol", "ReplicaFeed"),
  rate: () => localArtifact("mocks/replica/ReplicaRateProvider.sol", "ReplicaRateProvider"),
  market: () => localArtifact("mocks/replica/MarketPriceSource.sol", "MarketPriceSource"),
  exchange: () => localArtifact("mocks/replica/ExchangeRatePriceSource.sol", "ExchangeRatePriceSource"),
  oracle: () => localArtifact("mocks/replica/ReplicaMorphoOracle.sol", "ReplicaMorphoOracle"),
};

/** Deploys the whole Morpho replica. Not idempotent (fresh contracts each call). */
export async function deployMorphoReplica(req: DeployMorphoReplicaRequest): Promise<MorphoReplica> {
  const { deployer } = req;
  const file = loadMorphoMarketFile(req.marketFile);
  const tokenSpecs = loadMarketFile(file.tokenSpecsFrom);
  const wanted = file.markets.filter((m) => !req.symbols || req.symbols.includes(m.collateral));
  for (const s of req.symbols ?? []) {
    if (!file.markets.some((m) => m.collateral === s)) throw new Error(`${file.file}: /markets: expected a market for ${s}; found ${file.markets.map((m) => m.collateral).join(", ")}`);
  }
  const specOf = (symbol: string): ReserveSpec => {
    const spec = tokenSpecs.reserves.find((r) => r.symbol === symbol);
    if (!spec) throw new Error(`${file.file}: collateral ${symbol} has no token spec in ${file.tokenSpecsFrom}`);
    return spec;
  };
  const me = await deployer.getAddress();
  const provider = deployer.provider;
  if (!provider) throw new Error("deployMorphoReplica: the deployer signer has no provider");
  const now = (await provider.getBlock("latest"))?.timestamp ?? Math.floor(Date.now() / 1000);

  const morpho = await deployMorphoBlue(deployer, me);
  const irm = await deployReplicaIrm(deployer, file.irm);
  const irmAddress = await addressOf(irm);
  await enableIrmAndLltvs({ morpho, owner: deployer, irm: irmAddress, lltvs: wanted.map((m) => lltvWad(m.lltvBps)) });

  const ethUsdFeed = await deployArtifact<ReplicaFeed>(art.feed(), deployer, [8, "ETH / USD", tokenSpecs.ethUsdPrice8, me]);
  const ethUsd = await addressOf(ethUsdFeed);
  const wethSpec = tokenSpecs.reserves.find((r) => r.kind === "eth");
  if (!wethSpec) throw new Error(`${file.tokenSpecsFrom}: no reserve of kind "eth"`);
  const wethToken = await deployArtifact<ReplicaToken>(art.token(), deployer, [wethSpec.name, wethSpec.symbol, wethSpec.decimals, me]);
  const weth: ReplicaAsset = { symbol: wethSpec.symbol, spec: wethSpec, token: wethToken, address: await addressOf(wethToken), regime: "eth-usd" };

  const assets: Record<string, MorphoReplicaAsset> = {};
  const markets: Record<string, MorphoReplicaMarket> = {};
  for (const m of wanted) {
    const spec = specOf(m.collateral);
    if (!spec.rate) throw new Error(`${file.tokenSpecsFrom}: ${m.collateral} has no exchange rate (not an LRT/LST)`);
    const token = await deployArtifact<ReplicaToken>(art.token(), deployer, [spec.name, spec.symbol, spec.decimals, me]);
    const rateProvider = await deployArtifact<ReplicaRateProvider>(art.rate(), deployer, [spec.rate.initialRateWad, me]);
    const marketFeed = await deployArtifact<ReplicaFeed>(art.feed(), deployer, [18, `${spec.symbol} / ETH`, spec.rate.initialRateWad, me]);
    const marketPriceSource = await deployArtifact<MarketPriceSource>(art.market(), deployer, [await addressOf(marketFeed), ethUsd]);
    const exchangeRatePriceSource = await deployArtifact<ExchangeRatePriceSource>(art.exchange(), deployer, [
      await addressOf(rateProvider),
      ethUsd,
      spec.rate.initialRateWad,
      now,
      spec.rate.capoMaxYearlyGrowthBps,
    ]);
    const regime = req.regime?.[m.collateral] ?? m.regime;
    const asset: MorphoReplicaAsset = {
      symbol: spec.symbol,
      spec,
      token,
      address: await addressOf(token),
      rateProvider,
      marketFeed,
      marketPriceSource,
      exchangeRatePriceSource,
      regime,
    };
    const source = regime === "market-price" ? marketPriceSource : exchangeRatePriceSource;
    const oracle = await deployArtifact<Contract>(art.oracle(), deployer, [await addressOf(source), spec.decimals, wethSpec.decimals]);
    const params: MorphoMarketParams = {
      loanToken: weth.address,
      collateralToken: asset.address,
      oracle: await addressOf(oracle),
      irm: irmAddress,
      lltv: lltvWad(m.lltvBps),
    };
    const id = await createMorphoMarket({ morpho, signer: deployer, params, label: `${spec.symbol}/WETH ${m.lltvBps / 100}%` });
    assets[m.collateral] = asset;
    markets[m.collateral] = { symbol: m.collateral, lltvBps: m.lltvBps, regime, oracle, params, id };
    if (!req.withoutDex && spec.dex) await deployReplicaDexPool(asset, weth, deployer);
  }
  const replica: MorphoReplica = { morpho, irm, deployer, file, ethUsdFeed, weth, assets, markets };
  if (req.initialWethLiquidityEth) {
    for (const m of Object.values(markets)) await supplyMorphoWeth(replica, m.params, ethToWei(req.initialWethLiquidityEth));
  }
  return replica;
}

const MORPHO_ACTIONS_ABI = [
  "function supply((address loanToken, address collateralToken, address oracle, address irm, uint256 lltv), uint256 assets, uint256 shares, address onBehalf, bytes data) returns (uint256, uint256)",
];

/** Mints WETH to the deployer and supplies it to a market (the market's lender). */
export async function supplyMorphoWeth(replica: MorphoReplica, params: MorphoMarketParams, amountWei: bigint): Promise<void> {
  const me = await replica.deployer.getAddress();
  const morpho = await addressOf(replica.morpho);
  await send("mint WETH liquidity", replica.weth.token.mint(me, amountWei));
  await send("approve WETH liquidity", replica.weth.token.approve(morpho, amountWei));
  const m = new Contract(morpho, MORPHO_ACTIONS_ABI, replica.deployer);
  await send("Morpho.supply(WETH)", m.supply(params, amountWei, 0, me, "0x"));
}

/** One borrower position to open: collateral tokens and WETH borrowed (wei). */
export interface MorphoPositionPlan {
  collateralWei: bigint;
  borrowWei: bigint;
}

/**
 * Opens positions through the real `supplyCollateral` / `borrow` (each in its own account, batched through
 * `MorphoPositionOpener`), supplying the WETH they borrow first. Returns the borrower accounts.
 */
export async function openMorphoPositions(req: {
  replica: MorphoReplica;
  params: MorphoMarketParams;
  plans: MorphoPositionPlan[];
  batchSize?: number;
  opener?: Contract;
}): Promise<{ accounts: string[]; opener: Contract }> {
  const { replica, params, plans } = req;
  const me = await replica.deployer.getAddress();
  const opener =
    req.opener ??
    (await deployArtifact<Contract>(localArtifact("mocks/replica/MorphoPositionOpener.sol", "MorphoPositionOpener"), replica.deployer, [
      await addressOf(replica.morpho),
      me,
    ]));
  const borrowTotal = plans.reduce((a, p) => a + p.borrowWei, 0n);
  if (borrowTotal > 0n) await supplyMorphoWeth(replica, params, borrowTotal);
  const collateral = new Contract(params.collateralToken, ["function mint(address,uint256)"], replica.deployer);
  const collTotal = plans.reduce((a, p) => a + p.collateralWei, 0n);
  await send("mint collateral for positions", collateral.mint(await addressOf(opener), collTotal));
  const accounts: string[] = [];
  const batch = req.batchSize ?? 25;
  for (let i = 0; i < plans.length; i += batch) {
    const slice = plans.slice(i, i + batch).map((p) => ({ collateralAmount: p.collateralWei, borrowAmount: p.borrowWei }));
    const receipt = await send(`MorphoPositionOpener.openPositions(${i}..${i + slice.length - 1})`, opener.openPositions(params, slice));
    for (const log of receipt.logs) {
      const parsed = opener.interface.parseLog(log);
      if (parsed?.name === "MorphoPositionOpened") accounts.push(parsed.args.account as string);
    }
  }
  return { accounts, opener };
}

export { WAD };
