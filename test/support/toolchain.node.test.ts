// The rule that keeps toolchain tests honest: skipped with a reason on a developer's machine,
// a failure in CI.
/// <reference types="node" />
import { afterEach, describe, expect, it, vi } from "vitest";
import { findCommand } from "../../scripts/lib/find-command.ts";
import { canRun } from "./toolchain.ts";

afterEach(() => vi.unstubAllEnvs());

describe("toolchain", () => {
  it("finds the first command on PATH", () => {
    expect(findCommand("no-such-command-here", "sh")).toMatch(/\/sh$/);
    expect(findCommand("no-such-command-here")).toBeNull();
  });

  it("runs when nothing is missing", () => {
    vi.stubEnv("CI", "true");
    expect(canRun("x", null)).toBe(true);
  });

  it("skips with the reason printed outside CI", () => {
    vi.stubEnv("CI", "");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    expect(canRun("the browser test", "no browser on PATH")).toBe(false);
    expect(warn).toHaveBeenCalledWith("the browser test: skipped, no browser on PATH");
  });

  it("fails in CI", () => {
    vi.stubEnv("CI", "true");
    expect(() => canRun("the browser test", "no browser on PATH")).toThrow(
      "the browser test: no browser on PATH, and CI must run it (.ci/run installs it)",
    );
  });
});
