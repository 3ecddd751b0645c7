// The verifyMobile pipeline, in the contract's check order (CONTRACT.md §3): parameters → token
// → account state → decrypt → logon fields → duplicate → quota → upstream. Each step returns an
// Outcome; the first failure is the answer.
import { checkAccount, chinaDay } from "./accounts/check.ts";
import { lookupAccount } from "./accounts/lookup.ts";
import { SERVICE } from "./accounts/record.ts";
import { currentBalance } from "./billing/gateway.ts";
import { queueLedgerRow } from "./billing/ledger-buffer.ts";
import { decryptLogon } from "./crypto/logon.ts";
import { answerDuplicate } from "./duplicates/policy.ts";
import { duplicateKey, fingerprint } from "./duplicates/fingerprint.ts";
import { findDuplicate, shareInFlight } from "./duplicates/store.ts";
import { envelopeResponse, toEnvelope, type Verified } from "./envelope.ts";
import { readConfig, type Env } from "./env.ts";
import { parseLogonFields } from "./identity/logon-fields.ts";
import { logRequest, type RequestLog } from "./log.ts";
import { writeMetrics } from "./metrics.ts";
import { newOrderNo } from "./order-number.ts";
import { fail, ok, type Outcome } from "./outcome.ts";
import { readFields } from "./request/body.ts";
import { parseParams } from "./request/params.ts";
import { reserveAndAsk, type Background } from "./reserve-and-ask.ts";
import type { UpstreamCall } from "./upstream/juhe.ts";

/** Facts gathered along the way for the log line and the ledger. */
type Trace = {
  accountId: string | null;
  fingerprint: string | null;
  upstream: UpstreamCall | null;
  /** The account's object holds a reservation for this request: settling it writes the ledger row. */
  reserved: boolean;
};

export function verifyMobile(request: Request, env: Env, ctx: Background): Promise<Response> {
  const handled = handle(request, env, ctx);
  // The whole request, its settlement and its ledger row outlive a caller who hangs up.
  ctx.waitUntil(handled.then(() => {}, () => {}));
  return handled;
}

async function handle(request: Request, env: Env, ctx: Background): Promise<Response> {
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
  const state = checkAccount(record, SERVICE, chinaDay(now), await currentBalance(env, record, now));
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
  const shared = await shareInFlight(key, () =>
    reserveAndAsk({ env, ctx, config: config.config, record, identity: identity.value, fingerprint: fp, key, orderNo, now }),
  );
  const answer = shared.result;
  switch (answer.kind) {
    case "refused":
      return answer.failure;
    case "duplicate":
      return answerDuplicate(answer.stored, record.duplicatePolicy, orderNo);
    case "answered": {
      // A follower (an identical request that arrived while the leader's was in flight) is a
      // duplicate of the leader's answer when it succeeded, and shares its failure otherwise.
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
