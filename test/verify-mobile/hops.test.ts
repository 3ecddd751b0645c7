// The hop budget (docs/contract.md §7): round trips a request waits for, one after the other, before
// the upstream call (or, on paths that never call it, before the answer). Every binding the Worker
// is given (both KV namespaces, the account objects' namespace and each stub, the upstream's fetch)
// records when each call starts and ends on one counter, and is slowed by a modelled round trip so
// calls that overlap in production overlap here too. The serial chain is the longest run of calls
// each starting after the previous one ended; a hop added anywhere before the upstream lengthens it.

import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { tokenKey } from "../../src/accounts/record.ts";
import { duplicateKey, fingerprint } from "../../src/duplicates/fingerprint.ts";
import app from "../../src/index.ts";
import type { Envelope } from "../../src/wire/envelope.ts";
import { withCheckDigit } from "../fixtures/identities.ts";
import {
  API,
  createAccount,
  encryptLogon,
  freshIsolate,
  IV,
  TEST_SECRET,
  type TestAccount,
} from "../support/caller.ts";
import { juheMatch, mockJuhe } from "../support/juhe-mock.ts";

/** Modelled round trips: long enough that the CPU work between calls cannot make overlapping calls look serial. */
const KV_MS = 40;
const OBJECT_MS = 80;
const JUHE = { UPSTREAMS: "juhe", JUHE_KEY: "k", JUHE_OPENID: "o" };
const identity = (i: number, loginphone = "13800138000") => ({
  idCard: withCheckDigit(`11010119900101${String(i).padStart(3, "0")}`),
  userName: "张三",
  loginphone,
});

type Call = { name: string; start: number; end: number };

/** One counter for every event, so "before" and "after" need no clock. */
class Recorder {
  private at = 0;
  readonly calls: Call[] = [];
  upstreamAt: number | null = null;

  tick = () => this.at++;

  async record<T>(name: string, delayMs: number, call: () => Promise<T>): Promise<T> {
    const entry: Call = { name, start: this.tick(), end: Number.POSITIVE_INFINITY };
    this.calls.push(entry);
    try {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return await call();
    } finally {
      entry.end = this.tick();
    }
  }

  /**
   * The longest chain of calls, each starting after the one before ended, all ended before
   * `cutoff`; of chains as long, the one that ended last (the one the request waited for).
   */
  chainBefore(cutoff: number): string[] {
    const done = this.calls.filter((c) => c.end < cutoff).sort((a, b) => a.start - b.start);
    const longer = (a: Call[], b: Call[]) =>
      b.length > a.length || (b.length === a.length && b.length > 0 && b.at(-1)!.end > a.at(-1)!.end) ? b : a;
    const best = new Map<Call, Call[]>();
    for (const call of done) {
      const before = done.filter((c) => c.end < call.start).map((c) => best.get(c)!);
      best.set(call, [...before.reduce(longer, []), call]);
    }
    return [...best.values()].reduce(longer, []).map((c) => c.name);
  }

  /** The names of every call started before `cutoff`, serial or not. */
  startedBefore(cutoff: number): string[] {
    return this.calls
      .filter((c) => c.start < cutoff)
      .map((c) => c.name)
      .sort();
  }
}

function recordedKv(recorder: Recorder, name: string, kv: KVNamespace): KVNamespace {
  return new Proxy(kv, {
    get: (target, method) => {
      const real = Reflect.get(target, method);
      if (typeof real !== "function") return real;
      return (...args: unknown[]) =>
        recorder.record(`${name}.${String(method)}`, KV_MS, () => real.apply(target, args));
    },
  });
}

function recordedObjects(recorder: Recorder, namespace: Env["ACCOUNT_OBJECTS"]): Env["ACCOUNT_OBJECTS"] {
  const get = (id: DurableObjectId) => {
    const stub = namespace.get(id);
    return new Proxy(stub, {
      get:
        (target, method) =>
        (...args: unknown[]) =>
          recorder.record(`object.${String(method)}`, OBJECT_MS, () =>
            (Reflect.get(target, method) as (...a: unknown[]) => Promise<unknown>)(...args),
          ),
    });
  };
  return { idFromName: (name: string) => namespace.idFromName(name), get } as unknown as Env["ACCOUNT_OBJECTS"];
}

type Measured = { envelope: Envelope; chain: string[]; started: string[] };

/**
 * Sends one request through recorded bindings and measures the serial chain before the upstream
 * call, or before the answer when there is none.
 */
async function measure(
  account: TestAccount,
  payload: unknown,
  options: { key?: string; fields?: Record<string, string> } = {},
): Promise<Measured> {
  const recorder = new Recorder();
  mockJuhe("https://v.juhe.cn", () => {
    recorder.upstreamAt ??= recorder.tick();
    return juheMatch(1, "11");
  });
  const bindings: Env = {
    ...env,
    ...JUHE,
    ACCOUNTS: recordedKv(recorder, "ACCOUNTS", env.ACCOUNTS),
    DEDUP: recordedKv(recorder, "DEDUP", env.DEDUP),
    ACCOUNT_OBJECTS: recordedObjects(recorder, env.ACCOUNT_OBJECTS),
  };
  const body = JSON.stringify({
    token: account.token,
    iv: IV,
    logon: await encryptLogon(options.key ?? account.logonKey, payload),
    ...options.fields,
  });
  const ctx = createExecutionContext();
  const response = await app.fetch(
    new Request(API, { method: "POST", headers: { "Content-Type": "application/json" }, body }),
    bindings,
    ctx,
  );
  const answeredAt = recorder.tick();
  const envelope = (await response.json()) as Envelope;
  await waitOnExecutionContext(ctx);
  const cutoff = recorder.upstreamAt ?? answeredAt;
  return { envelope, chain: recorder.chainBefore(cutoff), started: recorder.startedBefore(cutoff) };
}

/** Sends a request the plain way and waits for its background work: warms the isolate (account, balance). */
async function warm(account: TestAccount, payload: unknown = identity(900)): Promise<Envelope> {
  const ctx = createExecutionContext();
  const body = JSON.stringify({ token: account.token, iv: IV, logon: await encryptLogon(account.logonKey, payload) });
  const response = await app.fetch(
    new Request(API, { method: "POST", headers: { "Content-Type": "application/json" }, body }),
    env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return (await response.json()) as Envelope;
}

const codeAndChain = ({ envelope, chain }: Measured) => [envelope.errorCode, chain];

beforeEach(freshIsolate);

describe("a new identity (200)", () => {
  it("warm: exactly one round trip, the object's begin; the duplicate cache's read beside it", async () => {
    const account = await createAccount();
    await warm(account);
    const m = await measure(account, identity(1));
    expect([m.envelope.errorCode, m.chain, m.started]).toEqual([
      "200",
      ["object.begin"],
      ["DEDUP.get", "object.begin"],
    ]);
  });

  it("cold: one KV read yields the account, then begin; the record's own read runs beside them", async () => {
    const account = await createAccount();
    const m = await measure(account, identity(1));
    expect([m.envelope.errorCode, m.chain, m.started]).toEqual([
      "200",
      ["ACCOUNTS.get", "object.begin"],
      ["ACCOUNTS.get", "ACCOUNTS.get", "object.begin"],
    ]);
  });

  it("cold, with a token entry of the old layout (no copy of the record): two KV reads, then begin", async () => {
    const account = await createAccount();
    await env.ACCOUNTS.put(tokenKey(account.record.tokenHash), JSON.stringify({ accountId: account.record.id }));
    expect(codeAndChain(await measure(account, identity(1)))).toEqual([
      "200",
      ["ACCOUNTS.get", "ACCOUNTS.get", "object.begin"],
    ]);
  });
});

describe("duplicates", () => {
  it("answered by this isolate before: no round trip", async () => {
    const account = await createAccount();
    await warm(account, identity(1));
    expect(codeAndChain(await measure(account, identity(1)))).toEqual(["309", []]);
  });

  it("answered by the object (the edge cache has not seen it): begin only", async () => {
    const account = await createAccount();
    await warm(account, identity(1));
    freshIsolate();
    await env.DEDUP.delete(
      duplicateKey(account.record.id, await fingerprint(TEST_SECRET, account.record.id, identity(1))),
    );
    await warm(account);
    expect(codeAndChain(await measure(account, identity(1)))).toEqual(["309", ["object.begin"]]);
  });

  it("answered by the edge cache first: its read only; the reservation begin made meanwhile is withdrawn", async () => {
    const account = await createAccount({ services: { verifyMobile: { priceFen: 0, remaining: 5 } } });
    await warm(account);
    // Another edge answered this identity; the object's window has it no more (or not yet).
    const key = duplicateKey(account.record.id, await fingerprint(TEST_SECRET, account.record.id, identity(1)));
    await env.DEDUP.put(
      key,
      JSON.stringify({ returnCode: "10000", matchCode: "11", orderNo: "VM_EARLIER", at: Date.now() }),
      { expirationTtl: 60 },
    );
    const m = await measure(account, identity(1));
    const object = env.ACCOUNT_OBJECTS.get(env.ACCOUNT_OBJECTS.idFromName(account.record.id));
    expect([
      m.envelope.errorCode,
      m.envelope.errorReason,
      m.chain,
      await object.state("verifyMobile", { balanceFen: null, remaining: 5 }),
    ]).toEqual([
      "309",
      expect.stringContaining("（订单VM_EARLIER）"),
      ["DEDUP.get"],
      { balanceFen: null, remaining: 4, reserved: 0 },
    ]);
  });
});

describe("refusals before the upstream", () => {
  it("105 for an unknown token: one KV read (cold), none after", async () => {
    const account = await createAccount();
    const unknown = { ...account, token: `vmt_${"x".repeat(32)}` };
    const cold = await measure(unknown, identity(1));
    const warmAgain = await measure(unknown, identity(1));
    expect([codeAndChain(cold), codeAndChain(warmAgain)]).toEqual([
      ["105", ["ACCOUNTS.get"]],
      ["105", []],
    ]);
  });

  it("an account state (304) cold: the token entry, then the balance for the 104 that would come first; the record's read beside it", async () => {
    const account = await createAccount({ status: "frozen" });
    const m = await measure(account, identity(1));
    expect([m.envelope.errorCode, m.chain, m.started]).toEqual([
      "304",
      ["ACCOUNTS.get", "object.state"],
      ["ACCOUNTS.get", "ACCOUNTS.get", "object.state"],
    ]);
  });

  it("104 with the balance known in this isolate: no round trip, no decryption", async () => {
    const account = await createAccount({ openingBalanceFen: 0 });
    await warm(account);
    expect(codeAndChain(await measure(account, identity(1)))).toEqual(["104", []]);
  });

  it("307: one round trip that counts the failure and says the balance", async () => {
    const account = await createAccount();
    const other = await createAccount();
    await warm(account);
    expect(codeAndChain(await measure(account, identity(1), { key: other.logonKey }))).toEqual([
      "307",
      ["object.decryptionFailed"],
    ]);
  });

  it("310 with the balance known: no round trip", async () => {
    const account = await createAccount({ diagnostics: true }); // field detail (docs/contract.md §2)
    await warm(account);
    expect(codeAndChain(await measure(account, { ...identity(1), idCard: "110101199003074515" }))).toEqual(["310", []]);
  });

  it("310 on a cold isolate: the token entry, then one read-only call for the 104 that would come first", async () => {
    const account = await createAccount({ diagnostics: true });
    const m = await measure(account, { ...identity(1), idCard: "110101199003074515" });
    expect([m.envelope.errorCode, m.chain, m.started]).toEqual([
      "310",
      ["ACCOUNTS.get", "object.state"],
      ["ACCOUNTS.get", "ACCOUNTS.get", "object.state"],
    ]);
  });

  it.each([
    ["502", "the rate limit", { rateLimit: 1 }, 10],
    ["309", "a per-person budget", { subjectBudget: 1 }, 1],
    ["313", "no count left", { services: { verifyMobile: { priceFen: 0, remaining: 1 } } }, 1],
  ])("%s, %s: begin only", async (code, _name, settings, uses) => {
    const account = await createAccount(settings);
    for (let i = 0; i < uses; i++) await warm(account, identity(500 + i));
    expect(codeAndChain(await measure(account, identity(1)))).toEqual([code, ["object.begin"]]);
  });

  it("a retry with a requestId: begin only", async () => {
    const account = await createAccount();
    await warm(account);
    const first = await measure(account, identity(1), { fields: { requestId: "r-1" } });
    const retry = await measure(account, identity(1), { fields: { requestId: "r-1" } });
    expect([codeAndChain(first), codeAndChain(retry), retry.envelope.info?.duplicate]).toEqual([
      ["200", ["object.begin"]],
      ["200", ["object.begin"]],
      true,
    ]);
  });
});
