import { ethers } from "hardhat";
import type { Signer } from "ethers";

/** The guard fixture's WETH reference reserve (an address Aave's oracle prices at ETH/USD). */
export const FIXTURE_WETH = "0x000000000000000000000000000000000000e7E1"; // checksummed

const AAVE_ORACLE = "@aave-dao/aave-v3-origin/src/contracts/misc/AaveOracle.sol:AaveOracle";

/**
 * An Aave price oracle (AaveOracle, USD with 8 decimals, compiled from @aave-dao/aave-v3-origin) on `provider`,
 * pricing a WETH reference at the ETH/USD feed and `asset` either by its market feed (MarketPriceSource) or by its
 * exchange rate (ExchangeRatePriceSource, CAPO-like, 10%/year growth cap). `listingAdmin` must be an Aave pool
 * admin on the provider's ACL manager.
 */
export async function deployAavePricing(req: {
  provider: { getAddress(): Promise<string> } | string;
  listingAdmin: Signer;
  asset: string;
  marketFeed: string;
  rateProvider: string;
  rateWad: bigint;
  pricing: "MARKET" | "EXCHANGE_RATE";
  setOnProvider?: boolean;
  /** Prices every other asset the risk oracle knows by its market feed (AaveOracle's fallback oracle). */
  riskOracle?: string;
}) {
  const providerAddress = typeof req.provider === "string" ? req.provider : await req.provider.getAddress();
  const admin = req.listingAdmin;
  const ethUsd = await ethers.deployContract("ReplicaFeed", [8, "ETH / USD", 3000n * 10n ** 8n, await admin.getAddress()]);
  const fallback = req.riskOracle
    ? await (await ethers.deployContract("MarketFallbackOracle", [req.riskOracle, await ethUsd.getAddress()])).getAddress()
    : ethers.ZeroAddress;
  const aaveOracle = await ethers.deployContract(
    AAVE_ORACLE,
    [providerAddress, [], [], fallback, ethers.ZeroAddress, 10n ** 8n],
    admin,
  );
  const weth = FIXTURE_WETH;
  const marketSource = await ethers.deployContract("MarketPriceSource", [req.marketFeed, await ethUsd.getAddress()]);
  const { time } = await import("@nomicfoundation/hardhat-network-helpers");
  const rateSource = await ethers.deployContract("ExchangeRatePriceSource", [
    req.rateProvider,
    await ethUsd.getAddress(),
    req.rateWad,
    await time.latest(),
    10_00,
  ]);
  const sources = { MARKET: await marketSource.getAddress(), EXCHANGE_RATE: await rateSource.getAddress() };
  async function setPricing(p: "MARKET" | "EXCHANGE_RATE") {
    await (aaveOracle.connect(admin) as typeof aaveOracle).setAssetSources([req.asset], [sources[p]]);
  }
  /** Prices more assets on Aave by a market feed (MarketPriceSource over the same ETH/USD feed). */
  async function priceByMarket(assets: string[], marketFeed: string) {
    const src = await ethers.deployContract("MarketPriceSource", [marketFeed, await ethUsd.getAddress()]);
    const addr = await src.getAddress();
    await (aaveOracle.connect(admin) as typeof aaveOracle).setAssetSources(assets, assets.map(() => addr));
  }
  await (aaveOracle.connect(admin) as typeof aaveOracle).setAssetSources([weth], [await ethUsd.getAddress()]);
  await setPricing(req.pricing);
  if (req.setOnProvider !== false) {
    const provider = await ethers.getContractAt(
      "@aave/core-v3/contracts/interfaces/IPoolAddressesProvider.sol:IPoolAddressesProvider",
      providerAddress,
    );
    await provider.setPriceOracle(await aaveOracle.getAddress());
  }
  return { aaveOracle, weth, ethUsd, setPricing, sources, priceByMarket };
}
