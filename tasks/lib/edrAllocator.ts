/**
 * Allocator settings for Hardhat's in-process network (EDR), applied when `hardhat.config.ts` is loaded, before EDR's
 * native module is: its allocator (mimalloc) reads them once, when the module loads.
 *
 * Why: EDR records a trace of every EVM step of every call and transaction (for Solidity stack traces; Hardhat 2
 * has no switch to turn it off), a buffer that grows with the steps executed and is freed after the request. With
 * mimalloc's defaults on this machine (`allow_large_os_pages` 2 with transparent huge pages on `madvise`, purge after
 * 10 ms), that buffer is mapped on fresh 2 MiB huge pages that the kernel zeroes and mimalloc hands back almost at
 * once, request after request: `perf` showed 64% of a pure-EVM loop's time in the kernel's `clear_page_erms` under
 * `TraceCollector::notify_step_start`, and the replay bench spent 24 s in the kernel (sys) against 97 s in user code.
 * Small pages and a 1 s purge delay keep the pages mapped between requests (measured in docs/replay.md, "Replay
 * speed"). Nothing else changes: the EVM, its gas and every result are the same.
 *
 * A value the user set in the environment wins.
 */

/** mimalloc options (environment variables) for EDR. */
export const EDR_ALLOCATOR_ENV: Readonly<Record<string, string>> = {
  /** No huge OS pages: a freshly touched 2 MiB page costs a 2 MiB zeroing in the kernel. */
  MIMALLOC_ALLOW_LARGE_OS_PAGES: "0",
  /** Freed memory goes back to the OS after 1 s (default 10 ms), so consecutive requests reuse mapped pages. */
  MIMALLOC_PURGE_DELAY: "1000",
};

/** The variables of `EDR_ALLOCATOR_ENV` that `env` does not set yet, with their values. */
export function edrAllocatorEnvToSet(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(EDR_ALLOCATOR_ENV).filter(([name]) => env[name] === undefined));
}

/** Sets the missing variables in `env` (the process environment by default); returns their names. */
export function applyEdrAllocatorEnv(env: Record<string, string | undefined> = process.env): string[] {
  const toSet = edrAllocatorEnvToSet(env);
  for (const [name, value] of Object.entries(toSet)) env[name] = value;
  return Object.keys(toSet);
}

applyEdrAllocatorEnv();
