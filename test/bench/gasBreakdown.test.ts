import { expect } from "chai";
import { breakdown, intrinsicGas } from "../../bench/gasBreakdown";

/**
 * The floor table of `npm run bench -- --only gasBreakdown` rests on this split: the gas of our calls into Aave's code
 * and into the outside world, each counted once (a call Aave makes inside its own code is not counted again), and the
 * intrinsic gas from the calldata.
 */
describe("bench/gasBreakdown split", function () {
  const addr = (n: number) => "0x" + n.toString(16).padStart(40, "0");
  const word = (a: string) => "0x" + a.slice(2).padStart(64, "0");
  // CALL's stack: [..., gas, to] at the top two (the target is second from the top, as the tracer reports it).
  const call = (op: string, depth: number, gas: number, to: string) => ({ op, depth, gas, gasCost: 0, stack: [word(to), "0x0"] });
  const op = (depth: number, gas: number, gasCost = 3) => ({ op: "ADD", depth, gas, gasCost });
  const names = { [addr(1)]: "module", [addr(2)]: "oracle", [addr(3)]: "marketFeed", [addr(4)]: "poolConfigurator", [addr(5)]: "aclManager" };

  it("counts our calls into Aave and the outside world once, inclusive; Aave's own nested calls are Aave's", function () {
    const logs = [
      op(1, 100_000),
      call("CALL", 1, 99_000, addr(2)), // module -> oracle (ours): 20,000 used
      op(2, 90_000),
      call("STATICCALL", 2, 89_000, addr(3)), // oracle -> market feed (outside): 7,000 used
      op(3, 80_000),
      op(2, 82_000),
      op(1, 79_000),
      call("CALL", 1, 78_000, addr(4)), // module -> configurator (Aave): 30,000 used
      op(2, 70_000),
      call("STATICCALL", 2, 69_000, addr(5)), // configurator -> ACL (Aave inside Aave: not counted again)
      op(3, 60_000),
      op(2, 55_000),
      op(1, 48_000),
    ];
    const { byOwner } = breakdown({ logs, to: addr(1), names });
    expect(byOwner).to.deep.equal({ outside: 7_000, aave: 30_000 });
  });

  it("intrinsic gas is 21,000 plus 4 per zero and 16 per non-zero calldata byte", function () {
    expect(intrinsicGas({ data: "0x" })).to.equal(21_000);
    expect(intrinsicGas({ data: "0x00ff0001" })).to.equal(21_000 + 4 + 16 + 4 + 16);
  });
});
