import fs from "fs";
import path from "path";
import { expect } from "chai";
import { UserError } from "../../spec/errors";
import hre from "hardhat";
import { Wallet } from "ethers";
import { loadAaveMarket, loadNetworkConfig, networkConfigPath, resolveAddress, RefContext } from "../../scripts/ops/config";
import { tempRoot } from "./helpers";

const root = hre.config.paths.root;
const deployer = Wallet.createRandom().address;

describe("ops: per-network config files", () => {
  for (const network of ["localhost", "sepolia", "holesky", "mainnet"]) {
    it(`deployments/config/${network}.json validates`, () => {
      const { config, configHash } = loadNetworkConfig(networkConfigPath(root, network));
      expect(config.network).to.equal(network);
      expect(configHash).to.match(/^0x[0-9a-f]{64}$/);
      expect(config.assets.length).to.be.greaterThan(0);
    });
  }

  it("mainnet: Aave addresses come from @aave-dao/aave-address-book; unfilled fields are refused by name", () => {
    const file = networkConfigPath(root, "mainnet");
    const { config } = loadNetworkConfig(file);
    const market = loadAaveMarket(config.aave.addressBook!, file);
    const ctx: RefContext = { file, deployer, book: {}, aaveMarket: market };
    // Values checked against the address book package itself (AaveV3Ethereum), not hard-coded here.
    expect(resolveAddress(config.aave.poolAddressesProvider, "aave.poolAddressesProvider", ctx)).to.equal(market.POOL_ADDRESSES_PROVIDER);
    expect(resolveAddress(config.roles.aaveAclAdmin, "roles.aaveAclAdmin", ctx)).to.equal(market.ACL_ADMIN);
    const assets = market.ASSETS as Record<string, { UNDERLYING: string }>;
    expect(resolveAddress(config.assets[0].underlying, "assets.0.underlying", ctx)).to.equal(assets.weETH.UNDERLYING);
    expect(() => resolveAddress(config.roles.governance, "roles.governance", ctx)).to.throw(UserError, `${file}: roles.governance: not filled in, found null (fix: set an address before deploying)`);
    expect(() => resolveAddress(config.assets[0].oracle.marketFeed, "assets.0.oracle.marketFeed", ctx)).to.throw(UserError, /: assets\.0\.oracle\.marketFeed: not filled in/);
  });

  it("localhost: every reference resolves into the replica's section of the address book", () => {
    const file = networkConfigPath(root, "localhost");
    const { config } = loadNetworkConfig(file);
    const a = () => Wallet.createRandom().address;
    const book = {
      replica: {
        aave: { PoolAddressesProvider: a() },
        assets: Object.fromEntries(config.assets.map((x) => [x.symbol, { token: a(), marketFeed: a(), rateProvider: a() }])),
      },
    };
    const ctx: RefContext = { file, deployer, book };
    expect(resolveAddress(config.aave.poolAddressesProvider, "aave.poolAddressesProvider", ctx)).to.equal(book.replica.aave.PoolAddressesProvider);
    config.assets.forEach((x, i) => {
      expect(resolveAddress(x.underlying, `assets.${i}.underlying`, ctx)).to.equal(book.replica.assets[x.symbol].token);
      expect(resolveAddress(x.oracle.marketFeed, `assets.${i}.oracle.marketFeed`, ctx)).to.equal(book.replica.assets[x.symbol].marketFeed);
    });
    expect(resolveAddress(config.roles.governance, "roles.governance", ctx)).to.equal(deployer);
    expect(() => resolveAddress("book:replica.assets.nope.token", "assets.9.underlying", ctx)).to.throw(UserError, /: assets\.9\.underlying: "book:replica\.assets\.nope\.token" does not resolve to an address, found nothing \(fix: /);
  });

  it("malformed configs are refused naming the file and the field", () => {
    const dir = tempRoot();
    const base = JSON.parse(fs.readFileSync(networkConfigPath(root, "localhost"), "utf8"));
    const write = (name: string, mutate: (c: any) => void) => {
      const c = JSON.parse(JSON.stringify(base));
      mutate(c);
      const f = path.join(dir, `${name}.json`);
      fs.writeFileSync(f, JSON.stringify(c));
      return f;
    };
    const f1 = write("heartbeat", (c) => (c.assets[1].oracle.marketHeartbeatSeconds = "1d"));
    expect(() => loadNetworkConfig(f1)).to.throw(UserError, `${f1}: assets.1.oracle.marketHeartbeatSeconds: Expected number, received string`);
    const f2 = write("rate", (c) => (c.assets[0].oracle.minRateWad = "3000000000000000000"));
    expect(() => loadNetworkConfig(f2)).to.throw(UserError, `${f2}: assets.0.oracle.minRateWad: expected below maxRateWad 2000000000000000000, found "3000000000000000000"`);
    const f3 = write("addr", (c) => (c.roles.guardian = "0x1234"));
    expect(() => loadNetworkConfig(f3)).to.throw(new RegExp(`${f3.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: roles\\.guardian`));
    const f4 = path.join(dir, "broken.json");
    fs.writeFileSync(f4, "{ not json");
    expect(() => loadNetworkConfig(f4)).to.throw(UserError, `${f4}: not valid JSON`);
    const f5 = write("blind", (c) => {
      c.assets[0].oracle.rateAdapter = { contract: "KelpRsEthRateAdapter", args: [c.assets[0].oracle.marketFeed] };
      c.assets[0].oracle.backingFeed = "none";
    });
    expect(() => loadNetworkConfig(f5)).to.throw(UserError, `${f5}: assets.0.oracle.backingFeed: KelpRsEthRateAdapter is blind to unbacked mints`);
  });
});
