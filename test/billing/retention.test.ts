// The ledger's lifetime (docs/contract.md §8) under a fake clock: an account's ledger filled day by
// day past one retention cycle, the real alarm run as its clock passes, and then: the rollups equal
// the rows they replaced, the R2 archive holds every deleted row, and the storage stops growing.

import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import type { AccountObject } from "../../src/billing/account-object.ts";
import { archiveKey, RETIRE_BATCH } from "../../src/billing/ledger-archive.ts";
import type { LedgerEntry, UsageRow } from "../../src/billing/types.ts";
import { addDays, chinaDay, chinaDayStart } from "../../src/platform/time.ts";
import type { ErrorCode } from "../../src/wire/codes.ts";
import { refusedRow } from "../fixtures/ledger.ts";

/** `begin` fields this test does not exercise: no limits, unique subjects. */
const LIMITS = {
  tokenHash: "t".repeat(64),
  limits: { rateLimit: null, subjectBudget: 10_000 },
  subjects: { phone: "p", idCard: "i" },
  requestKey: null,
  upstream: null,
};

const ACCOUNT = "acc_retention0000001";
const RETENTION = 400; // wrangler.toml's LEDGER_RETENTION_DAYS, which the tests run with
const FIRST_DAY = "2031-01-01"; // in the future: no alarm rings by itself, the test runs each one
const DAYS = RETENTION + 160;
const CHUNK = 10;
/** Day 0 alone has more rows than one alarm run deletes: it is archived whole, deleted over several runs. */
const BUSY_DAY_EXTRA = 2_500;
const REFUSALS: readonly ErrorCode[] = [
  ...Array<ErrorCode>(12).fill("306"),
  "307",
  "310",
  "310",
  "310",
  "502",
  "502",
  "104",
];
/** More than a rollup row or an archive record takes, less than a detail row: the test's yardstick. */
const SMALL_ROW_BYTES = 100;
const HOUR = 3_600_000;

const stub = env.ACCOUNT_OBJECTS.get(env.ACCOUNT_OBJECTS.idFromName(ACCOUNT));

const refused = (orderNo: string, at: number, errorCode: ErrorCode) =>
  refusedRow(orderNo, at, errorCode, { upstreamCode: 7, fingerprintPrefix: "0123456789ab" });

/** One day's requests through the object's own methods: refusals in a batch, one billable answer reserved and settled. */
function fill(instance: AccountObject, day: string, extra: number): LedgerEntry[] {
  const start = chinaDayStart(day);
  const rows = [...REFUSALS, ...Array<ErrorCode>(extra).fill("306")].map((code, i) =>
    refused(`VM${day}r${String(i).padStart(5, "0")}`, start + HOUR + i, code),
  );
  instance.recordMany(rows);
  const orderNo = `VM${day}b`;
  const at = start + 20 * HOUR;
  const attempts = [{ upstream: "juhe", code: "0", ms: 10, orderId: "J" }];
  instance.begin({
    orderNo,
    service: "verifyMobile",
    priceFen: 50,
    opening: { balanceFen: null, remaining: null },
    fingerprint: `${"f".repeat(12)}${day}`,
    dedupTtl: 60,
    ...LIMITS,
    now: at,
  });
  instance.settle({
    orderNo,
    at,
    errorCode: "200",
    returnCode: "10000",
    upstreamOrderId: "J",
    upstreamCode: 0,
    upstreamMs: 10,
    attempts,
    previousCredential: null,
    stored: { returnCode: "10000", matchCode: "11", orderNo, at },
  });
  const billed: LedgerEntry = {
    orderNo,
    at,
    service: "verifyMobile",
    errorCode: "200",
    returnCode: "10000",
    chargedFen: 50,
    duplicate: false,
    upstreamOrderId: "J",
    upstreamCode: 0,
    upstreamMs: 10,
    fingerprintPrefix: "f".repeat(12),
    attempts,
    replayOf: null,
    previousCredential: null,
  };
  return [...rows, billed];
}

/** Runs the alarm as long as it is due by `now`; how many detail rows each run deleted. */
async function runDueAlarms(now: number): Promise<number[]> {
  const deleted: number[] = [];
  for (let rows = (await stub.storageState()).rows.ledger; ; ) {
    const at = await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm());
    if (at === null || at > now) return deleted;
    await runDurableObjectAlarm(stub);
    const left = (await stub.storageState()).rows.ledger;
    deleted.push(rows - left);
    rows = left;
  }
}

async function allDetailRows(from: string, to: string): Promise<LedgerEntry[]> {
  const rows: LedgerEntry[] = [];
  for (let page = await stub.ledger(from, to, 1_000); page.length > 0; ) {
    rows.push(...page);
    const last = page[page.length - 1]!;
    page = await stub.ledger(from, to, 1_000, { at: last.at, orderNo: last.orderNo });
  }
  return rows;
}

async function readArchive(key: string): Promise<LedgerEntry[]> {
  const object = await env.LEDGER_ARCHIVE.get(key);
  const text = await new Response(object!.body.pipeThrough(new DecompressionStream("gzip"))).text();
  return text
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as LedgerEntry);
}

function sums(rows: readonly LedgerEntry[]): UsageRow[] {
  const byKey = new Map<
    string,
    { day: string; errorCode: string; requests: number; billable: number; chargedFen: number }
  >();
  for (const r of rows) {
    const day = chinaDay(r.at);
    const sum = byKey.get(`${day} ${r.errorCode}`) ?? {
      day,
      errorCode: r.errorCode,
      requests: 0,
      billable: 0,
      chargedFen: 0,
    };
    sum.requests++;
    sum.billable += Number(r.errorCode === "200" && !r.duplicate);
    sum.chargedFen += r.chargedFen;
    byKey.set(`${day} ${r.errorCode}`, sum);
  }
  return [...byKey.keys()].sort().map((k) => byKey.get(k)!);
}

it("archives and deletes detail rows past retention, keeps the rollups, and stops the storage growing", async () => {
  const written: LedgerEntry[] = [];
  const deletedPerRun: number[] = [];
  const checkpoints: { keptFrom: string; rows: number; expected: number; size: number; forever: number }[] = [];
  for (let first = 0; first < DAYS; first += CHUNK) {
    const days = Array.from({ length: Math.min(CHUNK, DAYS - first) }, (_, i) => addDays(FIRST_DAY, first + i));
    written.push(
      ...(await runInDurableObject(stub, (instance: AccountObject) =>
        days.flatMap((day, i) => fill(instance, day, first + i === 0 ? BUSY_DAY_EXTRA : 0)),
      )),
    );
    const now = chinaDayStart(days[days.length - 1]!) + 23 * HOUR;
    await runInDurableObject(stub, (instance: AccountObject) => {
      instance.clock = () => now;
    });
    deletedPerRun.push(...(await runDueAlarms(now)));
    const keptFrom = addDays(chinaDay(now), -RETENTION);
    const { databaseSize, rows } = await stub.storageState();
    const expected = written.filter((r) => chinaDay(r.at) >= keptFrom).length;
    checkpoints.push({
      keptFrom,
      rows: rows.ledger,
      expected,
      size: databaseSize,
      forever: rows.rollups + rows.archivedDays,
    });
  }

  const lastDay = addDays(FIRST_DAY, DAYS - 1);
  const keptFrom = checkpoints[checkpoints.length - 1]!.keptFrom;
  const retiredDays = Array.from({ length: DAYS }, (_, i) => addDays(FIRST_DAY, i)).filter((day) => day < keptFrom);
  const listed = await env.LEDGER_ARCHIVE.list({ prefix: `ledger/${ACCOUNT}/` });
  const archived = (await Promise.all(retiredDays.map((day) => readArchive(archiveKey(ACCOUNT, day))))).flat();
  const kept = await allDetailRows(FIRST_DAY, lastDay);
  const byTime = (a: LedgerEntry, b: LedgerEntry) => a.at - b.at || (a.orderNo < b.orderNo ? -1 : 1);

  // Retirement happened, in batches, a busy day over several runs.
  expect([
    retiredDays.length,
    Math.max(...deletedPerRun),
    deletedPerRun.filter((d) => d === RETIRE_BATCH).length,
  ]).toEqual([DAYS - RETENTION - 1, RETIRE_BATCH, 2]);
  // One archive object per retired day, holding exactly the rows that left; the rest are still here.
  expect(listed.objects.map((o) => o.key)).toEqual(retiredDays.map((day) => archiveKey(ACCOUNT, day)));
  expect(archived).toEqual(written.filter((r) => chinaDay(r.at) < keptFrom).sort(byTime));
  expect(kept).toEqual(written.filter((r) => chinaDay(r.at) >= keptFrom).sort(byTime));
  // The rollups still count every request, and equal the rows they replaced.
  expect(await stub.usage(FIRST_DAY, lastDay)).toEqual(sums(written));
  expect(sums([...archived, ...kept])).toEqual(sums(written));
  // At every checkpoint the object held exactly the rows within retention. Once retirement has run
  // a cycle (the busy day gone too), the 20 detail rows a day no longer grow the database: all it
  // still gains are the small rows kept forever (a rollup per day and code, a record per archived day).
  expect(checkpoints.map((c) => c.rows)).toEqual(checkpoints.map((c) => c.expected));
  const settled = checkpoints.filter((c) => c.keptFrom > FIRST_DAY);
  const [start, end] = [settled[0]!, settled[settled.length - 1]!];
  expect(end.size - start.size).toBeLessThanOrEqual((end.forever - start.forever) * SMALL_ROW_BYTES);
}, 60_000);
