/**
 * Every file format the project reads or writes, in one registry.
 *
 * Id style (already common to all eleven of ours): `cascade-guard/<kind>@<major>`; a breaking change bumps the major.
 * Constant style, the target: `<KIND>_SCHEMA` exported from here (today modules hold the ids under three suffixes,
 * `_SCHEMA_ID`, `_SCHEMA_TAG` and `_FORMAT`, plus one prefix matched by `startsWith`).
 * Key style, the target: the id sits under `schema` at the top of the document. Today three keys are in use
 * (`schema`, `format`, `$schema`) and the params file carries both `schema` and `format`; `currentKeys` records
 * them so readers can go through `schemaIdOf`, which accepts the target key and the current ones, before any file or
 * writer changes. The writers move to `schema` only after the open branches are merged (see docs/ARCHITECTURE.md).
 *
 * `constants` names the module constants that hold each id today (`file#NAME`); test/spec/formats.test.ts checks
 * that every one of them equals the registry's id, so they cannot drift apart until they become imports of this file.
 */

export type FormatKind =
  | "ecosystem"
  | "policy"
  | "simulation"
  | "params"
  | "scenario"
  | "replayResult"
  | "market"
  | "morphoMarkets"
  | "impact"
  | "networkConfig"
  | "deployment"
  | "replicaBook"
  | "safeBatch";

/** Keys under which a document names its format. `schema` is the target for all of ours. */
export type FormatKey = "schema" | "format" | "$schema" | "version";

export interface FormatSpec {
  kind: FormatKind;
  /** The id written into the document. */
  id: string;
  /** Keys that carry the id in files written today (first = the one writers set first). */
  currentKeys: readonly FormatKey[];
  /** Ours (`cascade-guard/...`) or an outside format we write for another tool. */
  owner: "cascade-guard" | "external";
  /** What the document is. */
  description: string;
  /** Modules that write it. */
  writers: readonly string[];
  /** Modules that read it (several readers for one format are a fault to remove: docs/ARCHITECTURE.md). */
  readers: readonly string[];
  /** Module constants holding the id today, as `path#NAME` (path from the repository root, without `.ts`). */
  constants: readonly string[];
}

/** The target key for the id of every `cascade-guard/...` document. */
export const SCHEMA_KEY = "schema" as const;

export const FORMATS = {
  ecosystem: {
    kind: "ecosystem",
    id: "cascade-guard/ecosystem@1",
    currentKeys: ["schema"],
    owner: "cascade-guard",
    description: "LRTs, operators, AVSs, venues and positions the cascade model runs on (scenarios/ecosystems/*.json)",
    writers: ["model/ecosystem/generate"],
    readers: ["model/ecosystem/schema", "report/exposure"],
    constants: ["model/ecosystem/schema#ECOSYSTEM_SCHEMA_ID"],
  },
  policy: {
    kind: "policy",
    id: "cascade-guard/policy@1",
    currentKeys: ["schema"],
    owner: "cascade-guard",
    description: "the bad-debt policy params:compute must satisfy (scenarios/ecosystems/policy-default.json)",
    writers: [],
    readers: ["model/params/policy"],
    constants: ["model/params/policy#POLICY_SCHEMA_ID"],
  },
  simulation: {
    kind: "simulation",
    id: "cascade-guard/simulation@1",
    currentKeys: ["schema"],
    owner: "cascade-guard",
    description: "cascade:simulate output: tail metrics of bad debt, NAV loss and depeg per LRT and venue",
    writers: ["model/output"],
    readers: ["report/simulation-input"],
    constants: ["model/output#SIMULATION_SCHEMA_ID"],
  },
  params: {
    kind: "params",
    id: "cascade-guard/params@1",
    currentKeys: ["schema", "format"],
    owner: "cascade-guard",
    description: "params:compute output: per-asset model params, haircut config and market recommendations",
    writers: ["model/params/engine"],
    readers: ["model/params/schema", "scripts/replay/run"], // params:push and the report read through model/params/schema
    constants: ["model/params/schema#PARAMS_SCHEMA_ID", "scripts/ops/push/paramsFile#PARAMS_FORMAT", "report/params-input#PARAMS_SCHEMA_TAG"],
  },
  scenario: {
    kind: "scenario",
    id: "cascade-guard/scenario@1",
    currentKeys: ["schema"],
    owner: "cascade-guard",
    description: "one historical or synthetic depeg/slashing scenario (scenarios/*.json; JSON Schema in scenarios/schema/)",
    writers: [],
    readers: ["scripts/replay/loader"],
    constants: ["scripts/replay/types#SCENARIO_SCHEMA_TAG"],
  },
  replayResult: {
    kind: "replayResult",
    id: "cascade-guard/replay-result@1",
    currentKeys: ["schema"],
    owner: "cascade-guard",
    description: "scenario:replay --json output: baseline vs protected runs with their timelines",
    writers: ["scripts/replay/run"],
    readers: ["report/replay-input"],
    constants: ["scripts/replay/types#RESULT_SCHEMA_TAG", "report/replay-input#REPLAY_SCHEMA_TAG"],
  },
  market: {
    kind: "market",
    id: "cascade-guard/market@1",
    currentKeys: ["$schema"],
    owner: "cascade-guard",
    description: "an Aave market to replicate: reserves, eMode categories, feeds, DEX pools (markets/*.json)",
    writers: [],
    readers: ["scripts/markets/replica/marketFile"],
    constants: [],
  },
  morphoMarkets: {
    kind: "morphoMarkets",
    id: "cascade-guard/morpho-markets@1",
    currentKeys: ["schema"],
    owner: "cascade-guard",
    description: "Morpho Blue LRT/WETH markets to replicate: LLTVs, oracles, IRM (markets/morpho-blue-*.json)",
    writers: [],
    readers: ["scripts/markets/morpho/marketFile"],
    constants: ["scripts/markets/morpho/marketFile#MORPHO_MARKETS_SCHEMA_TAG"],
  },
  impact: {
    kind: "impact",
    id: "cascade-guard/impact@1",
    currentKeys: ["schema"],
    owner: "cascade-guard",
    description: "the effect of a parameter change on real positions, checked on a fork (params:push --impact-out)",
    writers: ["scripts/ops/impact/check"],
    readers: ["report/impact-input"],
    constants: ["scripts/ops/impact/check#IMPACT_SCHEMA", "report/impact-input#IMPACT_SCHEMA_TAG"],
  },
  networkConfig: {
    kind: "networkConfig",
    id: "cascade-guard/network-config@1",
    currentKeys: ["format"],
    owner: "cascade-guard",
    description: "what cascade:deploy deploys on a network (deployments/config/<network>.json)",
    writers: [],
    readers: ["scripts/ops/config"],
    constants: ["scripts/ops/config#NETWORK_CONFIG_FORMAT"],
  },
  deployment: {
    kind: "deployment",
    id: "cascade-guard/deployment@1",
    currentKeys: ["format"],
    owner: "cascade-guard",
    description: "the cascadeGuard section of an address book (deployments/<network>.json)",
    writers: ["scripts/ops/deploy"],
    readers: ["scripts/ops/addressBook"],
    constants: ["scripts/ops/addressBook#CASCADE_DEPLOYMENT_FORMAT"],
  },
  replicaBook: {
    kind: "replicaBook",
    id: "cascade-guard/replica@1",
    currentKeys: ["format"],
    owner: "cascade-guard",
    description: "the replica section of an address book (deployments/<network>.json), written by replica:deploy",
    writers: ["scripts/ops/replicaDeploy"],
    readers: ["scripts/ops/replicaDeploy"],
    constants: ["scripts/ops/replicaDeploy#REPLICA_BOOK_FORMAT"],
  },
  safeBatch: {
    kind: "safeBatch",
    id: "1.0",
    currentKeys: ["version"],
    owner: "external",
    description: "a Safe Transaction Builder batch (params:push --safe-batch, cascade:deploy governance batch); Safe's format, kept as is",
    writers: ["scripts/ops/safeBatch"],
    readers: ["scripts/ops/safeBatch"],
    constants: ["scripts/ops/safeBatch#SAFE_BATCH_VERSION"],
  },
} as const satisfies Record<FormatKind, FormatSpec>;

export const FORMAT_LIST: readonly FormatSpec[] = Object.values(FORMATS);

/** Ids of our own formats (without the external Safe batch). */
export const ECOSYSTEM_SCHEMA = FORMATS.ecosystem.id;
export const POLICY_SCHEMA = FORMATS.policy.id;
export const SIMULATION_SCHEMA = FORMATS.simulation.id;
export const PARAMS_SCHEMA = FORMATS.params.id;
export const SCENARIO_SCHEMA = FORMATS.scenario.id;
export const REPLAY_RESULT_SCHEMA = FORMATS.replayResult.id;
export const MARKET_SCHEMA = FORMATS.market.id;
export const NETWORK_CONFIG_SCHEMA = FORMATS.networkConfig.id;
export const DEPLOYMENT_SCHEMA = FORMATS.deployment.id;
export const REPLICA_BOOK_SCHEMA = FORMATS.replicaBook.id;
export const IMPACT_SCHEMA = FORMATS.impact.id;

/** Keys a reader accepts today, in the order it looks at them: the target first, then the current ones. */
export const ACCEPTED_KEYS: readonly FormatKey[] = ["schema", "format", "$schema"];

/** The id a parsed document names (under `schema`, else `format`, else `$schema`), or undefined. */
export function schemaIdOf(doc: unknown): string | undefined {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return undefined;
  const record = doc as Record<string, unknown>;
  for (const key of ACCEPTED_KEYS) {
    const value = record[key];
    if (typeof value === "string") return value;
  }
  return undefined;
}

/** The registry entry of one of our ids, or undefined (exact match: no prefix or pattern guessing). */
export function formatById(id: string): FormatSpec | undefined {
  return FORMAT_LIST.find((f) => f.owner === "cascade-guard" && f.id === id);
}

/** `cascade-guard/<kind>@<major>`: the id style every format of ours follows. */
export const ID_PATTERN = /^cascade-guard\/[a-z][a-z0-9-]*@[1-9][0-9]*$/;
