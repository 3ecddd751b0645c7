// Whether a test that needs a tool outside the Node toolchain (a JDK, a browser) can run. In CI
// (CI=true; .ci/run sets it and installs the tools) a missing tool fails the run, so these
// tests cannot silently stop running; elsewhere they are skipped with the reason printed.
/// <reference types="node" />

/**
 * Whether this is a CI run: CI set to anything but empty, `0` or `false` (CI services set `true`,
 * `1` or `True`; .ci/run sets `true`).
 */
export function inCi(): boolean {
  const ci = (process.env.CI ?? "").trim().toLowerCase();
  return ci !== "" && ci !== "0" && ci !== "false";
}

/** True when `missing` is null; otherwise prints why `what` is skipped, or throws in CI. */
export function canRun(what: string, missing: string | null): boolean {
  if (missing === null) return true;
  if (inCi()) throw new Error(`${what}: ${missing}, and CI must run it (.ci/run installs it)`);
  console.warn(`${what}: skipped, ${missing}`);
  return false;
}
