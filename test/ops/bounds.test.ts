import { expect } from "chai";
import fc from "fast-check";
import { MODEL_PARAMS_FIELDS, ModelParams, ModelParamsBounds, checkHaircutCurve, checkModelParamsUpdate, stepToward } from "../../spec/modelParams";
import { HaircutConfig, checkHaircutConfig, percentMulHalfUp } from "../../spec/haircutConfig";
import { fillModelParams, sampleModelParams } from "./helpers";

const params = sampleModelParams;
const fill = fillModelParams;
const bounds = (over: Partial<ModelParamsBounds> = {}): ModelParamsBounds => ({ min: fill(0), max: { ...fill(2000), navDropHaircutMultiplierBps: 20_000 }, maxStep: fill(200), minDelaySeconds: 3600, ...over });

describe("ops: off-chain bounds checks (same rules as the contracts)", () => {
  describe("ModelParams update", () => {
    it("accepts an in-bounds update after the delay", () => {
      const v = checkModelParamsUpdate({ asset: "weETH", current: params(), lastUpdateAtSeconds: 1000, bounds: bounds(), desired: params({ tripDiscountBps: 400 }), nowSeconds: 4600 });
      expect(v).to.deep.equal([]);
    });
    it("refuses a value above max naming asset, field, bound and value", () => {
      const v = checkModelParamsUpdate({ asset: "weETH", current: params(), lastUpdateAtSeconds: 0, bounds: bounds({ maxStep: fill(5000) }), desired: params({ knot3HaircutBps: 2500 }), nowSeconds: 10_000 });
      expect(v).to.have.length(1);
      expect(v[0]).to.include({ asset: "weETH", field: "knot3HaircutBps", bound: "max", boundValue: "2000", value: "2500" });
      expect(v[0].message).to.equal("weETH: CollateralRiskOracle.knot3HaircutBps = 2500 violates max 2000");
    });
    it("refuses a step larger than maxStep", () => {
      const v = checkModelParamsUpdate({ asset: "ezETH", current: params(), lastUpdateAtSeconds: 0, bounds: bounds(), desired: params({ tripDiscountBps: 501 }), nowSeconds: 10_000 });
      expect(v.map((x) => [x.field, x.bound, x.boundValue, x.value])).to.deep.equal([["tripDiscountBps", "maxStep", "200", "501"]]);
    });
    it("refuses an update before minDelaySeconds", () => {
      const v = checkModelParamsUpdate({ asset: "rsETH", current: params(), lastUpdateAtSeconds: 1000, bounds: bounds(), desired: params({ tripDiscountBps: 301 }), nowSeconds: 4599 });
      expect(v).to.have.length(1);
      expect(v[0].bound).to.equal("minDelaySeconds");
      expect(v[0].message).to.match(/earliest allowed at 4600, 1s from now/);
    });
    it("refuses below min, and when governance set no bounds", () => {
      const below = checkModelParamsUpdate({ asset: "a", current: params(), lastUpdateAtSeconds: 0, bounds: bounds({ min: fill(50) }), desired: params({ knot0HaircutBps: 0 }), nowSeconds: 1e9 });
      expect(below.some((x) => x.field === "knot0HaircutBps" && x.bound === "min" && x.boundValue === "50")).to.equal(true);
      const none = checkModelParamsUpdate({ asset: "a", current: params(), lastUpdateAtSeconds: 0, bounds: { min: fill(0), max: fill(0), maxStep: fill(0), minDelaySeconds: 0 }, desired: params(), nowSeconds: 1 });
      expect(none.map((x) => x.bound)).to.deep.equal(["bounds set by governance"]);
    });
    it("refuses non-uint16 values", () => {
      const v = checkModelParamsUpdate({ asset: "a", current: params(), lastUpdateAtSeconds: 0, bounds: bounds(), desired: params({ stressDiscountBps: 70_000 }), nowSeconds: 1e9 });
      expect(v.some((x) => x.bound === "uint16 range" && x.field === "stressDiscountBps")).to.equal(true);
    });
    it("refuses a zero trip threshold and a stress threshold not above the elevated one", () => {
      const v = checkModelParamsUpdate({ asset: "a", current: params(), lastUpdateAtSeconds: 0, bounds: bounds({ maxStep: fill(1000) }), desired: params({ tripDiscountBps: 0, stressDiscountBps: 400 }), nowSeconds: 1e9, elevatedDiscountBps: 400 });
      expect(v.map((x) => [x.field, x.bound])).to.deep.equal([
        ["tripDiscountBps", ">"],
        ["stressDiscountBps", "> asset config elevatedDiscountBps"],
      ]);
    });
  });

  describe("haircut curve", () => {
    it("needs strictly increasing discounts and non-decreasing haircuts within 100%", () => {
      expect(checkHaircutCurve("a", params())).to.deep.equal([]);
      expect(checkHaircutCurve("a", params({ knot2DiscountBps: 300 })).map((x) => x.field)).to.deep.equal(["knot2DiscountBps"]);
      expect(checkHaircutCurve("a", params({ knot2HaircutBps: 50 })).map((x) => x.field)).to.deep.equal(["knot2HaircutBps"]);
      expect(checkHaircutCurve("a", params({ knot3HaircutBps: 10_001 })).map((x) => x.field)).to.deep.equal(["knot3HaircutBps"]);
    });
  });

  describe("HaircutConfig", () => {
    const cfg = (over: Partial<HaircutConfig> = {}): HaircutConfig => ({
      baseLtvBps: 7250,
      baseLtBps: 7500,
      liquidationBonusBps: 10_750,
      floorLtvBps: 1,
      floorLtBps: 6000,
      eModeCategoryId: 1,
      eModeBaseLtvBps: 9300,
      eModeBaseLtBps: 9500,
      eModeLiquidationBonusBps: 10_100,
      eModeFloorLtvBps: 8000,
      eModeFloorLtBps: 8500,
      ltRampBpsPerHour: 50,
      recoveryBandBps: 50,
      recoveryBpsPerHour: 10,
      recoveryCooldownSeconds: 86_400,
      freezeOnImpaired: true,
      ...over,
    });
    it("accepts Aave-valid values (weETH as listed 2024-03, eMode 93/95/1)", () => {
      expect(checkHaircutConfig("weETH", cfg())).to.deep.equal([]);
    });
    it("refuses LTV > LT, LTV floor 0, LT*LB > 100% and floor above base", () => {
      expect(checkHaircutConfig("w", cfg({ baseLtvBps: 7600 })).map((x) => x.field)).to.include("baseLtvBps");
      expect(checkHaircutConfig("w", cfg({ floorLtvBps: 0 })).map((x) => x.field)).to.include("floorLtvBps");
      const lb = checkHaircutConfig("w", cfg({ baseLtBps: 9400, eModeBaseLtBps: 9400, liquidationBonusBps: 10_700 }));
      expect(lb.map((x) => x.field)).to.include("baseLtBps");
      expect(checkHaircutConfig("w", cfg({ floorLtBps: 7600 })).map((x) => x.field)).to.include("floorLtBps");
      expect(checkHaircutConfig("w", cfg({ eModeBaseLtBps: 7400, eModeBaseLtvBps: 7000, eModeFloorLtBps: 7000, eModeFloorLtvBps: 6000 })).map((x) => x.field)).to.include("eModeBaseLtBps");
    });
    it("uses Aave's half-up percentMul for LT*LB", () => {
      // 9300 * 10750 / 1e4 = 9997.5 -> 9998 (<= 1e4 passes); 9303 * 10750 = 10000.7 -> 10001 (refused)
      expect(percentMulHalfUp(9300, 10_750)).to.equal(9998);
      expect(checkHaircutConfig("w", cfg({ baseLtBps: 9300, eModeBaseLtBps: 9500 })).map((x) => x.field)).to.not.include("baseLtBps");
      expect(checkHaircutConfig("w", cfg({ baseLtBps: 9303, eModeBaseLtBps: 9500 })).map((x) => x.field)).to.include("baseLtBps");
    });
  });

  describe("stepToward (params:push --step)", () => {
    it("moves each field by at most maxStep and counts the updates left", () => {
      const b = bounds();
      const { next, unreachable, updatesLeft } = stepToward({ current: params(), target: params({ tripDiscountBps: 750, knot3HaircutBps: 500 }), bounds: b });
      expect(next.tripDiscountBps).to.equal(500);
      expect(next.knot3HaircutBps).to.equal(600);
      expect(unreachable).to.deep.equal([]);
      expect(updatesLeft).to.equal(2); // trip 500 -> 700 -> 750
      expect(checkModelParamsUpdate({ asset: "a", current: params(), lastUpdateAtSeconds: 0, bounds: b, desired: next, nowSeconds: 1e9 })).to.deep.equal([]);
    });
    it("reports targets outside [min, max] as unreachable and leaves them alone", () => {
      const r = stepToward({ current: params(), target: params({ knot3HaircutBps: 2500 }), bounds: bounds() });
      expect(r.unreachable).to.deep.equal(["knot3HaircutBps"]);
      expect(r.next.knot3HaircutBps).to.equal(800);
    });
    it("a step between two valid curves is a valid curve when the knot steps are equal (property)", () => {
      const curve = fc
        .tuple(fc.uniqueArray(fc.integer({ min: 0, max: 5000 }), { minLength: 4, maxLength: 4 }), fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 4, maxLength: 4 }))
        .map(([xs, ys]) => {
          const x = [...xs].sort((a, b) => a - b);
          const y = [...ys].sort((a, b) => a - b);
          return params({ knot0DiscountBps: x[0], knot1DiscountBps: x[1], knot2DiscountBps: x[2], knot3DiscountBps: x[3], knot0HaircutBps: y[0], knot1HaircutBps: y[1], knot2HaircutBps: y[2], knot3HaircutBps: y[3] });
        });
      fc.assert(
        fc.property(curve, curve, fc.integer({ min: 1, max: 3000 }), (c, t, step) => {
          const b = { min: fill(0), max: { ...fill(10_000), navDropHaircutMultiplierBps: 20_000 }, maxStep: fill(step), minDelaySeconds: 0 };
          const { next } = stepToward({ current: c, target: t, bounds: b });
          return checkHaircutCurve("a", next).length === 0;
        }),
        { numRuns: 500, seed: 42 },
      );
    });
  });
});
