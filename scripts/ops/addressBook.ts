/**
 * `deployments/<network>.json` address books.
 *
 * One file per network, shared by every task that deploys there (`replica:deploy` writes the replica market,
 * `cascade:deploy` writes the `cascadeGuard` section). Writers merge: each owns its top-level section and keeps
 * every other key as it found it, so deploying Cascade Guard onto a replica does not lose the replica's addresses.
 */
import { UserError } from "../../spec/errors";
import fs from "fs";
import path from "path";
import { z } from "zod";
import { DEPLOYMENT_SCHEMA, withSchemaKey } from "../../spec/formats";


const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "expected a 0x-prefixed 20-byte address");
const hash32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "expected a 0x-prefixed 32-byte hash");

/** One deployed contract: where, when, by which transaction, with which constructor arguments. */
export const deployedContractSchema = z
  .object({
    address,
    contractName: z.string().min(1),
    blockNumber: z.number().int().nonnegative(),
    txHash: hash32.nullable(),
    constructorArgs: z.array(z.unknown()),
    verified: z.enum(["verified", "already-verified", "skipped-no-api-key", "skipped-local", "failed"]).optional(),
  })
  .strict();
export type DeployedContract = z.infer<typeof deployedContractSchema>;

/** A call that governance (ACL admin / pool admin / multisig) must execute for the guard to take effect. */
export const governanceActionSchema = z
  .object({
    description: z.string(),
    to: address,
    contractName: z.string(),
    method: z.string(),
    args: z.array(z.string()),
    data: z.string(),
    done: z.boolean(),
  })
  .strict();
export type GovernanceAction = z.infer<typeof governanceActionSchema>;

/** The `cascadeGuard` section of an address book. */
export const cascadeDeploymentSchema = z
  .object({
    schema: z.literal(DEPLOYMENT_SCHEMA),
    network: z.string(),
    chainId: z.number().int().positive(),
    deployer: address,
    deployedAt: z.string(),
    configFile: z.string(),
    configHash: hash32,
    aave: z
      .object({
        poolAddressesProvider: address,
        pool: address,
        poolConfigurator: address,
        aclManager: address,
        aaveOracle: address.optional(),
        dataProvider: address.optional(),
      })
      .strict(),
    contracts: z.record(z.string(), deployedContractSchema),
    assets: z.record(
      z.string(),
      z.object({ asset: address, rateAdapter: address.optional(), marketFeed: address.optional() }).passthrough(),
    ),
    roles: z.record(z.string(), address),
    governanceActions: z.array(governanceActionSchema),
  })
  .strict();
export type CascadeDeployment = z.infer<typeof cascadeDeploymentSchema>;

export function addressBookPath(root: string, network: string): string {
  return path.join(root, "deployments", `${network}.json`);
}

/** Reads an address book (or `{}` when absent). Throws naming the file on malformed JSON. */
export function readAddressBook(file: string): Record<string, unknown> {
  if (!fs.existsSync(file)) return {};
  const text = fs.readFileSync(file, "utf8");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new UserError({ file, problem: `not valid JSON (${(e as Error).message})`, fix: "repair or remove the file; cascade:deploy and replica:deploy write it" });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new UserError({ file, problem: "expected a JSON object at the top level", value: parsed, fix: "an address book is the object cascade:deploy and replica:deploy write" });
  }
  return parsed as Record<string, unknown>;
}

/** Reads and validates the `cascadeGuard` section; errors name the file and the field. */
export function readCascadeDeployment(file: string): CascadeDeployment {
  const book = readAddressBook(file);
  if (!("cascadeGuard" in book)) {
    throw new UserError({
      file,
      field: "cascadeGuard",
      problem: "no Cascade Guard deployment in this address book",
      fix: "run `npx hardhat cascade:deploy --network <network>` first, or pass --address-book",
    });
  }
  const parsed = cascadeDeploymentSchema.safeParse(withSchemaKey(book.cascadeGuard));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError({ file, field: `cascadeGuard.${issue.path.join(".")}`, problem: issue.message, fix: "re-run `npx hardhat cascade:deploy` to rewrite the section" });
  }
  return parsed.data;
}

/** Merges the `cascadeGuard` section into the address book, keeping every other section; writes atomically. */
export function writeCascadeDeployment(file: string, deployment: CascadeDeployment): void {
  const checked = cascadeDeploymentSchema.parse(deployment);
  const book = readAddressBook(file);
  const merged = { ...book, network: checked.network, chainId: checked.chainId, cascadeGuard: checked };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(merged, null, 2) + "\n");
  fs.renameSync(tmp, file);
}
