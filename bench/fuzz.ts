import type { HardhatRuntimeEnvironment } from "hardhat/types";

/**
 * Invariant fuzz benchmark: the stateful suite of test/contracts/invariants (real Aave v3.0.2 Pool + Cascade Guard)
 * run long, reporting sequences per second.
 *
 *   FUZZ_SEED      seed (default 1)
 *   FUZZ_RUNS      sequences (default 300; 30 with --quick)
 *   FUZZ_COMMANDS  maximum commands per sequence (default 40)
 *   FUZZ_DISABLE   comma-separated invariant ids switched off (e.g. to time a run while a known fault is unfixed)
 *   FUZZ_SURVEY=1  survey mode: never stop at a violation; per sequence, record the first violation, switch that
 *                  invariant off and replay the sequence until it runs clean, then greedily shrink the shortest
 *                  failing prefix of each invariant. Prints, per invariant, how many sequences broke it and one
 *                  minimal counterexample (used to show which faults the suite catches on pre-fix contracts).
 *
 * Default mode is fc.check with shrinking: it fails the bench with the shrunk counterexample when an invariant breaks.
 */
export default async function run(_hre: HardhatRuntimeEnvironment, { quick }: { quick: boolean }): Promise<void> {
  const fc = (await import("fast-check")).default;
  const { loadFixture } = await import("@nomicfoundation/hardhat-network-helpers");
  const { commandsArbitrary } = await import("../test/contracts/invariants/commands");
  const m = await import("../test/contracts/invariants/model");
  const seed = Number(process.env.FUZZ_SEED ?? 1);
  const runs = Number(process.env.FUZZ_RUNS ?? (quick ? 30 : 300));
  const maxCommands = Number(process.env.FUZZ_COMMANDS ?? 40);
  const survey = process.env.FUZZ_SURVEY === "1";
  const disable = (process.env.FUZZ_DISABLE ?? "").split(",").map((x) => x.trim()).filter(Boolean);
  for (const id of disable) if (!(id in m.INVARIANTS)) throw new Error(`bench fuzz: FUZZ_DISABLE: unknown invariant ${id} (known: ${Object.keys(m.INVARIANTS).join(", ")})`);

  let steps = 0;
  const setup = async () => {
    const w = await loadFixture(m.deployInvariantWorld);
    m.setErrorDecoders(w);
    const model = await m.initialModel(w);
    return { model, real: w };
  };
  type Cmd = Parameters<typeof fc.asyncModelRun>[1] extends Iterable<infer C> ? C : never;
  /** Runs one sequence; returns the violation (and the number of steps run) or undefined. */
  const runOnce = async (cmds: readonly Cmd[], disabled: Set<string>) => {
    m.disabledInvariants.clear();
    for (const d of disabled) m.disabledInvariants.add(d as never);
    let ran = 0;
    const counted = cmds.map((c) => ({
      check: (mm: never) => c.check(mm),
      run: async (mm: never, r: never) => {
        ran++;
        await c.run(mm, r);
      },
      toString: () => c.toString(),
    }));
    try {
      await fc.asyncModelRun(setup as never, counted as never);
      return { violation: undefined, ran };
    } catch (err) {
      if (err instanceof m.InvariantViolation) return { violation: err, ran };
      throw err;
    } finally {
      steps += ran;
      m.disabledInvariants.clear();
    }
  };

  const t0 = Date.now();
  if (!survey) {
    for (const id of disable) m.disabledInvariants.add(id as never);
    const out = await fc.check(
      fc.asyncProperty(commandsArbitrary(maxCommands), async (cmds) => {
        const list = [...cmds];
        steps += list.length;
        await fc.asyncModelRun(setup, list);
      }),
      { seed, numRuns: runs },
    );
    const secs = (Date.now() - t0) / 1000;
    m.disabledInvariants.clear();
    console.log(`invariant fuzz: seed ${seed}, ${out.numRuns} sequences of up to ${maxCommands} commands, ${steps} steps in ${secs.toFixed(1)} s${disable.length ? ` (switched off: ${disable.join(", ")})` : ""}`);
    console.log(`sequences/s:              ${(out.numRuns / secs).toFixed(2)}${out.failed ? " (including shrinking)" : ""}; steps/s ${(steps / secs).toFixed(1)}`);
    if (out.failed) {
      throw new Error(`bench fuzz: an invariant broke (seed ${seed}, path ${out.counterexamplePath}):\n${fc.stringify(out.counterexample)}\n${String(out.errorInstance)}`);
    }
    console.log("every invariant held after every step");
    return;
  }

  // Survey mode.
  const samples = fc.sample(commandsArbitrary(maxCommands), { seed, numRuns: runs }).map((c) => [...c] as Cmd[]);
  const found = new Map<string, { count: number; prefix: Cmd[]; message: string }>();
  for (const cmds of samples) {
    const disabled = new Set<string>();
    for (;;) {
      const r = await runOnce(cmds, disabled);
      if (!r.violation) break;
      const id = r.violation.id;
      disabled.add(id);
      const prefix = cmds.slice(0, r.ran);
      const f = found.get(id);
      if (!f) found.set(id, { count: 1, prefix, message: r.violation.message });
      else {
        f.count++;
        if (prefix.length < f.prefix.length) Object.assign(f, { prefix, message: r.violation.message });
      }
    }
  }
  const secs = (Date.now() - t0) / 1000;
  console.log(`invariant fuzz survey: seed ${seed}, ${samples.length} sequences of up to ${maxCommands} commands, ${steps} steps in ${secs.toFixed(1)} s (${(samples.length / secs).toFixed(2)} sequences/s with replays)`);
  for (const id of Object.keys(m.INVARIANTS)) {
    const f = found.get(id);
    if (!f) {
      console.log(`  ${id}: held in every sequence`);
      continue;
    }
    // Greedy shrink: drop commands one at a time while the same invariant still breaks first among the enabled.
    let best = f.prefix;
    const others = new Set(Object.keys(m.INVARIANTS).filter((x) => x !== id));
    let progress = true;
    while (progress) {
      progress = false;
      for (let i = 0; i < best.length; i++) {
        const candidate = [...best.slice(0, i), ...best.slice(i + 1)];
        const r = await runOnce(candidate, others);
        if (r.violation?.id === id) {
          best = candidate.slice(0, r.ran);
          f.message = r.violation.message;
          progress = true;
          break;
        }
      }
    }
    console.log(`  ${id}: broken in ${f.count}/${samples.length} sequences; minimal: [${best.map(String).join(", ")}]`);
    console.log(`      ${f.message}`);
  }
}
