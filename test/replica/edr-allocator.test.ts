import { expect } from "chai";
import { spawnSync } from "child_process";
import path from "path";
import { EDR_ALLOCATOR_ENV, applyEdrAllocatorEnv, edrAllocatorEnvToSet } from "../../tasks/lib/edrAllocator";

/**
 * The in-process network's allocator settings (tasks/lib/edrAllocator.ts): they must reach EDR's mimalloc, which
 * reads them once when Hardhat loads EDR, so `hardhat.config.ts` has to set them before that; a value the user set wins.
 */
describe("EDR allocator settings", () => {
  it("sets only what the environment does not set", () => {
    expect(edrAllocatorEnvToSet({})).to.deep.equal(EDR_ALLOCATOR_ENV);
    expect(edrAllocatorEnvToSet({ MIMALLOC_PURGE_DELAY: "-1" })).to.deep.equal({ MIMALLOC_ALLOW_LARGE_OS_PAGES: "0" });
    const env: Record<string, string | undefined> = { MIMALLOC_ALLOW_LARGE_OS_PAGES: "2" };
    expect(applyEdrAllocatorEnv(env)).to.deep.equal(["MIMALLOC_PURGE_DELAY"]);
    expect(env).to.deep.equal({ MIMALLOC_ALLOW_LARGE_OS_PAGES: "2", MIMALLOC_PURGE_DELAY: "1000" });
  });

  it("reach EDR's allocator in a Hardhat process started without them (mimalloc's own report of its options)", function () {
    this.timeout(120_000);
    const env: NodeJS.ProcessEnv = { ...process.env, MIMALLOC_VERBOSE: "1", CASCADE_SKIP_TASKS: "1" };
    for (const name of Object.keys(EDR_ALLOCATOR_ENV)) delete env[name];
    const script = 'require("hardhat").network.provider.send("eth_chainId", []).then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });';
    const out = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], { cwd: path.join(__dirname, "..", ".."), env, encoding: "utf8", timeout: 110_000 });
    expect(out.status, out.stderr).to.equal(0);
    const report = `${out.stdout}\n${out.stderr}`;
    expect(report).to.match(/mimalloc: option 'allow_large_os_pages': 0\b/);
    expect(report).to.match(/mimalloc: option 'purge_delay': 1000\b/);
  });
});
