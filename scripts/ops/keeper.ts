/**
 * A small keeper: every round, for every watched asset, make only the permissionless calls that would change state.
 *
 *   haircut  `WideningHaircutModule.poke(asset)` when its static call returns a state other than the stored one
 *            (its ramp clock compared as running or not), sent right after the oracle's poke, back to back: in one
 *            block the module reads the observation the oracle recorded there (each transaction under 150k gas);
 *   oracle   `CollateralRiskOracle.poke(asset)` when its static call returns a state other than the stored one
 *            (ignoring the `lastPokeAt` and `recentHighAt` clocks), i.e. when price, rate, discount, EMA, streaks or
 *            level would move, or as the first of the pair above;
 *   guard    `trip(asset)` when liquidations of the asset are not blocked and the static call passes (discount >=
 *            trip, not IMPAIRED, cooldown and rolling cap allow); `release(asset)` while they are blocked and the
 *            static call passes (the oracle shows IMPAIRED: pausing on a real loss only grows bad debt);
 *   adapter  Aave v3.1+ only: `AaveGracePeriodAdapter.sync(asset)` when its static call says it would change Aave's
 *            per-reserve liquidation grace period.
 * Every action is logged with its transaction or its reason for not being sent. A failed transaction or an RPC
 * error is logged and the round goes on; the loop survives it.
 */
import { Contract, Interface, Signer, getAddress } from "ethers";
import { CascadeAbis, errorInterfaces } from "./abis";
import { CallOutcome, Logger, describeRevert, sendBackToBack, sendLogged } from "./tx";

export interface KeeperAddresses {
  oracle: string;
  haircutModule?: string;
  guard?: string;
  /** Aave v3.1+ grace-period adapter: `sync(asset)` mirrors the guard's pause into Aave's per-reserve grace period. */
  gracePeriodAdapter?: string;
}

export interface KeeperAction {
  asset: string;
  symbol: string;
  action: "haircut.poke" | "oracle.poke" | "guard.trip" | "guard.release" | "graceAdapter.sync";
  outcome: CallOutcome | { ok: true; status: "skipped-noop"; reason: string } | { ok: false; status: "error"; error: string };
}

/**
 * Oracle state fields that move on every poke without changing any decision: the poke time, and the time of the
 * recent high (refreshed while the rate sits at its high). A poke that would change only these is a no-op.
 */
/**
 * Gas limit floor of every keeper transaction. The oracle's poke is idempotent within a block: a node estimating a
 * call in the context of a block whose timestamp equals the asset's `lastPokeAt` (a poke in the latest block; on
 * anvil, any block of the same wall-clock second) gets the early-return cost, while the transaction, mined in a
 * later block, runs the full poke (and may write into Aave): up to ~3x the estimate, more than any percentage
 * headroom covers. The most expensive keeper call measured is ~211k gas (docs/contracts.md); unused gas is not paid.
 */
export const KEEPER_GAS_FLOOR = 500_000n;

const ORACLE_CLOCKS = ["lastPokeAt", "recentHighAt"] as const;
/** ICollateralRiskOracle.RiskLevel.IMPAIRED */
const IMPAIRED = 3;
/**
 * The module's state as the keeper compares it: its ramp clock advances with time alone, so only whether it runs
 * counts (a clock starting or stopping is a change the module must record; an advance is not).
 */
function haircutKey(state: unknown): string {
  const running = BigInt((state as { rampClockAt: bigint | number }).rampClockAt) !== 0n;
  return `${stripKeys(state, ["rampClockAt"])},rampRunning=${running}`;
}

function stripKeys(result: unknown, ignore: readonly string[]): string {
  const r = result as { toObject?: () => Record<string, unknown> };
  const obj = typeof r?.toObject === "function" ? r.toObject() : (result as Record<string, unknown>);
  const kept = Object.entries(obj)
    .filter(([k]) => !ignore.includes(k))
    .map(([k, v]) => `${k}=${String(v)}`);
  return kept.join(",");
}

/** One keeper round over `assets` (default: every asset the oracle knows). Never throws for a single failure. */
/**
 * Asked before a keeper-side parameter step (a `haircut.poke` that would lower a liquidation threshold in Aave):
 * `send: false` skips the step (logged with `reason`). Built by `runKeeper` from the impact check.
 */
export type KeeperImpactGate = (step: { asset: string; symbol: string; to: string; data: string; impaired: boolean }) => Promise<{ send: boolean; reason: string }>;

export async function keeperRound(req: {
  signer: Signer;
  addresses: KeeperAddresses;
  abis: CascadeAbis;
  assets?: readonly string[];
  symbols?: Record<string, string>;
  log: Logger;
  impactGate?: KeeperImpactGate;
}): Promise<KeeperAction[]> {
  const { signer, addresses, abis, log } = req;
  const errIfaces: Interface[] = errorInterfaces(abis);
  const oracle = new Contract(addresses.oracle, abis.oracle, signer);
  const haircut = addresses.haircutModule ? new Contract(addresses.haircutModule, abis.haircutModule, signer) : undefined;
  const guard = addresses.guard ? new Contract(addresses.guard, abis.guard, signer) : undefined;
  const graceAdapter = addresses.gracePeriodAdapter ? new Contract(addresses.gracePeriodAdapter, abis.gracePeriodAdapter, signer) : undefined;
  const actions: KeeperAction[] = [];
  const name = (a: string) => req.symbols?.[getAddress(a)] ?? a;

  let assets: string[];
  try {
    assets = (req.assets ?? (await oracle.getAssets())).map((a: string) => getAddress(a));
  } catch (err) {
    log(`keeper: cannot list assets: ${describeRevert(err, errIfaces)}`);
    return actions;
  }
  const haircutAssets = new Set<string>();
  const guardAssets = new Set<string>();
  try {
    if (haircut) for (const a of await haircut.getAssets()) haircutAssets.add(getAddress(a));
    if (guard) for (const a of await guard.getAssets()) guardAssets.add(getAddress(a));
  } catch (err) {
    log(`keeper: cannot list module/guard assets: ${describeRevert(err, errIfaces)}`);
  }

  /** Runs one action and records its outcome; `null` records nothing (the outcome is recorded elsewhere). */
  const step = async (asset: string, action: KeeperAction["action"], fn: () => Promise<KeeperAction["outcome"] | null>) => {
    let outcome: KeeperAction["outcome"] | null;
    try {
      outcome = await fn();
    } catch (err) {
      const why = describeRevert(err, errIfaces);
      log(`  ✗ ${name(asset)} ${action}: ${why}`);
      outcome = { ok: false, status: "error", error: why };
    }
    if (outcome) actions.push({ asset, symbol: name(asset), action, outcome });
  };
  /** A poke's static call: its result, or the refusal of a call that would revert (logged, not sent). */
  const previewPoke = async (contract: Contract, asset: string, action: KeeperAction["action"]) => {
    try {
      return { preview: await contract.poke.staticCall(asset) };
    } catch (err) {
      const why = describeRevert(err, errIfaces);
      log(`  ✗ ${name(asset)} ${action}: would revert: ${why} (not sent)`);
      return { refused: { ok: false, status: "reverted-static", error: why } as CallOutcome };
    }
  };
  const skip = (asset: string, action: string, reason: string) => {
    log(`  · ${name(asset)} ${action}: skipped (${reason})`);
    return { ok: true as const, status: "skipped-noop" as const, reason };
  };

  for (const asset of assets) {
    // The module's poke is due when it would change a value it writes into Aave, its freeze or its own state (a
    // ramp clock starting or stopping counts; the clock advancing does not). It is then sent right after the
    // oracle's poke (below): in one block, the module reads the observation the oracle just recorded instead of
    // reading the feeds again, and each transaction stays under 150k gas (docs/contracts.md, Gas).
    let haircutDue = false;
    if (haircut && haircutAssets.has(asset)) {
      /** The module's poke: "due", or why it is not sent. */
      const decide = async (): Promise<KeeperAction["outcome"] | "due"> => {
        const { preview, refused } = await previewPoke(haircut, asset, "haircut.poke");
        if (refused) return refused;
        const stored = await haircut.getHaircutState(asset);
        if (haircutKey(preview) === haircutKey(stored)) return skip(asset, "haircut.poke", "no change to Aave values or the module's state");
        // A step that lowers a liquidation threshold can liquidate positions: check its impact first.
        const lowersLt = Number(preview.ltBps) < Number(stored.ltBps) || Number(preview.eModeLtBps) < Number(stored.eModeLtBps);
        if (lowersLt && req.impactGate) {
          const level = Number((await oracle.poke.staticCall(asset)).level);
          const gate = await req.impactGate({ asset, symbol: name(asset), to: await haircut.getAddress(), data: haircut.interface.encodeFunctionData("poke", [asset]), impaired: level === IMPAIRED });
          if (!gate.send) return skip(asset, "haircut.poke", gate.reason);
          log(`  · ${name(asset)} haircut.poke: impact check: ${gate.reason}`);
        }
        return "due";
      };
      // A due poke's outcome is the pair's, recorded below.
      await step(asset, "haircut.poke", async () => {
        const d = await decide();
        haircutDue = d === "due";
        return d === "due" ? null : d;
      });
    }
    if (haircutDue) {
      const [o, h] = await sendBackToBack({
        signer,
        calls: [
          { contract: oracle, method: "poke", args: [asset], label: `${name(asset)} oracle.poke` },
          { contract: haircut!, method: "poke", args: [asset], label: `${name(asset)} haircut.poke` },
        ],
        log,
        errorInterfaces: errIfaces,
        gasFloor: KEEPER_GAS_FLOOR,
      });
      if (o.ok && h.ok && o.blockNumber !== h.blockNumber) {
        // The oracle's poke is idempotent per timestamp: two blocks of one second (anvil) still share the observation.
        const at = async (n: number) => (await signer.provider!.getBlock(n))?.timestamp;
        const [ot, ht] = [await at(o.blockNumber!), await at(h.blockNumber!)];
        if (ot !== ht) log(`  · ${name(asset)}: the oracle's and the module's pokes were mined at ${ot} and ${ht} (blocks ${o.blockNumber}, ${h.blockNumber}): the module read the feeds itself`);
      }
      actions.push({ asset, symbol: name(asset), action: "oracle.poke", outcome: o });
      actions.push({ asset, symbol: name(asset), action: "haircut.poke", outcome: h });
    } else {
      await step(asset, "oracle.poke", async () => {
        const { preview, refused } = await previewPoke(oracle, asset, "oracle.poke");
        if (refused) return refused;
        const stored = await oracle.getAssetState(asset);
        if (stripKeys(preview, ORACLE_CLOCKS) === stripKeys(stored, ORACLE_CLOCKS)) return skip(asset, "oracle.poke", "state would not change");
        return sendLogged({ contract: oracle, method: "poke", args: [asset], label: `${name(asset)} oracle.poke`, log, errorInterfaces: errIfaces, skipStaticCall: true, gasFloor: KEEPER_GAS_FLOOR });
      });
    }
    if (guard && guardAssets.has(asset)) {
      // While liquidations of the asset are blocked, the only permissionless action is `release` (it passes when
      // the oracle shows IMPAIRED); otherwise `trip` (it passes when the discount is at or above the trip threshold,
      // the asset is not IMPAIRED, and cooldown and rolling cap allow). The static call decides.
      let blocked: boolean;
      try {
        blocked = await guard.isAssetLiquidationBlocked(asset);
      } catch (err) {
        const why = describeRevert(err, errIfaces);
        log(`  ✗ ${name(asset)} guard: cannot read pause state: ${why}`);
        actions.push({ asset, symbol: name(asset), action: "guard.trip", outcome: { ok: false, status: "error", error: why } });
        continue;
      }
      const action = blocked ? "guard.release" : "guard.trip";
      const method = blocked ? "release" : "trip";
      await step(asset, action, async () => {
        if (blocked) {
          // The guardian may release any time, so a passing static call proves nothing when the keeper's account
          // happens to hold GUARDIAN_ROLE. The keeper only ever takes the permissionless path: release on IMPAIRED,
          // judged from the oracle's state after the poke that `release` itself performs.
          const after = await oracle.poke.staticCall(asset);
          if (Number(after.level ?? after[after.length - 1]) !== IMPAIRED) return skip(asset, action, "not IMPAIRED (the keeper never uses guardian powers)");
        }
        try {
          await guard.getFunction(method).staticCall(asset);
        } catch (err) {
          return skip(asset, action, `conditions do not hold: ${describeRevert(err, errIfaces)}`);
        }
        return sendLogged({ contract: guard, method, args: [asset], label: `${name(asset)} ${action}`, log, errorInterfaces: errIfaces, skipStaticCall: true, gasFloor: KEEPER_GAS_FLOOR });
      });
      if (graceAdapter) {
        // `sync` returns whether it would change Aave's grace period; false = already mirrored (no-op).
        await step(asset, "graceAdapter.sync", async () => {
          let changes: boolean;
          try {
            changes = await graceAdapter.sync.staticCall(asset);
          } catch (err) {
            const why = describeRevert(err, errIfaces);
            log(`  ✗ ${name(asset)} graceAdapter.sync: would revert: ${why} (not sent)`);
            return { ok: false, status: "reverted-static", error: why } as CallOutcome;
          }
          if (!changes) return skip(asset, "graceAdapter.sync", "Aave's grace period already mirrors the guard");
          return sendLogged({ contract: graceAdapter, method: "sync", args: [asset], label: `${name(asset)} graceAdapter.sync`, log, errorInterfaces: errIfaces, skipStaticCall: true, gasFloor: KEEPER_GAS_FLOOR });
        });
      }
    }
  }
  return actions;
}

/** Runs rounds every `intervalSeconds` until `shouldStop()` (or once). */
export async function keeperLoop(req: Parameters<typeof keeperRound>[0] & { intervalSeconds: number; once: boolean; shouldStop?: () => boolean; maxRounds?: number }): Promise<void> {
  let round = 0;
  if (req.addresses.guard) {
    try {
      const guard = new Contract(req.addresses.guard, req.abis.guard, req.signer);
      if (await guard.hasRole(await guard.GUARDIAN_ROLE(), await req.signer.getAddress())) {
        req.log("keeper: note: this account holds GUARDIAN_ROLE; the keeper never uses it (it releases only on IMPAIRED). A separate keeper key is safer.");
      }
    } catch {
      /* informational only */
    }
  }
  for (;;) {
    round++;
    req.log(`keeper round ${round} at ${new Date().toISOString()}`);
    try {
      await keeperRound(req);
    } catch (err) {
      req.log(`keeper round ${round} failed: ${(err as Error).message}; continuing`);
    }
    if (req.once || req.shouldStop?.() || (req.maxRounds !== undefined && round >= req.maxRounds)) return;
    await new Promise((r) => setTimeout(r, req.intervalSeconds * 1000));
    if (req.shouldStop?.()) return;
  }
}
