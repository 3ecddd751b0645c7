// The verifyMobile pipeline, in the contract's check order (CONTRACT.md §3): parameters → token
// → account state → decrypt → logon fields → duplicate → quota → upstream. Each step returns an
// Outcome; the first failure is the answer.
import { checkAccount, chinaDay } from "./accounts/check.ts";
import { lookupAccount, type Account } from "./accounts/lookup.ts";
import { SERVICE } from "./accounts/record.ts";
import { accountObject, balanceHint, openingOf, rememberBalance } from "./billing/gateway.ts";
import { queueLedgerRow } from "./billing/ledger-buffer.ts";
import { decryptLogon } from "./crypto/logon.ts";
import { answerDuplicate } from "./duplicates/policy.ts";
import { duplicateKey, fingerprint } from "./duplicates/fingerprint.ts";
import { findDuplicate, rememberResult, shareInFlight, type StoredResult } from "./duplicates/store.ts";
import { envelopeResponse, toEnvelope, type Verified } from "./envelope.ts";
import { readConfig, type Config, type Env } from "./env.ts";
import type { Identity } from "./identity/identity.ts";
import { parseLogonFields } from "./identity/logon-fields.ts";
import { logRequest, type RequestLog } from "./log.ts";
import { writeMetrics } from "./metrics.ts";
import { newOrderNo } from "./order-number.ts";
import { fail, ok, type Failure, type Outcome } from "./outcome.ts";
import { readFields } from "./request/body.ts";
import { parseParams } from "./request/params.ts";
import { juheClient, type UpstreamCall } from "./upstream/juhe.ts";

type Background = Pick<ExecutionContext, "waitUntil">;

/** Facts gathered along the way for the log line and the ledger. */
type Trace = {
  accountId: string | null;
  fingerprint: string | null;
  upstream: UpstreamCall | null;
  /** The account's object holds a reservation for this request: settling it writes the ledger row. */
  reserved: boolean;
};

export async function verifyMobile(request: Request, env: Env, ctx: Background): Promise<Response> {
  const started = Date.now();
  const orderNo = newOrderNo(started);
  const trace: Trace = { accountId: null, fingerprint: null, upstream: null, reserved: false };
  const outcome = await run(request, env, ctx, orderNo, started, trace).catch((error: unknown) => {
    // The name only: an error message may quote input.
    console.error(JSON.stringify({ level: "error", event: "unhandled", orderNo, error: error instanceof Error ? error.name : typeof error }));
    return fail("500");
  });
  const envelope = toEnvelope(outcome);
  const entry: RequestLog = {
    orderNo,
    accountId: trace.accountId,
    errorCode: envelope.errorCode,
    returnCode: envelope.returnCode,
    reason: envelope.errorReason,
    upstreamCode: trace.upstream?.upstreamCode ?? null,
    upstreamMs: trace.upstream?.latencyMs ?? null,
    totalMs: Date.now() - started,
    duplicate: envelope.info?.duplicate ?? envelope.errorCode === "309",
    billable: envelope.info?.billable ?? false,
  };
  logRequest(entry);
  writeMetrics(env.METRICS, entry);
  if (trace.accountId !== null && !trace.reserved) {
    // Every request of a known account gets a ledger row, off the response path.
    ctx.waitUntil(
      queueLedgerRow(env, trace.accountId, {
        orderNo,
        at: started,
        service: SERVICE,
        errorCode: entry.errorCode,
        returnCode: entry.returnCode,
        chargedFen: 0,
        duplicate: entry.duplicate,
        upstreamOrderId: null,
        upstreamCode: entry.upstreamCode,
        upstreamMs: entry.upstreamMs,
        fingerprintPrefix: trace.fingerprint,
      }),
    );
  }
  return envelopeResponse(envelope, orderNo);
}

async function run(request: Request, env: Env, ctx: Background, orderNo: string, now: number, trace: Trace): Promise<Outcome<Verified>> {
  const config = readConfig(env);
  if (!config.ok) {
    console.error(JSON.stringify({ level: "error", event: "config_invalid", problems: config.problems }));
    return fail("500");
  }
  const secret = config.config.SERVICE_SECRET;

  const fields = await readFields(request);
  if (!fields.ok) return fields;
  const params = parseParams(fields.value);
  if (!params.ok) return params;
  const { token, iv, logon, logonText } = params.value;

  const account = await lookupAccount(env.ACCOUNTS, secret, token, now);
  if (!account.ok) return account;
  const { record, logonKey } = account.value;
  trace.accountId = record.id;
  const state = checkAccount(record, SERVICE, chinaDay(now), balanceHint(record.id, now));
  if (!state.ok) return state;

  const decrypted = await decryptLogon(logonKey, iv, logon, logonText);
  if (!decrypted.ok) return decrypted;
  const identity = parseLogonFields(decrypted.value, new Date(now));
  if (!identity.ok) return identity;

  const fp = await fingerprint(secret, record.id, identity.value);
  trace.fingerprint = fp;
  const key = duplicateKey(record.id, fp);
  const seen = await findDuplicate(env.DEDUP, key, now);
  if (seen) return answerDuplicate(seen, record.duplicatePolicy, orderNo);

  // Identical requests in flight in this isolate share the leader's reservation and upstream call.
  // The work is kept alive with waitUntil, so a caller who hangs up still gets settled and ledgered.
  const shared = await shareInFlight(key, () => {
    const work = reserveAndAsk({ env, ctx, config: config.config, account: account.value, identity: identity.value, fingerprint: fp, key, orderNo, now });
    ctx.waitUntil(work.catch(() => {}));
    return work;
  });
  const answer = shared.result;
  switch (answer.kind) {
    case "refused":
      return answer.failure;
    case "duplicate":
      return answerDuplicate(answer.stored, record.duplicatePolicy, orderNo);
    case "answered": {
      // A follower's identical request is a duplicate of the leader's answer, or shares its failure.
      if (!shared.leader && answer.stored) return answerDuplicate(answer.stored, record.duplicatePolicy, orderNo);
      if (shared.leader) {
        trace.reserved = true;
        trace.upstream = answer.call;
      }
      const result = answer.call.outcome;
      if (!result.ok) return result;
      return ok({ returnCode: result.value.returnCode, info: { orderNo, matchCode: result.value.matchCode, billable: true, duplicate: false } });
    }
    default:
      return answer satisfies never;
  }
}

type Answered = { kind: "answered"; call: UpstreamCall; stored: StoredResult | null };
type Shared = Answered | { kind: "duplicate"; stored: StoredResult } | { kind: "refused"; failure: Failure };

type Ask = {
  env: Env;
  ctx: Background;
  config: Config;
  account: Account;
  identity: Identity;
  fingerprint: string;
  key: string;
  orderNo: string;
  now: number;
};

/** The one round trip to the account's object (reserve), the upstream call, then settle off the response path. */
async function reserveAndAsk(a: Ask): Promise<Shared> {
  const { record } = a.account;
  const object = accountObject(a.env, record.id);
  const begun = await object.begin({
    orderNo: a.orderNo,
    service: SERVICE,
    priceFen: record.services[SERVICE]!.priceFen,
    opening: openingOf(record, SERVICE),
    fingerprint: a.fingerprint,
    dedupTtl: record.dedupTtl,
    now: a.now,
  });
  switch (begun.kind) {
    case "duplicate":
      return { kind: "duplicate", stored: begun.stored };
    case "inFlight":
      return { kind: "refused", failure: fail("309", "相同请求正在处理中") };
    case "refused":
      rememberBalance(record.id, begun.balanceFen, a.now);
      return { kind: "refused", failure: fail(begun.code) };
    case "reserved":
      rememberBalance(record.id, begun.balanceFen, a.now);
      break;
    default:
      return begun satisfies never;
  }
  const call = await juheClient(a.config)(a.identity);
  const match = call.outcome.ok ? call.outcome.value : null;
  const stored: StoredResult | null = match ? { returnCode: match.returnCode, matchCode: match.matchCode, orderNo: a.orderNo, at: a.now } : null;
  const failure = call.outcome.ok ? null : call.outcome;
  a.ctx.waitUntil(
    object.settle({
      orderNo: a.orderNo,
      at: a.now,
      errorCode: failure ? failure.code : "200",
      returnCode: match ? match.returnCode : "0",
      upstreamOrderId: match?.upstreamOrderId ?? null,
      upstreamCode: call.upstreamCode,
      upstreamMs: call.latencyMs,
      stored,
    }).catch(() => console.error(JSON.stringify({ level: "error", event: "settle_failed", orderNo: a.orderNo }))),
  );
  if (stored) a.ctx.waitUntil(rememberResult(a.env.DEDUP, a.key, stored, record.dedupTtl));
  return { kind: "answered", call, stored };
}
