/**
 * The contracts' struct field lists exist once on the TypeScript side (spec/contracts.ts), in the Solidity order;
 * read from the interfaces here, so a field added on one side of the ABI and not the other fails.
 */
import { expect } from "chai";
import * as contracts from "../../spec/contracts";
import * as schema from "../../model/params/schema";
import * as modelParams from "../../spec/modelParams";
import * as haircutConfig from "../../spec/haircutConfig";
import { solidityStruct } from "./solidity";

describe("spec/contracts: the struct field lists, each once", () => {
  it("match the Solidity interfaces field by field, in order", () => {
    expect([...contracts.MODEL_PARAMS_FIELDS]).to.deep.equal(solidityStruct("ICollateralRiskOracle.sol", "ModelParams"));
    expect([...contracts.ASSET_CONFIG_FIELDS]).to.deep.equal(solidityStruct("ICollateralRiskOracle.sol", "AssetConfig"));
    expect([...contracts.HAIRCUT_CONFIG_FIELDS]).to.deep.equal(solidityStruct("IWideningHaircutModule.sol", "HaircutConfig"));
    expect([...contracts.GUARD_CONFIG_FIELDS]).to.deep.equal(solidityStruct("ILiquidationPauseGuard.sol", "GuardConfig"));
  });

  it("the model's schema and the push code use these lists (no alias, no copy)", () => {
    expect(schema.MODEL_PARAMS_FIELDS).to.equal(contracts.MODEL_PARAMS_FIELDS);
    expect(schema.HAIRCUT_CONFIG_FIELDS).to.equal(contracts.HAIRCUT_CONFIG_FIELDS);
    expect(haircutConfig.HAIRCUT_CONFIG_FIELDS).to.equal(contracts.HAIRCUT_CONFIG_FIELDS);
    expect((modelParams as Record<string, unknown>).MODEL_PARAM_FIELDS, "the MODEL_PARAM_FIELDS alias is gone").to.equal(undefined);
    // The zod schemas' keys follow the lists.
    expect(Object.keys(schema.modelParamsSchema._def.schema.shape)).to.deep.equal([...contracts.MODEL_PARAMS_FIELDS]);
    expect(Object.keys(schema.haircutConfigSchema._def.schema.shape)).to.deep.equal([...contracts.HAIRCUT_CONFIG_FIELDS]);
  });
});
