/**
 * Per-network deployment config: `deployments/config/<network>.json` (format `cascade-guard/network-config@1`).
 *
 * Holds no secrets (RPC URLs and keys are Hardhat configuration variables). Every address field takes either
 *   - a literal address "0x…",
 *   - "deployer" (role fields only: the account running the task),
 *   - "aave:<PATH>"  a path into the `@aave-dao/aave-address-book` market named in `aave.addressBook`
 *                    (e.g. "aave:ASSETS.weETH.UNDERLYING", "aave:ACL_ADMIN"),
 *   - "book:<PATH>"  a path into this network's own address book `deployments/<network>.json`
 *                    (e.g. what `replica:deploy` wrote: "book:replica.tokens.weETH"),
 *   - null           "not filled in yet": the deploy refuses, naming the file and field.
 * Errors name the file and the field.
 */
import { UserError } from "../../spec/errors";
import fs from "fs";
import path from "path";
import { z } from "zod";
import { keccak256, toUtf8Bytes, getAddress, isAddress } from "ethers";
import { NETWORK_CONFIG_SCHEMA, withSchemaKey } from "../../spec/formats";


const addressRef = z
  .string()
  .regex(/^(0x[0-9a-fA-F]{40}|aave:[A-Za-z0-9_.]+|book:[A-Za-z0-9_.\-]+)$/, 'expected "0x…" address, "aave:<path>" or "book:<path>"')
  .nullable();
const roleRef = z.union([z.literal("deployer"), addressRef]);
const bps = z.number().int().min(0).max(10_000);
const u16 = z.number().int().min(0).max(65_535);
const u32 = z.number().int().min(0).max(2 ** 32 - 1);
const wadString = z.string().regex(/^[0-9]+$/, "expected a WAD integer as a decimal string (1e18 = 1.0)");

const modelParamsSchema = z
  .object({
    tripDiscountBps: u16,
    stressDiscountBps: u16,
    navDropHaircutMultiplierBps: u16,
    knot0DiscountBps: u16,
    knot0HaircutBps: u16,
    knot1DiscountBps: u16,
    knot1HaircutBps: u16,
    knot2DiscountBps: u16,
    knot2HaircutBps: u16,
    knot3DiscountBps: u16,
    knot3HaircutBps: u16,
  })
  .strict();

export const rateAdapterSchema = z.union([
  z.object({ address: addressRef }).strict(),
  z
    .object({
      /** Adapter contract to deploy (from contracts/adapters), e.g. "WeEthRateAdapter". */
      contract: z.string().min(1),
      /** Constructor arguments (address refs are resolved). */
      args: z.array(z.union([addressRef, z.string(), z.number()])),
    })
    .strict(),
]);

export const assetConfigSchema = z
  .object({
    symbol: z.string().min(1),
    underlying: addressRef,
    oracle: z
      .object({
        marketFeed: addressRef,
        rateAdapter: rateAdapterSchema,
        /** "none" (no proof-of-backing feed) or an address reference. */
        backingFeed: z.union([z.literal("none"), addressRef]),
        marketHeartbeatSeconds: u32.refine((x) => x > 0, "must be > 0"),
        backingHeartbeatSeconds: u32,
        minRateWad: wadString,
        maxRateWad: wadString,
        emaHalfLifeSeconds: u32.refine((x) => x > 0, "must be > 0"),
        navHighWindowSeconds: u32,
        navDropToleranceBps: bps,
        backingShortfallToleranceBps: bps,
        elevatedDiscountBps: bps,
        hysteresisBps: bps,
      })
      .strict(),
    /**
     * How the market's oracle prices this collateral: "market" (a market feed: a liquidity dislocation liquidates,
     * so the guard's pause can spare positions) or "exchange-rate" (CAPO: a market discount liquidates nobody, so the
     * guard refuses every trip). Required: the deploy checks it against the AaveOracle's source before sending
     * anything, and the guard checks it again on-chain against prices.
     */
    pricing: z.enum(["market", "exchange-rate"]),
    modelParams: modelParamsSchema,
    modelParamsBounds: z
      .object({ min: modelParamsSchema, max: modelParamsSchema, maxStep: modelParamsSchema, minDelaySeconds: u32.refine((x) => x > 0, "must be > 0 (a zero delay voids maxStep)") })
      .strict(),
    haircut: z
      .object({
        baseLtvBps: bps,
        baseLtBps: bps,
        liquidationBonusBps: u16,
        floorLtvBps: bps,
        floorLtBps: bps,
        eModeCategoryId: z.number().int().min(0).max(255),
        eModeBaseLtvBps: bps,
        eModeBaseLtBps: bps,
        eModeLiquidationBonusBps: u16,
        eModeFloorLtvBps: bps,
        eModeFloorLtBps: bps,
        ltRampBpsPerHour: u16,
        recoveryBandBps: bps,
        recoveryBpsPerHour: u16,
        recoveryCooldownSeconds: u32,
        freezeOnImpaired: z.boolean(),
      })
      .strict()
      .nullable(),
    guard: z
      .object({
        maxPauseSeconds: u32,
        cooldownSeconds: u32,
        windowSeconds: u32,
        maxPausedSecondsPerWindow: u32,
        postPauseGraceSeconds: u32,
        enabled: z.boolean(),
      })
      .strict()
      .nullable(),
  })
  .strict();

/** Rate adapters whose source an unbacked mint does not move (`BLIND_TO_UNBACKED_MINTS() == true`). */
export const BLIND_RATE_ADAPTERS = ["KelpRsEthRateAdapter"];

export const networkConfigSchema = z
  .object({
    schema: z.literal(NETWORK_CONFIG_SCHEMA),
    network: z.string().min(1),
    chainId: z.number().int().positive(),
    description: z.string().optional(),
    aave: z
      .object({
        /** Market in `@aave-dao/aave-address-book` (e.g. "AaveV3Ethereum"); needed for "aave:" references. */
        addressBook: z.string().optional(),
        poolAddressesProvider: addressRef,
        /** Aave version of the market: what the guard can protect depends on it (see docs/operations.md). */
        version: z.string(),
      })
      .strict(),
    roles: z
      .object({
        /** DEFAULT_ADMIN_ROLE on the three contracts (asset configs, bounds). A timelock/multisig in production. */
        governance: roleRef,
        /** RISK_KEEPER_ROLE on the oracle (pushes model params within bounds). */
        riskKeeper: roleRef,
        /** GUARDIAN_ROLE on the guard (manual trip/release). */
        guardian: roleRef,
        /** Holder of Aave's ACL admin / pool admin: executes the RISK_ADMIN / EMERGENCY_ADMIN grants and setPriceOracleSentinel. */
        aaveAclAdmin: roleRef,
      })
      .strict(),
    /** Install the guard as the market's PriceOracleSentinel (Aave v3.0-v3.6 only). */
    installSentinel: z.boolean(),
    /**
     * Aave v3.1+ only: deploy the AaveGracePeriodAdapter (mirrors the guard's pauses into per-reserve liquidation grace
     * periods through `setReservePause(asset, false, gracePeriod)`) and have governance grant it EMERGENCY_ADMIN.
     */
    gracePeriodAdapter: z.boolean(),
    assets: z.array(assetConfigSchema).min(1),
  })
  .strict();

export type NetworkConfig = z.infer<typeof networkConfigSchema>;
export type AssetDeployConfig = z.infer<typeof assetConfigSchema>;

export interface LoadedNetworkConfig {
  file: string;
  config: NetworkConfig;
  /** keccak256 of the file's bytes, recorded in the address book. */
  configHash: string;
}

export function networkConfigPath(root: string, network: string): string {
  return path.join(root, "deployments", "config", `${network}.json`);
}

function zodMessage(file: string, error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${file}: ${i.path.join(".") || "(root)"}: ${i.message}`)
    .join("\n");
}

/** Reads and validates a config file; errors name the file and the field. */
export function loadNetworkConfig(file: string): LoadedNetworkConfig {
  if (!fs.existsSync(file)) throw new UserError({ file, problem: "no such network config", fix: "create it from deployments/config/README or another network's file" });
  const text = fs.readFileSync(file, "utf8");
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UserError({ file, problem: `not valid JSON (${(e as Error).message})` });
  }
  const parsed = networkConfigSchema.safeParse(withSchemaKey(raw));
  if (!parsed.success) throw new UserError(zodMessage(file, parsed.error));
  const config = parsed.data;
  const symbols = new Set<string>();
  config.assets.forEach((a, i) => {
    if (symbols.has(a.symbol)) throw new UserError({ file, field: `assets.${i}.symbol`, problem: "duplicate symbol", value: a.symbol, fix: "one entry per asset" });
    symbols.add(a.symbol);
    const adapter = a.oracle.rateAdapter as { contract?: string };
    if (adapter.contract && BLIND_RATE_ADAPTERS.includes(adapter.contract) && a.oracle.backingFeed === "none") {
      throw new UserError({
        file,
        field: `assets.${i}.oracle.backingFeed`,
        problem: `${adapter.contract} is blind to unbacked mints, so a proof-of-backing feed is required (the oracle refuses "none": OracleBackingFeedRequired)`,
        value: "none",
        fix: "set the LRT's proof-of-reserve feed (ETH of backing per token)",
      });
    }
    if (BigInt(a.oracle.minRateWad) >= BigInt(a.oracle.maxRateWad)) {
      throw new UserError({ file, field: `assets.${i}.oracle.minRateWad`, problem: `expected below maxRateWad ${a.oracle.maxRateWad}`, value: a.oracle.minRateWad });
    }
  });
  return { file, config, configHash: keccak256(toUtf8Bytes(text)) };
}

function walk(obj: unknown, dotted: string): unknown {
  let cur: unknown = obj;
  for (const key of dotted.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

export interface RefContext {
  file: string;
  deployer: string;
  /** The network's address book (`deployments/<network>.json`), or {} when absent. */
  book: Record<string, unknown>;
  /** The aave-address-book market object, when `aave.addressBook` is set. */
  aaveMarket?: Record<string, unknown>;
}

/** Loads `@aave-dao/aave-address-book` market `name` (e.g. "AaveV3Ethereum"). */
export function loadAaveMarket(name: string, file: string): Record<string, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const book = require("@aave-dao/aave-address-book") as Record<string, unknown>;
  const market = book[name];
  if (!market || typeof market !== "object") {
    throw new UserError({ file, field: "aave.addressBook", problem: "no such market in @aave-dao/aave-address-book", value: name, fix: 'use a market name it exports, e.g. "AaveV3Ethereum"' });
  }
  return market as Record<string, unknown>;
}

/** Resolves an address reference; throws naming the file and the field when it is null or cannot be resolved. */
export function resolveAddress(ref: string | null | undefined, field: string, ctx: RefContext): string {
  if (ref === null || ref === undefined) throw new UserError({ file: ctx.file, field, problem: "not filled in", value: ref ?? null, fix: "set an address before deploying" });
  if (ref === "deployer") return getAddress(ctx.deployer);
  let value: unknown = ref;
  if (ref.startsWith("aave:")) {
    if (!ctx.aaveMarket) throw new UserError({ file: ctx.file, field, problem: "an aave: reference needs aave.addressBook to be set", value: ref, fix: "set aave.addressBook or give the address" });
    value = walk(ctx.aaveMarket, ref.slice(5));
  } else if (ref.startsWith("book:")) {
    value = walk(ctx.book, ref.slice(5));
  }
  if (typeof value !== "string" || !isAddress(value)) {
    throw new UserError({ file: ctx.file, field, problem: `${JSON.stringify(ref)} does not resolve to an address`, value, fix: "check the reference's path, or give the address" });
  }
  return getAddress(value);
}

export function resolveOptionalAddress(ref: string | null | undefined, field: string, ctx: RefContext): string | undefined {
  if (ref === undefined) return undefined;
  return resolveAddress(ref, field, ctx);
}
