import { expect } from "chai";
import fc from "fast-check";
import { quantile, quantileIndex, quantileSorted } from "../../spec/stats";
import * as reportStats from "../../report/stats";

/** The rule both former copies (model/params/engine.ts, report/stats.ts) implemented, written out again. */
const formerRule = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];

describe("spec/stats: one quantile", () => {
  it("is the lower empirical quantile", () => {
    expect(quantile([3, 1, 2], 0.5)).to.equal(2);
    expect(quantile([5, 1, 4, 2, 3], 0)).to.equal(1);
    expect(quantile([5, 1, 4, 2, 3], 1)).to.equal(5);
    expect(quantile([10, 20, 30, 40], 0.75)).to.equal(30);
    expect(quantileIndex(100, 0.95)).to.equal(94);
  });

  it("equals the rule of the two copies it replaces, on any samples and level", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, min: -1e9, max: 1e9 }), { minLength: 1, maxLength: 60 }), fc.double({ min: 0, max: 1, noNaN: true }), (xs, q) => {
        const sorted = [...xs].sort((a, b) => a - b);
        expect(quantileSorted(sorted, q)).to.equal(formerRule(sorted, q));
        expect(quantile(xs, q)).to.equal(formerRule(sorted, q));
      }),
    );
  });

  it("refuses no samples and a level outside [0, 1]; does not mutate its input", () => {
    expect(() => quantile([], 0.5)).to.throw(/no samples/);
    expect(() => quantile([1], 1.5)).to.throw(/alpha/);
    const xs = [3, 1, 2];
    quantile(xs, 0.5);
    expect(xs).to.deep.equal([3, 1, 2]);
  });

  it("the report's quantile is this one", () => {
    expect(reportStats.quantile).to.equal(quantile);
  });
});
