import hre, { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import * as fx from "../test/contracts/fixtures";
async function main() {
  const f = await fx.deployHaircutFixture();
  const noEMode = { eModeCategoryId: 0, eModeBaseLtvBps: 0, eModeBaseLtBps: 0, eModeLiquidationBonusBps: 0, eModeFloorLtvBps: 0, eModeFloorLtBps: 0 };
  await f.module.configureAsset(f.weethAddr, { ...fx.defaultHaircutConfig(), ...noEMode });
  await f.module.poke(f.weethAddr);
  await time.increase(fx.HOUR);
  await f.refreshFeeds();
  await f.setDiscount(450);
  await time.increase(60);
  const tx = await f.module.poke(f.weethAddr);
  const r = await tx.wait();
  console.log("poke with backing", r!.gasUsed.toString());
  const trace = (await hre.network.provider.send("debug_traceTransaction", [tx.hash, { disableMemory: true, disableStorage: true }])) as any;
  for (const d of [1, 2]) {
    const agg: Record<string, number> = {};
    let n = 0, tot = 0;
    for (const l of trace.structLogs) if (l.depth === d && !["CALL","STATICCALL","DELEGATECALL"].includes(l.op)) { agg[l.op] = (agg[l.op] ?? 0) + l.gasCost; n++; tot += l.gasCost; }
    console.log("depth", d, "ops", n, "gas", tot, Object.entries(agg).sort((a, b) => b[1] - a[1]).slice(0, 22).map(([k, v]) => `${k}:${v}`).join(" "));
  }
}
main();
