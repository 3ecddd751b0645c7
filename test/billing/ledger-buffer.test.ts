// The isolate's batch of ledger rows: the request whose row starts a batch owns its flush (the
// others only add rows and are handed nothing to await), and rows whose call fails are kept and
// sent again, not dropped.

import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { queueLedgerRow } from "../../src/billing/ledger-buffer.ts";
import type { LedgerEntry } from "../../src/billing/types.ts";
import { chinaDay } from "../../src/platform/time.ts";
import { refusedRow } from "../fixtures/ledger.ts";

const NOW = Date.now();
const TODAY = chinaDay(NOW);
let n = 0;
const accountId = () => `acc_buffer_${n++}`;
const object = (id: string) => env.ACCOUNT_OBJECTS.get(env.ACCOUNT_OBJECTS.idFromName(id));
const row = (orderNo: string) => refusedRow(orderNo, NOW, "307");

/** The bindings with recordMany() failing the first `failures` calls; counts the calls. */
function flakyRecordMany(failures: number) {
  const calls = { made: 0 };
  const namespace = env.ACCOUNT_OBJECTS;
  const get = (id: DurableObjectId) => {
    const stub = namespace.get(id);
    return new Proxy(stub, {
      get: (target, name) =>
        name === "recordMany"
          ? async (rows: LedgerEntry[]) => {
              if (calls.made++ < failures) throw new Error("object unreachable");
              return target.recordMany(rows);
            }
          : Reflect.get(target, name),
    });
  };
  const bindings = {
    ...env,
    ACCOUNT_OBJECTS: {
      idFromName: (name: string) => namespace.idFromName(name),
      get,
    } as unknown as Env["ACCOUNT_OBJECTS"],
  };
  return { bindings, calls };
}

beforeEach(() => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] }));
afterEach(() => vi.useRealTimers());

describe("queueLedgerRow", () => {
  it("hands the flush to the request that starts the batch only, and sends the batch in one call per account", async () => {
    const { bindings, calls } = flakyRecordMany(0);
    const [a, b] = [accountId(), accountId()];
    const handed = [
      queueLedgerRow(bindings, a, row("r1")),
      queueLedgerRow(bindings, a, row("r2")),
      queueLedgerRow(bindings, b, row("r3")),
    ];
    await vi.advanceTimersByTimeAsync(1_000);
    await handed[0];
    expect({
      handed: handed.map((p) => p !== null),
      calls: calls.made,
      rows: [
        (await object(a).ledger(TODAY, TODAY, 10)).map((r) => r.orderNo),
        (await object(b).ledger(TODAY, TODAY, 10)).map((r) => r.orderNo),
      ],
    }).toEqual({ handed: [true, false, false], calls: 2, rows: [["r1", "r2"], ["r3"]] });
  });

  it("keeps rows whose call failed and sends them again, with rows added meanwhile", async () => {
    const { bindings } = flakyRecordMany(2);
    const id = accountId();
    const flush = queueLedgerRow(bindings, id, row("r1"));
    await vi.advanceTimersByTimeAsync(150);
    // Added while the owner waits to retry: carried by the same flush.
    expect(queueLedgerRow(bindings, id, row("r2"))).toBeNull();
    await vi.advanceTimersByTimeAsync(20_000);
    await flush;
    expect((await object(id).ledger(TODAY, TODAY, 10)).map((r) => r.orderNo)).toEqual(["r1", "r2"]);
  });

  it("starts a new batch, owned by the next request, once a flush is done", async () => {
    const { bindings } = flakyRecordMany(0);
    const id = accountId();
    const first = queueLedgerRow(bindings, id, row("r1"));
    await vi.advanceTimersByTimeAsync(1_000);
    await first;
    const second = queueLedgerRow(bindings, id, row("r2"));
    await vi.advanceTimersByTimeAsync(1_000);
    await second;
    expect([second !== null, (await object(id).ledger(TODAY, TODAY, 10)).map((r) => r.orderNo)]).toEqual([
      true,
      ["r1", "r2"],
    ]);
  });
});
