/**
 * One RNG (spec/random.ts): the replica's population and the model keep the exact streams they had (the expected
 * numbers below were printed by the former scripts/replica/random.ts `createRng`); the replay scenarios' populations
 * draw from `createRng` too since the legacy `mulberry32` stream went (figures re-recorded, docs/replay.md).
 */
import { expect } from "chai";
import * as spec from "../../spec/random";
import { createRng, logNormal, normal, pathRng, Sfc32, seedWords, triangular, triangularFromUniform, weightedPick } from "../../spec/random";
import * as modelRng from "../../model/rng";
import { UserError } from "../../spec/errors";

const draws = (f: () => number, n: number) => Array.from({ length: n }, () => f());

describe("spec/random: one generator, the same streams as before", () => {
  it("createRng reproduces the replica's former sfc32 stream", () => {
    expect(draws(createRng(7), 4)).to.deep.equal([0.19514828245155513, 0.36103195301257074, 0.8405470312573016, 0.8431753262411803]);
    expect(draws(createRng(123456789), 3)).to.deep.equal([0.5193418147973716, 0.3159192514140159, 0.5391047152224928]);
  });

  it("the draws give the values the former modules gave", () => {
    const r = createRng(42);
    expect([triangular(r, 1, 2, 5), normal(r), logNormal(r, 2, 0.5, 1, 4), weightedPick(r, { a: 1, b: 2, c: 3 })]).to.deep.equal([1.9788832930280384, 0.8615907648063937, 1, "c"]);
    expect(triangularFromUniform(0.3, 3, 3, 3)).to.equal(3);
  });

  it("one generator: no second stream, the model's generator is this one", () => {
    expect(Object.keys(spec)).to.not.include("mulberry32");
    expect(modelRng.Sfc32).to.equal(Sfc32);
    expect(modelRng.pathRng).to.equal(pathRng);
  });

  it("per-path and sequential seedings are the same generator", () => {
    const a = new Sfc32();
    a.seedSequential(7);
    const b = createRng(7);
    expect(draws(() => a.next(), 5)).to.deep.equal(draws(b, 5));
    // Different paths of one seed give different streams; the same path gives the same one.
    expect(pathRng(7, 0).next()).to.equal(pathRng(7, 0).next());
    expect(pathRng(7, 0).next()).to.not.equal(pathRng(7, 1).next());
  });

  it("a bad seed is the user's to fix", () => {
    expect(() => seedWords(-1)).to.throw(UserError, "seed: expected a non-negative safe integer, found -1");
    expect(() => seedWords(1.5)).to.throw(UserError);
  });
});
