// The ledger inside the account's object: rollups written with every row, refusals counted
// without rows, pages in a stable order, the storage report, and one alarm for every need.

import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { AccountObject } from "../../src/billing/account-object.ts";

import { Ledger } from "../../src/billing/ledger.ts";
import { retiresAt } from "../../src/billing/ledger-archive.ts";
import type { ErrorCode } from "../../src/wire/codes.ts";
import { refusedRow } from "../fixtures/ledger.ts";
import { HELD_MS } from "../fixtures/reservation.ts";

/** `begin` fields this test does not exercise: no limits, unique subjects. */
const LIMITS = {
  tokenHash: "t".repeat(64),
  limits: { rateLimit: null, subjectBudget: 10_000 },
  subjects: { phone: "p", idCard: "i" },
  requestKey: null,
  upstream: null,
};

let n = 0;
const object = () => env.ACCOUNT_OBJECTS.get(env.ACCOUNT_OBJECTS.idFromName(`acc_ledger_${n++}`));
type Stub = ReturnType<typeof object>;
// In the future, so no alarm these tests set rings by itself: they run it when they mean to.
const NOW = Date.parse("2031-03-10T04:00:00Z"); // 12:00 in China
const DAY = "2031-03-10";
const NEXT_DAY = "2031-03-11";
const open = { balanceFen: null, remaining: null };

const entry = (orderNo: string, errorCode: ErrorCode, at = NOW) => refusedRow(orderNo, at, errorCode);

const rollups = (stub: Stub) =>
  runInDurableObject(stub, (_instance, state) =>
    state.storage.sql.exec("SELECT * FROM ledger_daily ORDER BY day, service, error_code").toArray(),
  );
const alarmAt = (stub: Stub) => runInDurableObject(stub, (_instance, state) => state.storage.getAlarm());
const setClock = (stub: Stub, now: number) =>
  runInDurableObject(stub, (instance: AccountObject) => {
    instance.clock = () => now;
  });

describe("rollups", () => {
  it("are written with every detail row, once however often a batch is retried", async () => {
    const o = object();
    await o.begin({
      orderNo: "a",
      service: "verifyMobile",
      priceFen: 50,
      opening: open,
      fingerprint: "fp-a",
      dedupTtl: 60,
      ...LIMITS,
      now: NOW,
    });
    await o.settle({
      orderNo: "a",
      at: NOW,
      errorCode: "200",
      returnCode: "10000",
      upstreamOrderId: "J1",
      upstreamCode: 0,
      upstreamMs: 9,
      attempts: [],
      previousCredential: null,
      stored: { returnCode: "10000", matchCode: "11", orderNo: "a", at: NOW },
    });
    const batch = [entry("b", "306"), { ...entry("c", "200"), duplicate: true }];
    await o.recordMany(batch);
    await o.recordMany(batch);
    expect(await rollups(o)).toEqual([
      { day: DAY, service: "verifyMobile", error_code: "200", requests: 2, billable: 1, charged_fen: 50, unlisted: 0 },
      { day: DAY, service: "verifyMobile", error_code: "306", requests: 1, billable: 0, charged_fen: 0, unlisted: 0 },
    ]);
  });

  it("start as the sum of the rows already there when an older ledger meets them", async () => {
    const o = object();
    await o.recordMany([entry("a", "306"), entry("b", "306"), entry("c", "310", NOW + 86_400_000)]);
    const rebuilt = await runInDurableObject(o, (_instance, state) => {
      state.storage.sql.exec("DROP TABLE ledger_daily");
      new Ledger(state.storage.sql, () => {});
      return state.storage.sql
        .exec("SELECT day, error_code, requests, unlisted FROM ledger_daily ORDER BY day")
        .toArray();
    });
    expect(rebuilt).toEqual([
      { day: DAY, error_code: "306", requests: 2, unlisted: 0 },
      { day: NEXT_DAY, error_code: "310", requests: 1, unlisted: 0 },
    ]);
  });

  it("count refusals without detail rows, gathered in memory and written by the alarm a second later", async () => {
    const o = object();
    await runInDurableObject(o, (instance: AccountObject) => {
      for (let i = 0; i < 500; i++) instance.tallyRefusal("verifyMobile", "502", NOW + i);
    });
    const before = await rollups(o);
    const wake = await alarmAt(o);
    await setClock(o, NOW + 1_000);
    await runDurableObjectAlarm(o);
    expect([before, wake, await rollups(o), (await o.storageState()).rows.ledger]).toEqual([
      [],
      NOW + 1_000,
      [
        {
          day: DAY,
          service: "verifyMobile",
          error_code: "502",
          requests: 500,
          billable: 0,
          charged_fen: 0,
          unlisted: 500,
        },
      ],
      0,
    ]);
  });

  it("count refusals in usage at once, and the next second's in a write of their own", async () => {
    const o = object();
    await runInDurableObject(o, (instance: AccountObject) => {
      instance.tallyRefusal("verifyMobile", "502", NOW);
      instance.tallyRefusal("verifyMobile", "502", NOW + 1_000); // a second later: both written
      instance.tallyRefusal("verifyMobile", "502", NOW + 1_001);
    });
    const written = await rollups(o);
    expect([written.map((r) => r.requests), await o.usage(DAY, DAY)]).toEqual([
      [2],
      [{ day: DAY, errorCode: "502", requests: 3, billable: 0, chargedFen: 0 }],
    ]);
  });
});

describe("ledger pages", () => {
  it("follow (time, order number), ties included, each row once", async () => {
    const o = object();
    const rows = [
      entry("b", "306"),
      entry("a", "306"),
      entry("c", "306"),
      entry("d", "306", NOW + 1),
      entry("e", "306", NOW - 1),
    ];
    await o.recordMany(rows);
    const pages: string[][] = [];
    for (
      let after = null, page = await o.ledger(DAY, DAY, 2);
      page.length > 0;
      page = await o.ledger(DAY, DAY, 2, after)
    ) {
      pages.push(page.map((r) => r.orderNo));
      const last = page[page.length - 1]!;
      after = { at: last.at, orderNo: last.orderNo };
    }
    expect(pages).toEqual([["e", "a"], ["b", "c"], ["d"]]);
  });

  it("cover China days: 00:00 to 24:00 at UTC+8", async () => {
    const o = object();
    const midnight = Date.parse("2031-03-09T16:00:00Z"); // 2031-03-10 00:00 in China
    await o.recordMany([
      entry("before", "306", midnight - 1),
      entry("first", "306", midnight),
      entry("last", "306", midnight + 86_400_000 - 1),
    ]);
    expect((await o.ledger(DAY, DAY, 10)).map((r) => r.orderNo)).toEqual(["first", "last"]);
  });
});

describe("a ledger from before a column", () => {
  it("gains replay_of and previous_credential on start: its rows read null, new rows keep theirs", async () => {
    const o = object();
    await o.recordMany([entry("old", "306")]);
    const read = await runInDurableObject(o, (_instance, state) => {
      state.storage.sql.exec("ALTER TABLE ledger DROP COLUMN replay_of");
      state.storage.sql.exec("ALTER TABLE ledger DROP COLUMN previous_credential");
      const ledger = new Ledger(state.storage.sql, () => {});
      ledger.insert(
        refusedRow("new", NOW + 1, "309", { duplicate: true, replayOf: "old", previousCredential: "token" }),
      );
      return ledger.rows(DAY, DAY, 10, null).map((r) => [r.orderNo, r.replayOf, r.previousCredential]);
    });
    expect(read).toEqual([
      ["old", null, null],
      ["new", "old", "token"],
    ]);
  });
});

describe("the storage report", () => {
  it("gives the database size and the rows of each table", async () => {
    const o = object();
    await o.begin({
      orderNo: "held",
      service: "verifyMobile",
      priceFen: 50,
      opening: open,
      fingerprint: "fp",
      dedupTtl: 60,
      ...LIMITS,
      now: NOW,
    });
    await o.recordMany([entry("a", "306"), entry("b", "310", NOW + 86_400_000)]);
    const report = await o.storageState();
    expect(report).toEqual({
      databaseSize: report.databaseSize,
      rows: { ledger: 2, rollups: 2, archivedDays: 0, reservations: 1, dedup: 0 },
      oldestLedgerDay: DAY,
    });
    expect(report.databaseSize).toBeGreaterThan(0);
  });
});

describe("one alarm for every need", () => {
  it("is set by the first row for the day it leaves retention", async () => {
    const o = object();
    await o.recordMany([entry("a", "306")]);
    expect(await alarmAt(o)).toBe(retiresAt(DAY, 400));
  });

  it("rings early for a reservation, is not pushed back by later ones, and returns to the ledger's need", async () => {
    const o = object();
    await o.recordMany([entry("a", "306")]);
    const reserve = (orderNo: string, now: number) =>
      o.begin({
        orderNo,
        service: "verifyMobile",
        priceFen: 50,
        opening: open,
        fingerprint: `fp-${orderNo}`,
        dedupTtl: 60,
        ...LIMITS,
        now,
      });
    await reserve("r1", NOW);
    const first = await alarmAt(o);
    await o.settle({
      orderNo: "r1",
      at: NOW,
      errorCode: "502",
      returnCode: "0",
      upstreamOrderId: null,
      upstreamCode: null,
      upstreamMs: null,
      attempts: [],
      previousCredential: null,
      stored: null,
    });
    await reserve("r2", NOW + 60_000); // left behind by an isolate that died
    const second = await alarmAt(o);
    await setClock(o, NOW + 60_000 + HELD_MS);
    await runDurableObjectAlarm(o);
    const afterRelease = await alarmAt(o);
    expect([first, second, (await o.state("verifyMobile", open)).reserved, afterRelease]).toEqual([
      NOW + HELD_MS,
      NOW + HELD_MS,
      0,
      retiresAt(DAY, 400),
    ]);
  });
});

describe("retirement", () => {
  it("deletes nothing it could not archive, and tries again a quarter of an hour later", async () => {
    // An object without a name has no account id to key its archive by.
    const o = env.ACCOUNT_OBJECTS.get(env.ACCOUNT_OBJECTS.newUniqueId());
    await o.recordMany([entry("a", "306")]);
    const due = retiresAt(DAY, 400);
    await setClock(o, due);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    await runDurableObjectAlarm(o);
    const logged = errors.mock.calls.map(([line]) => JSON.parse(String(line)) as { event: string });
    errors.mockRestore();
    expect([(await o.storageState()).rows.ledger, await alarmAt(o), logged.map((l) => l.event)]).toEqual([
      1,
      due + 15 * 60_000,
      ["ledger_retire_failed"],
    ]);
  });
});
