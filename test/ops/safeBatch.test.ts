import { expect } from "chai";
import { Interface, Wallet, keccak256, toUtf8Bytes } from "ethers";
import { buildSafeBatch, decodeSafeBatch, safeBatchChecksum, safeBatchSchema } from "../../scripts/ops/safeBatch";

// Aave's own ABIs for the calls governance executes (the same artifacts the replica deploys).
// eslint-disable-next-line @typescript-eslint/no-var-requires
const aclAbi = require("@aave/core-v3/artifacts/contracts/protocol/configuration/ACLManager.sol/ACLManager.json").abi;
// eslint-disable-next-line @typescript-eslint/no-var-requires
const providerAbi = require("@aave/core-v3/artifacts/contracts/protocol/configuration/PoolAddressesProvider.sol/PoolAddressesProvider.json").abi;

describe("ops: Safe Transaction Builder batch", () => {
  const acl = new Interface(aclAbi);
  const provider = new Interface(providerAbi);
  const guardian = Wallet.createRandom().address;
  const module = Wallet.createRandom().address;
  const aclAddr = Wallet.createRandom().address;
  const providerAddr = Wallet.createRandom().address;
  // A tuple-taking function to check struct encoding through contractInputsValues.
  const tupleIface = new Interface([
    "function setThing(address asset, (uint16 aBps, uint16 bBps, uint40 atSeconds) p, uint16[] knots)",
  ]);

  function sample() {
    return buildSafeBatch({
      chainId: 11155111,
      safeAddress: guardian,
      name: "Cascade Guard role grants",
      description: "grant RISK_ADMIN and EMERGENCY_ADMIN, set sentinel",
      createdAtMs: 1_760_000_000_000,
      calls: [
        { to: aclAddr, fragment: acl.getFunction("addRiskAdmin")!, args: [module] },
        { to: aclAddr, fragment: acl.getFunction("addEmergencyAdmin")!, args: [guardian] },
        { to: providerAddr, fragment: provider.getFunction("setPriceOracleSentinel")!, args: [guardian] },
        { to: module, fragment: tupleIface.getFunction("setThing")!, args: [guardian, { aBps: 93_00, bBps: 1_00, atSeconds: 7n }, [1, 2, 3]] },
      ],
    });
  }

  it("has the Transaction Builder shape and validates against the schema", () => {
    const batch = sample();
    expect(safeBatchSchema.safeParse(batch).success).to.equal(true);
    expect(batch.version).to.equal("1.0");
    expect(batch.chainId).to.equal("11155111");
    expect(batch.createdAt).to.equal(1_760_000_000_000);
    expect(batch.meta.createdFromSafeAddress).to.equal(guardian);
    expect(batch.meta.checksum).to.match(/^0x[0-9a-f]{64}$/);
    const tx0 = batch.transactions[0];
    expect(Object.keys(tx0).sort()).to.deep.equal(["contractInputsValues", "contractMethod", "data", "to", "value"]);
    expect(tx0.value).to.equal("0");
    expect(tx0.contractMethod).to.deep.equal({
      inputs: [{ internalType: "address", name: "admin", type: "address" }],
      name: "addRiskAdmin",
      payable: false,
    });
    expect(tx0.contractInputsValues).to.deep.equal({ admin: module });
  });

  it("checksum is the app's canonical keccak (independent re-derivation on a tiny batch)", () => {
    const batch = {
      version: "1.0",
      chainId: "1",
      createdAt: 5,
      meta: { name: "n", description: "d" },
      transactions: [{ to: "0x0000000000000000000000000000000000000001", value: "0", data: "0x" }],
    };
    // Written out by hand from the app's rule: sorted keys, `{[keys]v1,v2,}`, meta.name -> null.
    const expected =
      '{["chainId","createdAt","meta","transactions","version"]"1",5,{["description","name"]"d",null,},' +
      '[{["data","to","value"]"0x","0x0000000000000000000000000000000000000001","0",}],"1.0",}';
    expect(safeBatchChecksum(batch)).to.equal(keccak256(toUtf8Bytes(expected)));
  });

  it("decodes with the contracts' ABIs to the same calls", () => {
    const batch = JSON.parse(JSON.stringify(sample()));
    const { calls } = decodeSafeBatch(batch, [acl, provider, tupleIface], "sample.json");
    expect(calls.map((c) => c.name)).to.deep.equal(["addRiskAdmin", "addEmergencyAdmin", "setPriceOracleSentinel", "setThing"]);
    expect(calls[0].args).to.deep.equal([module]);
    expect(calls[0].to).to.equal(aclAddr);
    expect(calls[2].to).to.equal(providerAddr);
    expect(calls[3].args[1]).to.deep.equal([93_00n, 1_00n, 7n]);
    expect(batch.transactions[3].contractInputsValues.p).to.equal('["9300","100","7"]');
    expect(calls[3].args[2]).to.deep.equal([1n, 2n, 3n]);
  });

  it("rejects a tampered file: data that disagrees with contractInputsValues, a bad checksum, a bad field", () => {
    const tampered = JSON.parse(JSON.stringify(sample()));
    tampered.transactions[0].contractInputsValues.admin = guardian;
    tampered.meta.checksum = safeBatchChecksum(tampered);
    expect(() => decodeSafeBatch(tampered, [acl], "t.json")).to.throw(/t\.json: transactions\.0: data does not match contractMethod addRiskAdmin/);

    const badSum = JSON.parse(JSON.stringify(sample()));
    badSum.transactions[1].value = "1";
    expect(() => decodeSafeBatch(badSum, [acl, provider, tupleIface], "b.json")).to.throw(/b\.json: field meta\.checksum/);

    const badField = JSON.parse(JSON.stringify(sample()));
    badField.chainId = 1;
    expect(() => decodeSafeBatch(badField, [acl], "f.json")).to.throw(/f\.json: field chainId/);
  });

  it("refuses an empty batch", () => {
    expect(() => buildSafeBatch({ chainId: 1, name: "x", description: "", createdAtMs: 1, calls: [] })).to.throw(/no calls/);
  });
});
