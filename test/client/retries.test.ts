// The client's retries against the running Worker: which answers are retried, with which requestId
// and iv, how long it waits between attempts and how long it waits for each (docs/clients.md).
import { beforeEach, describe, expect, it } from "vitest";
import { backoff, DEFAULT_DEADLINE_MS, DEFAULT_RETRIES, DEFAULT_TIMEOUT_MS } from "../../client/index.ts";
import { createAccount, freshIsolate } from "../support/caller.ts";
import { clientFor, decryptSent, envelope503, failure, onceFor, phone, recording, toWorker, ZHANG } from "./helpers.ts";

beforeEach(freshIsolate);

describe("retries", () => {
  /** A fetch that loses the first answer after the Worker has given it (the connection dropped). */
  const losingFirstAnswer = () => {
    let calls = 0;
    return recording(async (url, init) => {
      const response = await toWorker(url, init);
      await response.text();
      if (calls++ === 0) throw new TypeError("connection reset");
      return toWorker(url, init);
    });
  };

  it("resends after a 503 envelope, with the same identity and requestId under a new iv", async () => {
    const account = await createAccount();
    let calls = 0;
    const wire = recording((url, init) => (calls++ === 0 ? Promise.resolve(envelope503()) : toWorker(url, init)));
    const result = await clientFor(account, { fetch: wire.fetch }).verify(ZHANG);
    const [first, second] = wire.sent;
    expect([wire.sent.length, result.result, result.attempts]).toEqual([2, "consistent", 2]);
    expect(first!.get("iv")).not.toBe(second!.get("iv"));
    expect([first!.get("token"), first!.get("requestId"), await decryptSent(account, first!)]).toEqual([
      second!.get("token"),
      second!.get("requestId"),
      await decryptSent(account, second!),
    ]);
  });

  it("retries by default: three requests in all, and throws the last upstream error with its order number", async () => {
    const wire = recording();
    const error = await failure(clientFor(await createAccount(), { fetch: wire.fetch }).verify(phone("13900010020")));
    expect([wire.sent.length, error.code, error.orderNo, error.attempts]).toEqual([3, "503", wire.orderNos[2], 3]);
    expect(new Set(wire.sent.map((f) => f.get("requestId"))).size).toBe(1);
  });

  it("resends after fetch throws, and the same requestId replays the answer the caller never saw, billed once", async () => {
    const wire = losingFirstAnswer();
    const result = await clientFor(await createAccount(), { fetch: wire.fetch }).verify(ZHANG);
    expect(result).toEqual({
      result: "consistent",
      matchCode: "11",
      carrier: "CMCC",
      orderNo: wire.orderNos[0],
      billable: false,
      duplicate: true,
      requestId: wire.sent[0]!.get("requestId"),
      attempts: 2,
    });
    expect(wire.sent[0]!.get("iv")).not.toBe(wire.sent[1]!.get("iv"));
  });

  it("resends after a timeout", async () => {
    let calls = 0;
    const wire = recording((url, init) =>
      calls++ === 0
        ? new Promise((_, reject) => init.signal!.addEventListener("abort", () => reject(init.signal!.reason)))
        : toWorker(url, init),
    );
    const result = await clientFor(await createAccount(), { fetch: wire.fetch, timeoutMs: 50 }).verify(ZHANG);
    expect([result.result, result.attempts, wire.sent.length]).toEqual(["consistent", 2, 2]);
  });

  it("does not resend with retries 0", async () => {
    const wire = recording();
    await failure(onceFor(await createAccount(), { fetch: wire.fetch }).verify(phone("13900010020")));
    expect(wire.sent.length).toBe(1);
  });

  it("stops at the call's deadline, whatever retries allows", async () => {
    const wire = recording(() => Promise.resolve(envelope503()));
    const error = await failure(
      clientFor(await createAccount(), { fetch: wire.fetch, retries: 10, deadlineMs: 700 }).verify(ZHANG),
    );
    // Waits of 250–500 ms and then 500–1000 ms: the second wait would pass the deadline.
    expect([error.code, wire.sent.length]).toEqual(["503", 2]);
  });

  it("never resends a 200 result", async () => {
    const wire = recording();
    await clientFor(await createAccount(), { fetch: wire.fetch, retries: 3 }).verify(ZHANG);
    expect(wire.sent.length).toBe(1);
  });

  it("never resends a 309", async () => {
    const wire = recording();
    const client = clientFor(await createAccount(), { fetch: wire.fetch, retries: 3 });
    await client.verify(ZHANG);
    await failure(client.verify(ZHANG));
    expect(wire.sent.length).toBe(2);
  });

  it("never resends a 105", async () => {
    const wire = recording();
    const account = await createAccount();
    await failure(clientFor({ ...account, token: `vmt_${"x".repeat(32)}` }, { fetch: wire.fetch }).verify(ZHANG));
    expect(wire.sent.length).toBe(1);
  });

  it("never resends a 500", async () => {
    const wire = recording();
    await failure(clientFor(await createAccount(), { fetch: wire.fetch, retries: 3 }).verify(phone("13900010001")));
    expect(wire.sent.length).toBe(1);
  });

  it("never resends an answer that is not an envelope", async () => {
    const wire = recording(async () => new Response("<html>404</html>", { status: 404 }));
    await failure(clientFor(await createAccount(), { fetch: wire.fetch }).verify(ZHANG));
    expect(wire.sent.length).toBe(1);
  });
});

describe("backoff", () => {
  it("doubles from 500 ms up to 5 s, scaled by 50–100 %", () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoff(n, null, 1))).toEqual([500, 1000, 2000, 4000, 5000, 5000]);
    expect([1, 2, 3].map((n) => backoff(n, null, 0))).toEqual([250, 500, 1000]);
  });

  it("waits at least what Retry-After asks", () => {
    expect(backoff(1, 3, 0.5)).toBe(3000);
  });
});

describe("defaults", () => {
  it("waits for each attempt longer than the service's UPSTREAM_DEADLINE_MS (docs/contract.md §9)", () => {
    // The service answers 501 itself within its deadline, 10 000 ms by default (twice the 5 000 ms
    // UPSTREAM_TIMEOUT_MS); the client must still be listening then.
    expect(DEFAULT_TIMEOUT_MS).toBe(15_000);
    expect(DEFAULT_TIMEOUT_MS).toBeGreaterThan(2 * 5_000);
    expect(DEFAULT_DEADLINE_MS).toBeGreaterThanOrEqual((DEFAULT_RETRIES + 1) * DEFAULT_TIMEOUT_MS);
  });
});
