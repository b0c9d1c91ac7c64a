/**
 * Every file format the project reads or writes, in one registry.
 *
 * Id style (already common to all eleven of ours): `cascade-guard/<kind>@<major>`; a breaking change bumps the major.
 * Constant style: `<KIND>_SCHEMA` exported from here; scripts/, report/ and tasks/ import the ids from this file.
 * Key style: the id sits under `schema` at the top of the document, and every writer writes only that key. Files
 * written before the change carry it under `format` (network config, address-book sections, the params file next to
 * `schema`) or `$schema` (market files): readers accept those for one release through `schemaIdOf` /
 * `withSchemaKey`; `legacyKeys` records them.
 *
 * `constants` names the model's exported constants for an id (`file#NAME`); each is an alias of this registry's id
 * (model/ imports spec/), and test/spec/formats.test.ts checks that every one equals the registry's id and that no
 * module of scripts/, report/ or tasks/ writes an id literal.
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
  | "morphoBook"
  | "safeBatch";

/** Keys under which a document names its format. `schema` is the target for all of ours. */
export type FormatKey = "schema" | "format" | "$schema" | "version";

export interface FormatSpec {
  kind: FormatKind;
  /** The id written into the document. */
  id: string;
  /** The key writers set (`schema` for ours; the Safe batch keeps its own `version`). */
  key: FormatKey;
  /** Keys files written before the change may carry instead; readers accept them for one release. */
  legacyKeys: readonly FormatKey[];
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
    key: "schema",
    legacyKeys: [],
    owner: "cascade-guard",
    description: "LRTs, operators, AVSs, venues and positions the cascade model runs on (scenarios/ecosystems/*.json)",
    writers: ["model/ecosystem/generate"],
    readers: ["model/ecosystem/schema", "report/exposure"],
    constants: ["model/ecosystem/schema#ECOSYSTEM_SCHEMA_ID"],
  },
  policy: {
    kind: "policy",
    id: "cascade-guard/policy@1",
    key: "schema",
    legacyKeys: [],
    owner: "cascade-guard",
    description: "the bad-debt policy params:compute must satisfy (scenarios/ecosystems/policy-default.json)",
    writers: [],
    readers: ["model/params/policy"],
    constants: ["model/params/policy#POLICY_SCHEMA_ID"],
  },
  simulation: {
    kind: "simulation",
    id: "cascade-guard/simulation@1",
    key: "schema",
    legacyKeys: [],
    owner: "cascade-guard",
    description: "cascade:simulate output: tail metrics of bad debt, NAV loss and depeg per LRT and venue",
    writers: ["model/output"],
    readers: ["report/simulation-input"],
    constants: ["model/output#SIMULATION_SCHEMA_ID"],
  },
  params: {
    kind: "params",
    id: "cascade-guard/params@1",
    key: "schema",
    legacyKeys: ["format"],
    owner: "cascade-guard",
    description: "params:compute output: per-asset model params, haircut config and market recommendations",
    writers: ["model/params/engine"],
    readers: ["model/params/schema", "scripts/replay/run"], // params:push and the report read through model/params/schema
    constants: ["model/params/schema#PARAMS_SCHEMA_ID"],
  },
  scenario: {
    kind: "scenario",
    id: "cascade-guard/scenario@1",
    key: "schema",
    legacyKeys: [],
    owner: "cascade-guard",
    description: "one historical or synthetic depeg/slashing scenario (scenarios/*.json; JSON Schema in scenarios/schema/)",
    writers: [],
    readers: ["scripts/replay/loader"],
    constants: [],
  },
  replayResult: {
    kind: "replayResult",
    id: "cascade-guard/replay-result@1",
    key: "schema",
    legacyKeys: [],
    owner: "cascade-guard",
    description: "scenario:replay --json output: baseline vs protected runs with their timelines",
    writers: ["scripts/replay/run"],
    readers: ["report/replay-input"],
    constants: [],
  },
  market: {
    kind: "market",
    id: "cascade-guard/market@1",
    key: "schema",
    legacyKeys: ["$schema"],
    owner: "cascade-guard",
    description: "an Aave market to replicate: reserves, eMode categories, feeds, DEX pools (markets/*.json)",
    writers: [],
    readers: ["scripts/markets/replica/marketFile"],
    constants: [],
  },
  morphoMarkets: {
    kind: "morphoMarkets",
    id: "cascade-guard/morpho-markets@1",
    key: "schema",
    legacyKeys: [],
    owner: "cascade-guard",
    description: "Morpho Blue LRT/WETH markets to replicate: LLTVs, oracles, IRM (markets/morpho-blue-*.json)",
    writers: [],
    readers: ["scripts/markets/morpho/marketFile"],
    constants: [],
  },
  impact: {
    kind: "impact",
    id: "cascade-guard/impact@1",
    key: "schema",
    legacyKeys: [],
    owner: "cascade-guard",
    description: "the effect of a parameter change on real positions, checked on a fork (params:push --impact-out)",
    writers: ["scripts/ops/impact/check"],
    readers: ["report/impact-input"],
    constants: [],
  },
  networkConfig: {
    kind: "networkConfig",
    id: "cascade-guard/network-config@1",
    key: "schema",
    legacyKeys: ["format"],
    owner: "cascade-guard",
    description: "what cascade:deploy deploys on a network (deployments/config/<network>.json)",
    writers: [],
    readers: ["scripts/ops/config"],
    constants: [],
  },
  deployment: {
    kind: "deployment",
    id: "cascade-guard/deployment@1",
    key: "schema",
    legacyKeys: ["format"],
    owner: "cascade-guard",
    description: "the cascadeGuard section of an address book (deployments/<network>.json)",
    writers: ["scripts/ops/deploy"],
    readers: ["scripts/ops/addressBook"],
    constants: [],
  },
  replicaBook: {
    kind: "replicaBook",
    id: "cascade-guard/replica@1",
    key: "schema",
    legacyKeys: ["format"],
    owner: "cascade-guard",
    description: "the replica section of an address book (deployments/<network>.json), written by replica:deploy",
    writers: ["scripts/ops/replicaDeploy"],
    readers: ["scripts/ops/replicaDeploy"],
    constants: [],
  },
  morphoBook: {
    kind: "morphoBook",
    id: "cascade-guard/morpho-replica@1",
    key: "schema",
    legacyKeys: ["format"],
    owner: "cascade-guard",
    description: "the morpho section of an address book (deployments/<network>.json), written by replica:deploy --venue morpho",
    writers: ["scripts/ops/morphoDeploy"],
    readers: ["scripts/ops/morphoStatus"],
    constants: [],
  },
  safeBatch: {
    kind: "safeBatch",
    id: "1.0",
    key: "version",
    legacyKeys: [],
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
export const MORPHO_MARKETS_SCHEMA = FORMATS.morphoMarkets.id;
export const MORPHO_BOOK_SCHEMA = FORMATS.morphoBook.id;

/** Keys a reader accepts, in the order it looks at them: `schema` first, then the legacy ones (one release). */
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

/**
 * The document with its id under `schema` only: a legacy `format` / `$schema` key is moved there (one release), so a
 * reader's schema names `schema` and nothing else. Anything that is not an object is returned as is.
 */
export function withSchemaKey<T>(doc: T): T {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return doc;
  const id = schemaIdOf(doc);
  const { format: _format, $schema: _dollar, ...rest } = doc as Record<string, unknown>;
  void _format;
  void _dollar;
  return (id === undefined ? rest : { schema: id, ...rest }) as T;
}

/** The registry entry of one of our ids, or undefined (exact match: no prefix or pattern guessing). */
export function formatById(id: string): FormatSpec | undefined {
  return FORMAT_LIST.find((f) => f.owner === "cascade-guard" && f.id === id);
}

/** `cascade-guard/<kind>@<major>`: the id style every format of ours follows. */
export const ID_PATTERN = /^cascade-guard\/[a-z][a-z0-9-]*@[1-9][0-9]*$/;
