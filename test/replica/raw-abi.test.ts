import { expect } from "chai";
import fc from "fast-check";
import { AbiCoder, Interface, getAddress, hexlify } from "ethers";
import { TRY_ALL_SELECTOR, decodeStaticResult, decodeTryAllResult, encodeTryAll } from "../../scripts/replay/rawAbi";

/** The replay's hand-written ABI codec (scripts/replay/rawAbi.ts) against ethers' AbiCoder, on seeded random inputs. */
describe("replay raw ABI codec", () => {
  const coder = AbiCoder.defaultAbiCoder();
  const iface = new Interface(["function tryAll(address[] targets, bytes[] data) returns (tuple(bool success, bytes returnData)[] results)"]);
  const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => hexlify(b));
  const bytes = fc.uint8Array({ minLength: 0, maxLength: 200 }).map((b) => hexlify(b));
  const params = { seed: 11, numRuns: 300 };

  it("encodes tryAll(address[], bytes[]) byte for byte as ethers does", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(address, bytes), { maxLength: 12 }), (calls) => {
        const targets = calls.map((c) => c[0]);
        const data = calls.map((c) => c[1]);
        expect(encodeTryAll(targets, data)).to.equal(iface.encodeFunctionData("tryAll", [targets, data]));
        // checksummed addresses encode the same
        expect(encodeTryAll(targets.map((t) => getAddress(t)), data)).to.equal(iface.encodeFunctionData("tryAll", [targets, data]));
      }),
      params,
    );
    expect(TRY_ALL_SELECTOR).to.equal(iface.getFunction("tryAll")!.selector);
  });

  it("decodes tryAll's (bool, bytes)[] result as ethers does", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), bytes), { maxLength: 12 }), (results) => {
        const ret = coder.encode(["tuple(bool success, bytes returnData)[]"], [results]);
        expect(decodeTryAllResult(ret)).to.deep.equal(results.map(([success, returnData]) => ({ success, returnData })));
      }),
      params,
    );
  });

  it("refuses malformed input instead of reading garbage", () => {
    expect(() => encodeTryAll(["0x1234"], ["0x"])).to.throw(/not a 20-byte hex address/);
    expect(() => encodeTryAll(["0x" + "11".repeat(20)], ["0x123"])).to.throw(/not 0x-prefixed hex bytes/);
    expect(() => encodeTryAll(["0x" + "11".repeat(20)], [])).to.throw(/1 targets but 0 calldata/);
    const ret = coder.encode(["tuple(bool success, bytes returnData)[]"], [[[true, "0x" + "ab".repeat(40)]]]);
    expect(() => decodeTryAllResult(ret.slice(0, ret.length - 64))).to.throw(/past the end/);
  });

  it("decodes static outputs (uint, int, bool, tuples) as ethers does; defers dynamic outputs", () => {
    const ri = new Interface([
      "function a() view returns (uint256 decimals, uint16 ltv, bool isFrozen, int256 answer, int24 tick)",
      "function b() view returns (tuple(uint40 pausedAt, uint40 pausedUntil, uint8 reason))",
      "function c() view returns (bytes)",
      "function d() view returns (address)",
    ]);
    const word = fc.bigInt({ min: 0n, max: (1n << 256n) - 1n });
    fc.assert(
      fc.property(fc.array(word, { minLength: 5, maxLength: 5 }), (w) => {
        const raw = "0x" + w.map((x) => x.toString(16).padStart(64, "0")).join("");
        // ethers refuses out-of-range words for narrow types; compare where it accepts them.
        let expected;
        try {
          expected = ri.decodeFunctionResult("a", raw);
        } catch {
          return;
        }
        const got = decodeStaticResult(ri.getFunction("a")!, raw)!;
        expect(got).to.deep.equal([...expected]);
      }),
      params,
    );
    const fa = ri.getFunction("a")!;
    const vals = [18n, 93_00n, true, -5n, -887_272n];
    const raw = ri.encodeFunctionResult(fa, vals);
    expect(decodeStaticResult(fa, raw)).to.deep.equal(vals);
    const fb = ri.getFunction("b")!;
    const t = decodeStaticResult(fb, ri.encodeFunctionResult(fb, [[1_700_000_000n, 1_700_003_600n, 2n]]))![0] as bigint[] & { pausedUntil: bigint };
    expect([...t]).to.deep.equal([1_700_000_000n, 1_700_003_600n, 2n]);
    expect(t.pausedUntil).to.equal(1_700_003_600n);
    expect(decodeStaticResult(ri.getFunction("c")!, ri.encodeFunctionResult("c", ["0x1234"]))).to.equal(undefined);
    const addr = "0x" + "ab".repeat(20);
    expect(decodeStaticResult(ri.getFunction("d")!, ri.encodeFunctionResult("d", [addr]))).to.deep.equal([addr]);
  });
});
