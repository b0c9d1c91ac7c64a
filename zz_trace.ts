import hre from "hardhat";
import { breakdown } from "./bench/gasBreakdown";
async function main() {
  const { ethers, network } = hre;
  const { time } = await import("@nomicfoundation/hardhat-network-helpers");
  const fx = await import("./test/contracts/fixtures");
  const f: any = await fx.deployHaircutFixture();
  const names: Record<string,string> = {};
  for (const src of [f, f.aave]) for (const [k, v] of Object.entries(src)) { const c: any = v; if (c && typeof c.getAddress === "function") names[(await c.getAddress()).toLowerCase()] = k; }
  await f.module.configureAsset(f.weethAddr, fx.defaultHaircutConfig());
  await f.module.poke(f.weethAddr);
  await time.increase(fx.HOUR); await f.refreshFeeds();
  await f.module.poke(f.weethAddr);
  await f.setDiscount(400);
  await network.provider.send("evm_setAutomine", [false]);
  const t1 = await f.oracle.poke(f.weethAddr);
  const t2 = await f.module.poke(f.weethAddr);
  await network.provider.send("evm_mine", []);
  await network.provider.send("evm_setAutomine", [true]);
  const r2 = await t2.wait();
  console.log("gas", r2.gasUsed);
  const trace: any = await network.provider.send("debug_traceTransaction", [t2.hash, { disableMemory: true, disableStorage: true }]);
  const b = breakdown({ logs: trace.structLogs, to: r2.to, names });
  for (const c of b.calls) console.log(" ".repeat(c.depth*2), c.op, c.target, c.gas);
  console.log(b.perContract, b.byOwner);
}
main();
