// Every client (drivers.ts) through the one scenario of conformance.json against the Worker under
// `wrangler dev` (sandbox upstream, default upstream timeouts), behind a loopback fault proxy; and
// every client's ciphers and sign against Node's crypto, byte for byte, and the SM4/SM3 vectors of
// the standards. One Worker for the file, all languages at once.
/// <reference types="node" />
import { createCipheriv, createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, type LocalWorker, startWorker } from "../../scripts/lib/local-worker.ts";
import { type Answer, buildDrivers, type Case, type Driver } from "./drivers.ts";
import { type FaultProxy, startFaultProxy } from "./fault-proxy.ts";

type Step = { case: string; send: Record<string, string>; expect: Answer };
const scenario = JSON.parse(readFileSync(join(import.meta.dirname, "conformance.json"), "utf8")) as {
  flags: string[];
  identities: Record<string, Record<string, string>>;
  steps: Step[];
  usage: Record<string, number>;
  billable: number;
  serverDeadline: Step;
  cipherAccounts: Record<string, string[] | string>;
  cipherSteps: Step[];
};

/** The defaults table of docs/clients.md: timeout per attempt, retries, deadline of the whole call. */
const DOCUMENTED = (() => {
  const page = readFileSync(join(import.meta.dirname, "../../docs/clients.md"), "utf8");
  const value = (row: string) => Number(new RegExp(`^\\| ${row} \\| \`(\\d+)\``, "m").exec(page)?.[1]);
  return {
    timeoutMs: value("timeout per attempt"),
    retries: value("retries"),
    deadlineMs: value("deadline of the whole call"),
  };
})();
const ORDER_NO = /^VM\d{17}[0-9a-f]{12}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let drivers: Driver[] = [];
let worker: LocalWorker;
let proxy: FaultProxy;
let closed: string;

beforeAll(async () => {
  const cipherAccounts = Object.entries(scenario.cipherAccounts).filter(([name]) => name !== "about");
  const accounts = Object.fromEntries([
    ...["typescript", "java", "python", "go", "php"].map((language) => [language, scenario.flags]),
    ...cipherAccounts,
  ]);
  [drivers, worker] = await Promise.all([buildDrivers(), startWorker(accounts)]);
  proxy = await startFaultProxy(worker.base);
  closed = `http://127.0.0.1:${await freePort()}`;
}, 240_000);

afterAll(async () => {
  await proxy?.close();
  worker?.stop();
});

/** A step as a driver line for the account of `language`. */
function line(language: string, { case: name, send }: Step): Case {
  const { identity, via = "pass", key = "account", token = "account", account: shared, ...rest } = send;
  const account = worker.accounts[shared ?? language]!;
  const base = via === "closed" ? closed : via === "not-api" ? `${worker.base}/nowhere` : `${proxy.base}/${via}`;
  return {
    op: "verify",
    case: name,
    base,
    token: token === "unknown" ? `vmt_${"x".repeat(32)}` : account.token,
    key: key === "account" ? account.logonKey : key === "other" ? "0123456789abcdef" : key,
    ...scenario.identities[identity!],
    ...rest,
  };
}

/** The expectation with its placeholders resolved against the answers so far. */
function expected(step: Step, answers: Answer[]): Answer {
  return Object.fromEntries(
    Object.entries(step.expect).map(([k, v]) => {
      if (v === "<orderNo>") return [k, expect.stringMatching(ORDER_NO)];
      if (v === "<uuid>") return [k, expect.stringMatching(UUID)];
      if (v === "<text>") return [k, expect.toBeOneOf([null, expect.any(String)])];
      if (v === "<boolean>") return [k, expect.any(Boolean)];
      const same = typeof v === "string" && /^<same orderNo as (.+)>$/.exec(v);
      if (same) return [k, answers.find((a) => a.case === same[1])?.orderNo];
      return [k, v];
    }),
  );
}

async function usage(accountId: string): Promise<{ byCode: Record<string, number>; billable: number }> {
  const response = await fetch(`${worker.base}/admin/accounts/${accountId}/usage`, {
    headers: { Authorization: `Bearer ${worker.adminToken}` },
  });
  const { rows } = (await response.json()) as { rows: { errorCode: string; requests: number; billable: number }[] };
  const byCode: Record<string, number> = {};
  for (const r of rows) byCode[r.errorCode] = (byCode[r.errorCode] ?? 0) + r.requests;
  return { byCode, billable: rows.reduce((sum, r) => sum + r.billable, 0) };
}

describe("every client against the running Worker (conformance.json)", () => {
  const results = new Map<string, Answer[]>();

  beforeAll(async () => {
    // All languages at once, each its own account; the steps of one language in order.
    await Promise.all(
      drivers.map(async (d) => {
        const answers = await d.run(scenario.steps.map((s) => line(d.language, s)));
        results.set(d.language, answers);
      }),
    );
    // The cipher modes, each on an account all languages share.
    await Promise.all(
      drivers.map(async (d) => {
        const answers = await d.run(scenario.cipherSteps.map((s) => line(d.language, s)));
        results.get(d.language)!.push(...answers);
      }),
    );
    // Then the slow one, again all at once: ~10 s while the Worker waits out its upstream deadline.
    await Promise.all(
      drivers.map(async (d) => {
        const [answer] = await d.run([line(d.language, scenario.serverDeadline)]);
        results.get(d.language)!.push(answer!);
      }),
    );
  }, 180_000);

  it.each(["typescript", "java", "python", "go", "php"])(
    "%s: every step answers as conformance.json says",
    (language) => {
      const answers = results.get(language);
      if (!answers) return; // not installed here (and not CI): drivers.ts said so
      const steps = [...scenario.steps, ...scenario.cipherSteps, scenario.serverDeadline];
      expect(answers).toEqual(steps.map((s) => ({ case: s.case, ...expected(s, answers) })));
    },
  );

  it("retries with the same requestId and a fresh iv each time", () => {
    for (const d of drivers) {
      const account = worker.accounts[d.language]!;
      const ids = new Set(results.get(d.language)!.map((a) => a.requestId));
      const retried = proxy.attempts.filter((a) => a.mode !== "pass" && ids.has(a.requestId));
      const byRequest = new Map<string | null, typeof retried>();
      for (const a of retried) byRequest.set(a.requestId, [...(byRequest.get(a.requestId) ?? []), a]);
      expect([...byRequest.values()].map((a) => a.length).sort(), d.language).toEqual([2, 2, 3]);
      for (const attempts of byRequest.values()) {
        expect(new Set(attempts.map((a) => a.iv)).size, d.language).toBe(attempts.length);
      }
      expect(account.token).toMatch(/^vmt_/);
    }
  });

  it("bills each cipher account once for the identity every language sent", async () => {
    for (const name of Object.keys(scenario.cipherAccounts).filter((n) => n !== "about")) {
      const { billable } = await usage(worker.accounts[name]!.accountId);
      expect(billable, name).toBe(1);
    }
  });

  it("the lost answer and its replay carry one order number, billed once", async () => {
    for (const d of drivers) {
      const answers = results.get(d.language)!;
      const lost = answers.find((a) => a.case === "answer lost, retried: billed once")!;
      const dropped = proxy.attempts.find((a) => a.requestId === lost.requestId && !a.delivered);
      expect(dropped?.orderNo, d.language).toBe(lost.orderNo);
      const { byCode, billable } = await usage(worker.accounts[d.language]!.accountId);
      expect({ byCode, billable }, d.language).toEqual({
        byCode: { ...scenario.usage, "501": 1 },
        billable: scenario.billable,
      });
    }
  });
});

describe("every client's ciphers and sign, byte for byte with Node's crypto", () => {
  const JSON_TEXT = JSON.stringify({
    idCard: "650102199208150041",
    userName: "阿依古丽·买买提",
    loginphone: "13800138002",
  });
  const KEYS = { 16: "k3Y-16-chars-ok!", 32: "a-32-character-logon-key-for-aes" };
  const node = (cipher: string, key: string, iv: string): string => {
    if (cipher === "aes-gcm") {
      const gcm = createCipheriv(`aes-${key.length * 8}-gcm` as "aes-128-gcm", Buffer.from(key), Buffer.from(iv), {
        authTagLength: 16,
      });
      return Buffer.concat([gcm.update(JSON_TEXT, "utf8"), gcm.final(), gcm.getAuthTag()]).toString("base64");
    }
    const cbc = createCipheriv(
      cipher === "sm4-cbc" ? "sm4-cbc" : `aes-${key.length * 8}-cbc`,
      Buffer.from(key),
      Buffer.from(iv),
    );
    return Buffer.concat([cbc.update(JSON_TEXT, "utf8"), cbc.final()]).toString("base64");
  };
  const sign = (cipher: string, key: string, fields: string[]): string => {
    const h = cipher === "sm4-cbc" ? "sm3" : "sha256";
    const signKey = createHmac(h, Buffer.from(key)).update("verifyMobile/sign/v1").digest();
    return createHmac(h, signKey).update(fields.join("|")).digest("hex");
  };
  const CASES = [
    { cipher: "aes-cbc", key: KEYS[16], iv: "0123456789abcdef" },
    { cipher: "aes-cbc", key: KEYS[32], iv: "fedcba9876543210" },
    { cipher: "aes-gcm", key: KEYS[16], iv: "0123456789ab" },
    { cipher: "aes-gcm", key: KEYS[32], iv: "Zz0123456789" },
    { cipher: "sm4-cbc", key: KEYS[16], iv: "0123456789abcdef" },
  ];

  it.each(["typescript", "java", "python", "go", "php"])("%s", async (language) => {
    const d = drivers.find((x) => x.language === language);
    if (!d) return;
    const lines: Case[] = [
      { op: "defaults", case: "defaults" },
      {
        op: "sm",
        case: "sm",
        key: "0123456789abcdeffedcba9876543210",
        block: "0123456789abcdeffedcba9876543210",
        message: "616263",
      },
      ...CASES.flatMap(({ cipher, key, iv }): Case[] => [
        { op: "encrypt", case: `${cipher}/${key.length}`, cipher, key, iv, json: JSON_TEXT },
        {
          op: "sign",
          case: `sign ${cipher}/${key.length}`,
          cipher,
          key,
          token: "vmt_t",
          iv,
          logon: node(cipher, key, iv),
          requestId: "r-1",
        },
        { op: "sign", case: `sign ${cipher}/${key.length} no requestId`, cipher, key, token: "vmt_t", iv, logon: "L" },
      ]),
    ];
    const [defaults, sm, ...rest] = await d.run(lines);
    // The one place the numbers are documented; the per-attempt timeout must pass the Worker's
    // UPSTREAM_DEADLINE_MS (10 000 by default): the serverDeadline step shows it against the Worker.
    expect(defaults).toEqual({ case: "defaults", ...DOCUMENTED });
    expect(DOCUMENTED.timeoutMs).toBeGreaterThan(10_000);
    expect(sm).toMatchObject({
      sm4: "681edf34d206965e86b3e94f536e4246",
      sm3: "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0",
    });
    if ("hmacSm3" in sm!)
      expect(sm.hmacSm3).toBe(
        createHmac("sm3", Buffer.from("0123456789abcdeffedcba9876543210", "hex")).update("abc").digest("hex"),
      );
    expect(rest).toEqual(
      CASES.flatMap(({ cipher, key, iv }) => [
        { case: `${cipher}/${key.length}`, logon: node(cipher, key, iv) },
        { case: `sign ${cipher}/${key.length}`, sign: sign(cipher, key, ["vmt_t", iv, node(cipher, key, iv), "r-1"]) },
        { case: `sign ${cipher}/${key.length} no requestId`, sign: sign(cipher, key, ["vmt_t", iv, "L", ""]) },
      ]),
    );
  });
});
