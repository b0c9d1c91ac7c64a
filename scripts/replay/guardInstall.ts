/**
 * Deploys and installs Cascade Guard on a market for the protected run, through `scripts/guard/`
 * (`deployCascadeGuard` + `installCascadeGuard`), the same code tests, demo and ops use.
 *
 * Parameters, in order of precedence:
 *  1. a params file (`cascade-guard/params@1`, validated with the model's schema): the collateral's `modelParams`,
 *     and the floors, ramp, recovery and freeze settings of its `haircut`;
 *  2. the scenario's own `params` block (`ScenarioParams` below: any of modelParams, guard, oracle, haircut);
 *  3. the installer's defaults (`DEFAULT_MODEL_PARAMS`, `DEFAULT_GUARD_CONFIG`, `DEFAULT_ORACLE_SETTINGS`).
 * The haircut module's *base* values are always the market's current values (read on-chain), so the protected run
 * starts from exactly the market the baseline runs on and the comparison isolates the guard's behaviour.
 */
import { Contract, type Signer } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { z } from "zod";
import {
  DAY,
  DEFAULT_GUARD_CONFIG,
  DEFAULT_MODEL_PARAMS,
  HOUR,
  deployCascadeGuard,
  installCascadeGuard,
  installGraceAdapter,
  type GuardConfig,
  type HaircutConfig,
  type ModelParams,
} from "../guard";
import { modelParamsSchema, type ParamsFile } from "../../model/params/schema";
import type { CascadeAddresses, EModeValues } from "./chainWorld";
import { ScenarioValidationError } from "./loader";
import { UserError } from "../../spec/errors";
import type { Scenario } from "./types";
import type { AaveGeneration } from "../markets/fork/aaveVersion";

const bps = z.number().int().min(0).max(10_000);
const seconds = z.number().int().min(0).max(2 ** 32 - 1);

/** The scenario's own `params` block. */
export const scenarioParamsSchema = z
  .object({
    modelParams: modelParamsSchema.optional(),
    guard: z
      .object({
        maxPauseSeconds: seconds,
        cooldownSeconds: seconds,
        windowSeconds: seconds,
        maxPausedSecondsPerWindow: seconds,
        postPauseGraceSeconds: seconds,
      })
      .partial()
      .strict()
      .optional(),
    oracle: z
      .object({
        emaHalfLifeSeconds: seconds,
        navHighWindowSeconds: seconds,
        navDropToleranceBps: bps,
        backingShortfallToleranceBps: bps,
        elevatedDiscountBps: bps,
        hysteresisBps: bps,
      })
      .partial()
      .strict()
      .optional(),
    haircut: z
      .object({
        floorLtvBps: bps,
        floorLtBps: bps,
        eModeFloorLtvBps: bps,
        eModeFloorLtBps: bps,
        ltRampBpsPerHour: bps,
        recoveryBandBps: bps,
        recoveryBpsPerHour: bps,
        recoveryCooldownSeconds: seconds,
        freezeOnImpaired: z.boolean(),
      })
      .partial()
      .strict()
      .optional(),
    /** Venue "morpho": the RiskAwareOracle the protected market is created with (floor tolerance, floor cap). */
    riskAwareOracle: z
      .object({
        floorToleranceBps: z.number().int().min(50).max(3000),
        maxFloorSeconds: z.number().int().min(1).max(3 * 86_400),
      })
      .partial()
      .strict()
      .optional(),
  })
  .strict();
export type ScenarioParams = z.infer<typeof scenarioParamsSchema>;

export interface GuardInstallRequest {
  hre: HardhatRuntimeEnvironment;
  /** Owner of the addresses provider, ACL admin and pool admin of the market (impersonated on a fork). */
  operator: Signer;
  addressesProvider: string;
  collateral: string;
  collateralSymbol: string;
  /** Collateral/ETH market feed (18 decimals), exchange-rate provider (`getRate()`), backing feed (18 decimals). */
  marketFeed: string;
  rateProvider: string;
  backingFeed: string;
  eModeCategoryId: number;
  eModeConfig(id: number): Promise<EModeValues>;
  generation: AaveGeneration;
  /**
   * Also install the guard as the market-wide PriceOracleSentinel on v3.1+ (default false there; always on v3.0).
   * Trade-off: the sentinel pauses liquidations and borrowing of every reserve, and only at HF >= 0.95.
   */
  installSentinel?: boolean;
  /** A params file read with `loadParamsFile`, or undefined (then the scenario's own params). */
  params: ParamsFile | undefined;
  scenario: Scenario;
  scenarioFile: string;
}

/** Resolved settings the installer uses (reported in the docs and useful in tests). */
export interface ResolvedGuardSettings {
  modelParams: ModelParams;
  guard: GuardConfig;
  oracle: NonNullable<ScenarioParams["oracle"]>;
  haircut: HaircutConfig;
  source: "params-file" | "scenario" | "defaults";
}

const RESERVE_ABI = [
  "function getReserveConfigurationData(address) view returns (uint256 decimals, uint256 ltv, uint256 liquidationThreshold, uint256 liquidationBonus, uint256 reserveFactor, bool usageAsCollateralEnabled, bool borrowingEnabled, bool stableBorrowRateEnabled, bool isActive, bool isFrozen)",
  "function getReserveEModeCategory(address) view returns (uint256)",
];
const POOL_ABI = ["function getReservesList() view returns (address[])"];
const PROVIDER_ABI = ["function getPool() view returns (address)", "function getPoolDataProvider() view returns (address)"];

/**
 * Validates the protected run's inputs before anything is deployed: a params file (read and validated by the one
 * reader, `loadParamsFile`) must hold the scenario's collateral, else
 * the scenario's own `params` block. Throws with the file and the field.
 */
export function validateGuardInputs(request: { params: ParamsFile | undefined; scenario: Scenario; scenarioFile: string; paramsFile?: string }): void {
  if (request.params !== undefined) {
    const name = request.paramsFile ?? "params file";
    const file = request.params;
    const symbols = request.scenario.collateral === "stETH" ? ["wstETH", "stETH"] : [request.scenario.collateral];
    if (!file.assets.some((a) => symbols.includes(a.symbol) || symbols.includes(a.lrt))) {
      throw new UserError(
        `${name}: /assets: expected an entry for ${symbols.join(" or ")} (scenario ${request.scenarioFile} field /collateral); found ${file.assets.map((a) => a.symbol).join(", ") || "none"}`,
      );
    }
    return;
  }
  if (request.scenario.params === undefined) return;
  const parsed = scenarioParamsSchema.safeParse(request.scenario.params);
  if (!parsed.success) {
    throw new ScenarioValidationError(
      request.scenarioFile,
      parsed.error.issues.map((i) => ({
        pointer: `/params/${i.path.join("/")}`,
        expected: i.message,
        found: JSON.stringify(i.path.reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k as string], request.scenario.params)) ?? "nothing",
      })),
    );
  }
}

/** The same model params with every knot's haircut at 0: the curve's levels and the trip stay, the discount cuts nothing. */
export function withFlatHaircutCurve(p: ModelParams): ModelParams {
  return { ...p, knot0HaircutBps: 0, knot1HaircutBps: 0, knot2HaircutBps: 0, knot3HaircutBps: 0 };
}

/** The venue-independent part of the protected run's settings (no haircut base values; those are Aave's). */
export interface ResolvedRiskSettings {
  modelParams: ModelParams;
  guard: GuardConfig;
  oracle: NonNullable<ScenarioParams["oracle"]>;
  /** Haircut floors, ramp and recovery requested (Aave venue only). */
  floors: Partial<HaircutConfig>;
  /** RiskAwareOracle settings requested (Morpho venue only). */
  riskAwareOracle: NonNullable<ScenarioParams["riskAwareOracle"]>;
  source: "params-file" | "scenario" | "defaults";
}

/** Resolves the protected run's settings from a params file, the scenario or the defaults. */
export async function resolveGuardSettings(req: GuardInstallRequest): Promise<ResolvedGuardSettings> {
  const r = resolveRiskSettings(req);
  return { modelParams: r.modelParams, guard: r.guard, oracle: r.oracle, haircut: await haircutFromMarket(req, r.floors), source: r.source };
}

/** Params file, else the scenario's own params, else the defaults: model params, guard, oracle and requested floors. */
export function resolveRiskSettings(req: Pick<GuardInstallRequest, "params" | "scenario" | "scenarioFile" | "collateralSymbol">): ResolvedRiskSettings {
  let riskAwareOracle: ScenarioParams["riskAwareOracle"] = {};
  let modelParams: ModelParams = DEFAULT_MODEL_PARAMS;
  let floors: Partial<HaircutConfig> = {};
  let guard: Partial<GuardConfig> = {};
  let oracle: ScenarioParams["oracle"] = {};
  let source: ResolvedGuardSettings["source"] = "defaults";
  if (req.params !== undefined) {
    const file = req.params;
    const symbols = req.scenario.collateral === "stETH" ? ["wstETH", "stETH", req.collateralSymbol] : [req.scenario.collateral, req.collateralSymbol];
    const entry = file.assets.find((a) => symbols.includes(a.symbol) || symbols.includes(a.lrt));
    if (!entry) {
      throw new UserError(`params file: no entry for ${req.collateralSymbol} in /assets (found ${file.assets.map((a) => a.symbol).join(", ") || "none"})`);
    }
    modelParams = entry.modelParams;
    // Floors, ramp, recovery and freeze from the file; base values stay the market's (see the file comment).
    const h = entry.haircut;
    floors = {
      floorLtvBps: h.floorLtvBps,
      floorLtBps: h.floorLtBps,
      eModeFloorLtvBps: h.eModeFloorLtvBps,
      eModeFloorLtBps: h.eModeFloorLtBps,
      ltRampBpsPerHour: h.ltRampBpsPerHour,
      recoveryBandBps: h.recoveryBandBps,
      recoveryBpsPerHour: h.recoveryBpsPerHour,
      recoveryCooldownSeconds: h.recoveryCooldownSeconds,
      freezeOnImpaired: h.freezeOnImpaired,
    };
    source = "params-file";
  } else if (req.scenario.params !== undefined) {
    const parsed = scenarioParamsSchema.safeParse(req.scenario.params);
    if (!parsed.success) {
      throw new ScenarioValidationError(
        req.scenarioFile,
        parsed.error.issues.map((i) => ({ pointer: `/params/${i.path.join("/")}`, expected: i.message, found: "see the scenario file" })),
      );
    }
    modelParams = parsed.data.modelParams ?? DEFAULT_MODEL_PARAMS;
    floors = parsed.data.haircut ?? {};
    guard = parsed.data.guard ?? {};
    oracle = parsed.data.oracle ?? {};
    riskAwareOracle = parsed.data.riskAwareOracle ?? {};
    source = "scenario";
  }
  // A market priced by the market feed already carries the discount in every health factor; a discount haircut from
  // a params file or the defaults (both written for exchange-rate-priced markets) would count it twice. Such runs keep
  // the knots (levels, trip) but a flat curve; NAV drops still cut. A scenario's own modelParams are taken as given.
  if (req.scenario.oracle === "market" && source !== "scenario") modelParams = withFlatHaircutCurve(modelParams);
  return { modelParams, guard: { ...DEFAULT_GUARD_CONFIG, ...guard }, oracle, floors, riskAwareOracle, source };
}

/**
 * Haircut config with the market's current base values. Default floors (ours, as the replica installer's): reserve
 * LTV 30 points and LT 20 points under base. A reserve whose LTV is 0 on-chain (offboarded by governance, e.g. rsETH
 * and ezETH on v3.6) gets base and floor LTV 0, the module's rule for it: its LTV stays 0, its LT, eMode category and
 * freeze are managed. eMode floors: on v3.0 just above the largest LTV/LT of the category's other members (Aave
 * v3.0.2 requires eMode values above them; requested floors are raised to those minimums); on v3.1+ (liquid eMode,
 * no member rule) the requested floors, else 30 points under the category LTV and 20 under its LT, as the reserve.
 */
async function haircutFromMarket(req: GuardInstallRequest, floors: Partial<HaircutConfig>): Promise<HaircutConfig> {
  const { ethers } = req.hre;
  const ap = new Contract(req.addressesProvider, PROVIDER_ABI, ethers.provider);
  const dp = new Contract(await ap.getPoolDataProvider(), RESERVE_ABI, ethers.provider);
  const pool = new Contract(await ap.getPool(), POOL_ABI, ethers.provider);
  const c = await dp.getReserveConfigurationData(req.collateral);
  const ltv = Number(c.ltv);
  const lt = Number(c.liquidationThreshold);
  const lb = Number(c.liquidationBonus);
  let e: EModeValues = { ltvBps: 0, ltBps: 0, bonusBps: 0 };
  let maxMemberLtv = 0;
  let maxMemberLt = 0;
  if (req.eModeCategoryId > 0) {
    e = await req.eModeConfig(req.eModeCategoryId);
    for (const r of (await pool.getReservesList()) as string[]) {
      if (r.toLowerCase() === req.collateral.toLowerCase()) continue;
      let cat = -1;
      try {
        cat = Number(await dp.getReserveEModeCategory(r));
      } catch {
        /* v3.2+ data provider: members are not listed this way; v3.2+ has no member rule either */
      }
      if (cat !== req.eModeCategoryId) continue;
      const m = await dp.getReserveConfigurationData(r);
      maxMemberLtv = Math.max(maxMemberLtv, Number(m.ltv));
      maxMemberLt = Math.max(maxMemberLt, Number(m.liquidationThreshold));
    }
  }
  const floorLtv = ltv === 0 ? 0 : Math.max(1, Math.min(ltv, Math.max(1, floors.floorLtvBps ?? ltv - 3000)));
  const floorLt = Math.min(lt, Math.max(floorLtv, floors.floorLtBps ?? Math.max(ltv - 3000, lt - 2000, 1)));
  const useEMode = req.eModeCategoryId > 0;
  const memberRule = req.generation === "v3.0";
  const eFloorLtvWanted = memberRule
    ? Math.max(floors.eModeFloorLtvBps ?? 0, maxMemberLtv + 50)
    : Math.max(1, floors.eModeFloorLtvBps ?? e.ltvBps - 3000, maxMemberLtv + 50);
  const eFloorLtv = useEMode ? Math.min(e.ltvBps, eFloorLtvWanted) : 0;
  const eFloorLtWanted = memberRule
    ? Math.max(floors.eModeFloorLtBps ?? 0, maxMemberLt + 100)
    : Math.max(eFloorLtv, floors.eModeFloorLtBps ?? e.ltBps - 2000, maxMemberLt + 100);
  const eFloorLt = useEMode ? Math.min(e.ltBps, eFloorLtWanted) : 0;
  return {
    baseLtvBps: ltv,
    baseLtBps: lt,
    liquidationBonusBps: lb,
    floorLtvBps: floorLtv,
    floorLtBps: floorLt,
    eModeCategoryId: useEMode ? req.eModeCategoryId : 0,
    eModeBaseLtvBps: useEMode ? e.ltvBps : 0,
    eModeBaseLtBps: useEMode ? e.ltBps : 0,
    eModeLiquidationBonusBps: useEMode ? e.bonusBps : 0,
    eModeFloorLtvBps: eFloorLtv,
    eModeFloorLtBps: eFloorLt,
    ltRampBpsPerHour: floors.ltRampBpsPerHour ?? 100,
    recoveryBandBps: floors.recoveryBandBps ?? 50,
    recoveryBpsPerHour: floors.recoveryBpsPerHour ?? 50,
    recoveryCooldownSeconds: floors.recoveryCooldownSeconds ?? 6 * HOUR,
    freezeOnImpaired: floors.freezeOnImpaired ?? true,
  };
}

/** Deploys, configures and installs Cascade Guard for the scenario's collateral; returns its addresses. */
export async function installGuardOnMarket(req: GuardInstallRequest): Promise<CascadeAddresses> {
  if (req.generation === "v3.7+" && req.installSentinel) {
    throw new Error(`installGuardOnMarket: this Pool (Aave ${req.generation}) no longer consults a PriceOracleSentinel (installSentinel must be false)`);
  }
  const s = await resolveGuardSettings(req);
  // The module drives the reserve and the collateral's eMode category on every generation: v3.0 the shared
  // category 1 (LTV cuts only, H-1), v3.1+ the LRT's own liquid-eMode category (the module cuts its LT too while the
  // LRT is its only collateral). An LTV-0 reserve is configured with LTV 0 (see haircutFromMarket).
  const haircut = s.haircut;
  const deployment = await deployCascadeGuard({
    deployer: req.operator,
    addressesProvider: req.addressesProvider,
    assets: [
      {
        symbol: req.collateralSymbol,
        asset: req.collateral,
        marketFeed: req.marketFeed,
        getRateSource: req.rateProvider,
        backingFeed: req.backingFeed,
        modelParams: s.modelParams,
        guard: s.guard,
        oracle: { marketHeartbeatSeconds: 7 * DAY, backingHeartbeatSeconds: 7 * DAY, ...s.oracle },
        haircut,
        pricing: req.scenario.oracle === "market" ? "market" : "exchange-rate",
      },
    ],
  });
  const sentinel = req.generation === "v3.0" ? true : (req.installSentinel ?? false);
  await installCascadeGuard({ signer: req.operator, addressesProvider: req.addressesProvider, cascade: deployment, setSentinel: sentinel });
  const { riskOracle, haircutModule, pauseGuard } = deployment.addresses;
  if (!haircutModule) throw new Error("installGuardOnMarket: the WideningHaircutModule artifact is missing (compile the contracts)");
  const graceAdapter =
    req.generation === "v3.0"
      ? undefined
      : (await installGraceAdapter({ signer: req.operator, addressesProvider: req.addressesProvider, pauseGuard })).address;
  return { riskOracle, haircutModule, pauseGuard, settingsSource: s.source, sentinelInstalled: sentinel, ...(graceAdapter ? { graceAdapter } : {}) };
}
