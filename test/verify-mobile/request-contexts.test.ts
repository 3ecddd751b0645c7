// No request may await a promise or use an I/O object another request created (workerd cancels
// such requests: "Promise will never complete", "different request context", "hung"). Concurrent
// mixed requests of one and of several accounts go through the Worker's real entry point, each in
// its own request context; the test fails on any such console line, on an unhandled error or a
// failed background write. The runtime's own warnings do not reach the vitest pool's console: the
// Node twin (request-contexts.node.test.ts) watches them in workerd's log.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { withCheckDigit } from "../fixtures/identities.ts";
import { ZHANG } from "../fixtures/sandbox-people.ts";
import {
  createAccount,
  encryptLogon,
  freshIsolate,
  IV,
  sendForm,
  type TestAccount,
  verify,
} from "../support/caller.ts";

const CROSS_CONTEXT = /Promise will never complete|different request context|hung/i;
const identity = (i: number) => ({
  idCard: withCheckDigit(`11010119900101${String(i).padStart(3, "0")}`),
  userName: "张三",
  loginphone: ZHANG.phone,
});

let printed: string[];
beforeEach(() => {
  freshIsolate();
  printed = [];
  for (const method of ["log", "warn", "error", "info", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(" ")));
  }
});
afterEach(() => vi.restoreAllMocks());

/** One account's mix: billable answers, decryption failures (307) and invalid IDs (310). */
async function mixFor(account: TestAccount, other: TestAccount, round: number) {
  const badKey = await encryptLogon(other.logonKey, identity(round));
  return Promise.all([
    verify(account, identity(round * 10 + 1)),
    verify(account, identity(round * 10 + 2)),
    sendForm({ token: account.token, iv: IV, logon: badKey }),
    sendForm({ token: account.token, iv: IV, logon: badKey }),
    verify(account, { ...identity(round), idCard: "110101199003074515" }),
    verify(account, { ...identity(round), idCard: "110101199003074515" }),
  ]);
}

describe("concurrent requests", () => {
  it("never share a promise or an I/O object across request contexts", async () => {
    // Diagnostics on, so an invalid ID is its own 310 (docs/contract.md §2).
    const accounts = await Promise.all([1, 2, 3].map(() => createAccount({ diagnostics: true })));
    const answers: string[] = [];
    for (let round = 0; round < 4; round++) {
      const sent = (
        await Promise.all(accounts.map((account, i) => mixFor(account, accounts[(i + 1) % accounts.length]!, round)))
      ).flat();
      answers.push(...sent.map((s) => s.envelope.errorCode));
    }
    // Let the last round's ledger flushes and settlements run out.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect({
      lines: printed.filter((line) => CROSS_CONTEXT.test(line) || !line.startsWith('{"')),
      unhandled: printed.filter((line) => line.includes('"unhandled"') || line.includes("_failed")),
      ours: answers.filter((code) => code === "500"),
      mixed: ["200", "307", "310"].every((code) => answers.includes(code)),
    }).toEqual({ lines: [], unhandled: [], ours: [], mixed: true });
  });
});
