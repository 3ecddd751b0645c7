// `npm run soak -- --crash [--minutes N]`: paced load on four prepaid accounts (and a fifth that
// sends the wrong key), every call with its own requestId; halfway a burst of calls is sent and,
// while it is in flight, the worker is killed (SIGKILL of workerd) and restarted at once on the
// same local state; every call the kill cut off is retried
// with its requestId (a fresh iv) until it gets an answer, as a client does. Then everything is
// reconciled from the operator's paged ledger export (docs/contract.md §6, §7, §8): balances,
// reservations, billable answers against charged rows, identities charged twice, reservations
// released by expiry and the upstream each names, and answers whose row the crash lost.
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { SANDBOX_TRANSPORT_FAILURES } from "../src/sandbox/identities.ts";
import { ORDER_HEADER } from "../src/wire/envelope.ts";
import { round } from "./load.ts";
import { type Account, build, OPEN, STATE_ROOT, seedAccount, startWorker, type Worker } from "./server.ts";
import { formBody, nextIdentity, VERIFY_PATH } from "./workload.ts";

type Fields = ReturnType<typeof nextIdentity>;
type Answer = { code: string; orderNo: string | null; billable: boolean; inFlight: boolean };
type Call = {
  readonly account: number;
  readonly requestId: string;
  fields: Fields;
  readonly key?: string;
  readonly answers: (Answer | "transport")[];
};
type Row = { orderNo: string; at: number; errorCode: string; chargedFen: number; fingerprintPrefix: string | null };
type RowAttempt = { upstream: string; code: string | null };

const OPENING_FEN = 10_000_000;
const PRICE_FEN = 10;
const ADMIN_TOKEN = "soak-crash-admin-token-0123456789abcdef";
/** How often and how long a cut-off call is retried: past the reservation's horizon (10 s + 5 s here). */
const RETRY_EVERY_MS = 1_000;
const RETRY_FOR = 40;
const DEDUP_WINDOW_MS = 60_000;
/** Calls sent at once just before the kill, so that some are cut off at every stage. */
const BURST = 40;
/** How long the burst runs before the kill. */
const BURST_LEAD_MS = 15;
/**
 * Calls of the burst whose upstream never answers (the sandbox's hanging number): reserved and
 * waiting on the upstream when the process dies, they are the reservations only expiry releases.
 * Few, so the circuit breaker does not open (each costs its upstreams a timeout).
 */
const HANGING = 3;
/** How long before the burst they are sent: reserved by then, waiting on the upstream. */
const HANGING_LEAD_MS = 200;
const HANGING_PHONE = Object.entries(SANDBOX_TRANSPORT_FAILURES).find(([, kind]) => kind === "hang")![0];

export async function crashSoak(minutes: number, rate: number, connections: number): Promise<boolean> {
  const { script } = build();
  const persist = mkdtempSync(join(STATE_ROOT, "vm-soak-crash-"));
  const bindings = { ADMIN_TOKEN };
  let worker: Worker = await startWorker(script, { persist, bindings });
  const start = { persist, bindings, secret: worker.secret };
  const accounts = await Promise.all(
    [0, 1, 2, 3, 4].map((i) =>
      seedAccount(worker, `Soak crash ${i}`, i % 2 === 0 ? "reject" : "replay", {
        ...OPEN,
        balanceFen: OPENING_FEN,
        priceFen: PRICE_FEN,
      }),
    ),
  );
  let restarting: Promise<void> | null = null;
  const calls: Call[] = [];
  const send = async (call: Call): Promise<Answer | "transport"> => {
    if (restarting) await restarting;
    const body = new URLSearchParams(formBody(accounts[call.account]!, call.fields, call.key));
    body.set("requestId", call.requestId);
    try {
      const response = await fetch(new URL(VERIFY_PATH, worker.url), { method: "POST", body });
      const envelope = (await response.json()) as {
        errorCode: string;
        errorReason: string | null;
        info?: { billable?: boolean };
      };
      return {
        code: envelope.errorCode,
        orderNo: response.headers.get(ORDER_HEADER),
        billable: envelope.info?.billable === true,
        inFlight: envelope.errorCode === "309" && (envelope.errorReason ?? "").includes("正在处理中"),
      };
    } catch {
      return "transport";
    }
  };
  // A call cut off (or told its first attempt is still in flight) is retried with its requestId.
  const complete = async (call: Call): Promise<void> => {
    for (let tries = 0; tries <= RETRY_FOR; tries++) {
      if (tries > 0) await new Promise((resolve) => setTimeout(resolve, RETRY_EVERY_MS));
      const answer = await send(call);
      call.answers.push(answer);
      if (answer !== "transport" && !(tries > 0 && answer.inFlight)) return;
    }
  };

  const started = Date.now();
  const crashAt = started + (minutes * 60_000) / 2;
  let crashed = false;
  const running = new Set<Promise<void>>();
  const launch = (n: number, hang = false) => {
    const call = nextCall(n, calls);
    if (hang) call.fields = { ...call.fields, loginphone: HANGING_PHONE };
    calls.push(call);
    const done = complete(call).finally(() => running.delete(done));
    running.add(done);
  };
  let n = 0;
  while (Date.now() < started + minutes * 60_000) {
    const due = started + (n * 1000) / rate;
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    if (!crashed && Date.now() >= crashAt) {
      crashed = true;
      for (let i = 0; i < HANGING; i++) launch(n++, true);
      await new Promise((resolve) => setTimeout(resolve, HANGING_LEAD_MS));
      for (let i = 0; i < BURST; i++) launch(n++);
      await new Promise((resolve) => setTimeout(resolve, BURST_LEAD_MS));
      const inFlight = running.size;
      restarting = (async () => {
        await worker.dispose(); // SIGKILL
        worker = await startWorker(script, start);
        restarting = null;
      })();
      console.log(`${round((Date.now() - started) / 1000, 1)} s: killed the worker with ${inFlight} calls in flight`);
    }
    while (running.size >= connections) await Promise.race(running);
    launch(n++);
  }
  await Promise.all(running);
  // Every reservation's horizon passes, and the object's alarm releases what a dead request held.
  await new Promise((resolve) => setTimeout(resolve, 17_000));
  const ok = await reconcile(worker, accounts, calls, started);
  await worker.dispose();
  rmSync(persist, { recursive: true, force: true });
  return ok;
}

/**
 * The n-th call: mostly new identities (billable), some repeats of the call four before (309, or a
 * replay on the odd accounts), and on the fifth account invalid IDs and wrong keys (307: on an
 * unsigned CBC account both are the one 307, and its failure budget runs out, as the others' must not).
 */
function nextCall(n: number, calls: readonly Call[]): Call {
  const account = n % 4;
  const requestId = `soak-${n}`;
  const roll = n % 20;
  if ((roll === 14 || roll === 15) && n >= 4) return { account, requestId, fields: calls[n - 4]!.fields, answers: [] };
  if (roll === 16)
    return { account: 4, requestId, fields: { ...nextIdentity(), idCard: "110101199003074515" }, answers: [] };
  if (roll === 17) return { account: 4, requestId, fields: nextIdentity(), key: "0123456789abcdef", answers: [] };
  return { account, requestId, fields: nextIdentity(), answers: [] };
}

async function admin<T>(worker: Worker, path: string): Promise<T> {
  const response = await fetch(new URL(path, worker.url), { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Every ledger row of the run, page by page through the export's cursors. */
async function exportRows(worker: Worker, accountId: string, from: string, to: string) {
  const rows: (Row & { attempts: RowAttempt[] })[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: { rows: (Row & { attempts: RowAttempt[] })[]; next: string | null } = await admin(
      worker,
      `/admin/accounts/${accountId}/ledger?from=${from}&to=${to}&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    );
    rows.push(...page.rows);
    cursor = page.next;
    pages++;
  } while (cursor !== null);
  return { rows, pages };
}

async function reconcile(worker: Worker, accounts: readonly Account[], calls: readonly Call[], started: number) {
  const day = (at: number) => new Date(at + 8 * 3_600_000).toISOString().slice(0, 10);
  const [from, to] = [day(started), day(Date.now())];
  const answers = calls.flatMap((c) => c.answers.filter((a): a is Answer => a !== "transport"));
  const delivered = new Set(answers.flatMap((a) => (a.orderNo ? [a.orderNo] : [])));
  const billable = answers.filter((a) => a.billable);
  const cut = calls.filter((c) => c.answers[0] === "transport");
  const unanswered = calls.filter((c) => c.answers.at(-1) === "transport");
  const retryAnswers = calls.flatMap((c) => c.answers.slice(1).filter((a): a is Answer => a !== "transport"));
  let failures = 0;
  let pages = 0;
  const all: (Row & { attempts: RowAttempt[] })[] = [];
  let usageRequests = 0;
  for (const account of accounts) {
    const exported = await exportRows(worker, account.id, from, to);
    pages += exported.pages;
    all.push(...exported.rows);
    const state = await admin<{ balanceFen: number; reserved: number }>(worker, `/admin/accounts/${account.id}`);
    const usage = await admin<{ rows: { requests: number }[] }>(
      worker,
      `/admin/accounts/${account.id}/usage?from=${from}&to=${to}`,
    );
    usageRequests += usage.rows.reduce((sum, r) => sum + r.requests, 0);
    const charged = exported.rows.reduce((sum, r) => sum + r.chargedFen, 0);
    const balanced = state.balanceFen === OPENING_FEN - charged;
    if (!balanced || state.reserved !== 0) failures++;
    console.log(
      `  ${account.id}: balance ${state.balanceFen} = ${OPENING_FEN} − ${charged} charged: ${balanced ? "yes" : "NO"}; reserved ${state.reserved}`,
    );
  }
  const byOrder = new Map(all.map((r) => [r.orderNo, r]));
  const billedOnce = billable.filter((a) => byOrder.get(a.orderNo ?? "")?.chargedFen === PRICE_FEN).length;
  const chargedRows = all.filter((r) => r.chargedFen > 0);
  const neverDelivered = chargedRows.filter((r) => !delivered.has(r.orderNo)).length;
  const recovered = cut.filter((c) => c.answers.some((a) => a !== "transport" && a.code === "200")).length;
  const expired = all.filter((r) => r.errorCode === "500" && r.attempts.some((a) => a.code === null));
  const vendors: Record<string, number> = {};
  for (const r of expired) for (const a of r.attempts) vendors[a.upstream] = (vendors[a.upstream] ?? 0) + 1;
  const twice = chargedTwiceInWindow(chargedRows);
  const rowless = answers.filter((a) => a.orderNo && a.code !== "502" && !byOrder.has(a.orderNo));
  if (billedOnce !== billable.length || twice > 0) failures++;
  const codes: Record<string, number> = {};
  for (const a of answers) codes[a.code] = (codes[a.code] ?? 0) + 1;
  const rowCodes: Record<string, number> = {};
  for (const r of all) rowCodes[r.errorCode] = (rowCodes[r.errorCode] ?? 0) + 1;
  const lines = [
    `answers by code ${JSON.stringify(codes)}; ledger rows by code ${JSON.stringify(rowCodes)}`,
    `calls ${calls.length}; cut off by the kill ${cut.length}, of which answered on retry with their requestId ${recovered}; never answered ${unanswered.length}`,
    `309 "in flight" answers to retries ${retryAnswers.filter((a) => a.inFlight).length}; retries answered with the original 200 ${retryAnswers.filter((a) => a.code === "200" && !a.billable).length}, billed anew ${retryAnswers.filter((a) => a.billable).length}`,
    `ledger export: ${all.length} rows in ${pages} pages; usage counts ${usageRequests} requests (${usageRequests - all.length} without a row)`,
    `billable answers delivered ${billable.length}, each with exactly one charged row: ${billedOnce === billable.length ? "yes" : `NO (${billedOnce})`}`,
    `charged rows ${chargedRows.length}; charged but never delivered ${neverDelivered}; identities charged twice within ${DEDUP_WINDOW_MS / 1000} s ${twice}`,
    `reservations released by expiry ${expired.length} (maybe-called upstreams: ${JSON.stringify(vendors)})`,
    `answers whose ledger row is missing (unreserved rows lost with the killed isolate's batch) ${rowless.length}`,
  ];
  for (const line of lines) console.log(line);
  return failures === 0;
}

/** Charged rows of one identity (fingerprint prefix) less than the duplicate window apart. */
function chargedTwiceInWindow(rows: readonly Row[]): number {
  const last = new Map<string, number>();
  let twice = 0;
  for (const r of [...rows].sort((a, b) => a.at - b.at)) {
    const key = r.fingerprintPrefix ?? r.orderNo;
    const before = last.get(key);
    if (before !== undefined && r.at - before < DEDUP_WINDOW_MS) twice++;
    last.set(key, r.at);
  }
  return twice;
}
