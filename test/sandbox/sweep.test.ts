// A caller's first act (issue 20 item 1): every documented sandbox row, in a random order, twice;
// each gives its documented answer every time, the fault rows included (their faults are
// simulated: no breaker opens, no later row changes). Expectations: test/fixtures/sandbox-rows.ts.
import { describe, expect, it, onTestFinished, vi } from "vitest";
import type { Envelope } from "../../src/wire/envelope.ts";
import { SANDBOX_ROWS, type SandboxAnswer, type SandboxRow } from "../fixtures/sandbox-rows.ts";
import { createAccount, freshIsolate, logonBody, sendSettled, type TestAccount } from "../support/caller.ts";

/** A small seeded shuffle, so a failing order can be replayed from the seed in the message. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const answerOf = (envelope: Envelope): SandboxAnswer =>
  envelope.errorCode === "200"
    ? {
        errorCode: "200",
        returnCode: envelope.returnCode as "10000",
        matchCode: envelope.info?.matchCode ?? null,
        carrier: envelope.info?.carrier ?? null,
      }
    : { errorCode: envelope.errorCode };

async function sweep(account: TestAccount, rows: readonly SandboxRow[]): Promise<Record<string, SandboxAnswer>> {
  const answers: Record<string, SandboxAnswer> = {};
  for (const { row, identity } of rows) {
    const response = await sendSettled(JSON.stringify(await logonBody(account, identity)));
    answers[row] = answerOf((await response.json()) as Envelope);
  }
  return answers;
}

const documented = Object.fromEntries(SANDBOX_ROWS.map((r) => [r.row, r.answer]));

const quiet = () => {
  for (const level of ["log", "warn", "error"] as const) {
    const spy = vi.spyOn(console, level).mockImplementation(() => {});
    onTestFinished(() => spy.mockRestore());
  }
};

describe("the sandbox swept top to bottom", () => {
  // One account per sweep: within an account the duplicate window answers a repeated 200 with 309.
  it("every row gives its documented answer, in the table's order and then in two random orders", async () => {
    quiet();
    freshIsolate();
    const seed = Date.now();
    const inOrder = await sweep(await createAccount(), SANDBOX_ROWS);
    const first = await sweep(await createAccount(), shuffled(SANDBOX_ROWS, seed));
    const second = await sweep(await createAccount(), shuffled(SANDBOX_ROWS, seed + 1));
    expect({ seed, inOrder, first, second }).toEqual({
      seed,
      inOrder: documented,
      first: documented,
      second: documented,
    });
  }, 30_000);

  it("after the fault rows again and again, every row still gives its documented answer", async () => {
    quiet();
    freshIsolate();
    const faults = SANDBOX_ROWS.filter((r) => r.answer.errorCode !== "200" && r.answer.errorCode !== "308");
    const account = await createAccount();
    const repeated = [await sweep(account, faults), await sweep(account, faults), await sweep(account, faults)];
    const after = await sweep(await createAccount(), shuffled(SANDBOX_ROWS, Date.now()));
    const faultAnswers = Object.fromEntries(faults.map((r) => [r.row, r.answer]));
    expect({ repeated, after }).toEqual({ repeated: [faultAnswers, faultAnswers, faultAnswers], after: documented });
  }, 30_000);

  it("a simulated fault is logged as simulated, never as a key problem or a circuit opening", async () => {
    const logs = vi.spyOn(console, "log").mockImplementation(() => {});
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    onTestFinished(() => {
      for (const spy of [logs, warn, error]) spy.mockRestore();
    });
    freshIsolate();
    const keyRow = SANDBOX_ROWS.find((r) => r.row === "13900010001")!;
    await sweep(await createAccount(), [keyRow]);
    const events = [...logs.mock.calls, ...warn.mock.calls, ...error.mock.calls]
      .map((c) => JSON.parse(String(c[0])) as { event: string; upstream?: string; code?: string })
      .filter((line) => line.event !== "verifyMobile");
    expect(events).toEqual(
      ["juhe3", "tencent"].map((upstream) => ({
        level: "info",
        event: "upstream_fault_simulated",
        upstream,
        code: upstream === "juhe3" ? "10001" : "AuthFailure.SecretIdNotFound",
        errorCode: "500",
      })),
    );
  });
});
