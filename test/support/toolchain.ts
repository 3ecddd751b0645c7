// Whether a test that needs a tool outside the Node toolchain (a JDK, a browser) can run. In CI
// (CI=true; .ci/run sets it and installs the tools) a missing tool fails the run, so these
// tests cannot silently stop running; elsewhere they are skipped with the reason printed.
/// <reference types="node" />

/** True when `missing` is null; otherwise prints why `what` is skipped, or throws in CI. */
export function canRun(what: string, missing: string | null): boolean {
  if (missing === null) return true;
  if (process.env.CI === "true") throw new Error(`${what}: ${missing}, and CI must run it (.ci/run installs it)`);
  console.warn(`${what}: skipped, ${missing}`);
  return false;
}
