/**
 * `cascade:deploy --morpho-oracle <symbol>`: deploys a `RiskAwareOracle` for one collateral of a Morpho market from
 * the address book (the Cascade Guard risk oracle, pause guard and rate adapter, and the market feed), and records
 * it in the book's `riskAwareOracles` section. A Morpho market fixes its oracle at creation: the curator creates
 * the market with the address printed here (`replica:deploy --venue morpho` does it on the replica).
 *
 * Everything is checked before anything is sent: the book has the addresses, the guard reads that risk oracle,
 * the asset is configured there, the parameters are within the contract's bounds, and the constructor is run once
 * as a call (a would-be zero price, `RiskAwareOracleZeroPrice`, or any other named error stops here).
 * Re-running with the same parameters while the oracle is live is a no-op.
 */
import { Contract, ContractFactory, getAddress, type Provider, type Signer } from "ethers";
import { localArtifact } from "../aave/artifacts";
import { validateRiskAwareOracleRequest } from "../guard/riskAwareOracle";
import { readAddressBook, writeBookSection } from "./morphoBook";

export const RISK_AWARE_BOOK_KEY = "riskAwareOracles";

export interface RiskAwareOracleRecord {
  address: string;
  asset: string;
  riskOracle: string;
  guard: string;
  marketFeed: string;
  rateAdapter: string;
  floorToleranceBps: number;
  maxFloorSeconds: number;
  marketHeartbeatSeconds: number;
  collateralDecimals: number;
  loanDecimals: number;
  deployedAt: string;
  blockNumber: number;
}

export interface MorphoOracleDeployArgs {
  signer: Signer;
  provider: Provider;
  bookFile: string;
  symbol: string;
  floorToleranceBps?: number;
  maxFloorSeconds?: number;
  marketHeartbeatSeconds?: number;
  /** Decimals of the loan token (default 18, WETH). */
  loanDecimals?: number;
  log?: (line: string) => void;
}

interface Sources {
  asset: string;
  riskOracle: string;
  guard: string;
  marketFeed: string;
  rateAdapter: string;
  from: string;
}

/** Finds the addresses for `symbol` in the book: the Morpho replica's section first, else `cascadeGuard`. */
export function resolveOracleSources(book: Record<string, unknown>, symbol: string, file: string): Sources {
  const m = book.morpho as
    | { markets?: Record<string, { collateral: string; marketFeed: string }>; cascadeGuard?: { riskOracle: string; pauseGuard: string; rateAdapters: Record<string, string> } }
    | undefined;
  if (m?.cascadeGuard && m.markets?.[symbol]) {
    return {
      asset: m.markets[symbol].collateral,
      riskOracle: m.cascadeGuard.riskOracle,
      guard: m.cascadeGuard.pauseGuard,
      marketFeed: m.markets[symbol].marketFeed,
      rateAdapter: m.cascadeGuard.rateAdapters[symbol],
      from: "morpho",
    };
  }
  const c = book.cascadeGuard as
    | { contracts?: Record<string, { address: string }>; assets?: Record<string, { asset: string; rateAdapter?: string; marketFeed?: string }> }
    | undefined;
  const a = c?.assets?.[symbol];
  const oracle = c?.contracts?.CollateralRiskOracle?.address;
  const guard = c?.contracts?.LiquidationPauseGuard?.address;
  if (!a || !oracle || !guard || !a.rateAdapter || !a.marketFeed) {
    const known = [...Object.keys(m?.markets ?? {}), ...Object.keys(c?.assets ?? {})];
    throw new Error(
      `${file}: ${symbol}: expected Cascade Guard addresses for it (morpho.markets.${symbol} + morpho.cascadeGuard, or cascadeGuard.assets.${symbol} with rateAdapter and marketFeed); found ${known.length ? `only ${known.join(", ")}` : "none"} (run replica:deploy --venue morpho or cascade:deploy first)`,
    );
  }
  return { asset: a.asset, riskOracle: oracle, guard, marketFeed: a.marketFeed, rateAdapter: a.rateAdapter, from: "cascadeGuard" };
}

/** Validates, pre-runs the constructor, deploys and records the oracle; returns its record. */
export async function runMorphoOracleDeploy(args: MorphoOracleDeployArgs): Promise<{ record: RiskAwareOracleRecord; deployedNow: boolean }> {
  const log = args.log ?? console.log;
  const where = `cascade:deploy --morpho-oracle ${args.symbol}`;
  const book = readAddressBook(args.bookFile);
  const src = resolveOracleSources(book, args.symbol, args.bookFile);
  const token = new Contract(src.asset, ["function decimals() view returns (uint8)"], args.provider);
  const collateralDecimals = Number(await token.decimals());
  const request = {
    deployer: args.signer,
    asset: src.asset,
    riskOracle: src.riskOracle,
    guard: src.guard,
    marketFeed: src.marketFeed,
    rateAdapter: src.rateAdapter,
    floorToleranceBps: args.floorToleranceBps,
    maxFloorSeconds: args.maxFloorSeconds,
    marketHeartbeatSeconds: args.marketHeartbeatSeconds,
    collateralDecimals,
    loanDecimals: args.loanDecimals ?? 18,
  };
  const v = validateRiskAwareOracleRequest(request, where);
  const guard = new Contract(src.guard, ["function ORACLE() view returns (address)"], args.provider);
  const guardOracle = getAddress(await guard.ORACLE());
  if (guardOracle !== getAddress(src.riskOracle)) throw new Error(`${where}: guard ${src.guard} reads risk oracle ${guardOracle}, not ${src.riskOracle} (book section ${src.from})`);
  const oracle = new Contract(src.riskOracle, ["function isAssetConfigured(address) view returns (bool)"], args.provider);
  if (!(await oracle.isAssetConfigured(src.asset))) throw new Error(`${where}: asset ${src.asset} is not configured in risk oracle ${src.riskOracle}`);

  const params = {
    asset: src.asset,
    riskOracle: src.riskOracle,
    guard: src.guard,
    marketFeed: src.marketFeed,
    rateAdapter: src.rateAdapter,
    marketHeartbeatSeconds: v.marketHeartbeatSeconds,
    floorToleranceBps: v.floorToleranceBps,
    maxFloorSeconds: v.maxFloorSeconds,
    collateralDecimals,
    loanDecimals: request.loanDecimals,
  };
  const existing = (book[RISK_AWARE_BOOK_KEY] as Record<string, RiskAwareOracleRecord> | undefined)?.[args.symbol];
  if (existing && (await args.provider.getCode(existing.address)) !== "0x") {
    const same = (Object.keys(params) as (keyof typeof params)[]).every((k) => String(existing[k]).toLowerCase() === String(params[k]).toLowerCase());
    if (same) {
      log(`${where}: RiskAwareOracle ${existing.address} is live with these parameters; nothing to do`);
      return { record: existing, deployedNow: false };
    }
  }

  const artifact = localArtifact("oracle/RiskAwareOracle.sol", "RiskAwareOracle");
  const factory = new ContractFactory(artifact.abi, artifact.bytecode, args.signer);
  const tx = await factory.getDeployTransaction(params);
  try {
    await args.signer.call({ ...tx });
  } catch (err) {
    const data = (err as { data?: string }).data ?? (err as { info?: { error?: { data?: string } } }).info?.error?.data;
    const decoded = data ? factory.interface.parseError(data) : null;
    const reason = decoded ? `${decoded.name}(${decoded.args.map(String).join(", ")})` : (err as Error).message.split("\n")[0];
    throw new Error(`${where}: the RiskAwareOracle constructor would revert with ${reason}; nothing was sent`);
  }
  const contract = await factory.deploy(params);
  const receipt = await contract.deploymentTransaction()!.wait();
  const record: RiskAwareOracleRecord = {
    address: await contract.getAddress(),
    ...params,
    deployedAt: new Date().toISOString(),
    blockNumber: receipt!.blockNumber,
  };
  const section = { ...((book[RISK_AWARE_BOOK_KEY] as Record<string, unknown>) ?? {}), [args.symbol]: record };
  writeBookSection(args.bookFile, RISK_AWARE_BOOK_KEY, section);
  log(`${where}: RiskAwareOracle ${record.address} (floor ${v.floorToleranceBps} bps under rate x backing, at most ${v.maxFloorSeconds} s per pause); create the Morpho market with this oracle`);
  return { record, deployedNow: true };
}
