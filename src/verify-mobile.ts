// The verifyMobile pipeline, in the contract's check order (CONTRACT.md §3): parameters → token
// → account state → decrypt → logon fields → duplicate → quota → upstream. Each step returns an
// Outcome; the first failure is the answer.
import { checkAccount, checkQuota, chinaDay } from "./accounts/check.ts";
import { lookupAccount } from "./accounts/lookup.ts";
import { SERVICE } from "./accounts/record.ts";
import { decryptLogon } from "./crypto/logon.ts";
import { answerDuplicate } from "./duplicates/policy.ts";
import { duplicateKey, fingerprint } from "./duplicates/fingerprint.ts";
import { findDuplicate, rememberResult, shareInFlight, type StoredResult } from "./duplicates/store.ts";
import { envelopeResponse, toEnvelope, type Verified } from "./envelope.ts";
import { readConfig, type Env } from "./env.ts";
import { parseLogonFields } from "./identity/logon-fields.ts";
import { logRequest } from "./log.ts";
import { writeMetrics } from "./metrics.ts";
import { newOrderNo } from "./order-number.ts";
import { fail, ok, type Outcome } from "./outcome.ts";
import { readFields } from "./request/body.ts";
import { parseParams } from "./request/params.ts";
import { juheClient, type UpstreamCall } from "./upstream/juhe.ts";

/** Facts gathered along the way for the log line. */
type Trace = { accountId: string | null; upstream: UpstreamCall | null };

export async function verifyMobile(request: Request, env: Env, ctx: Pick<ExecutionContext, "waitUntil">): Promise<Response> {
  const started = Date.now();
  const orderNo = newOrderNo(started);
  const trace: Trace = { accountId: null, upstream: null };
  const outcome = await run(request, env, ctx, orderNo, started, trace).catch((error: unknown) => {
    // The name only: an error message may quote input.
    console.error(JSON.stringify({ level: "error", event: "unhandled", orderNo, error: error instanceof Error ? error.name : typeof error }));
    return fail("500");
  });
  const envelope = toEnvelope(outcome);
  const entry = {
    orderNo,
    accountId: trace.accountId,
    errorCode: envelope.errorCode,
    returnCode: envelope.returnCode,
    reason: envelope.errorReason,
    upstreamCode: trace.upstream?.upstreamCode ?? null,
    upstreamMs: trace.upstream?.latencyMs ?? null,
    totalMs: Date.now() - started,
    duplicate: envelope.info?.duplicate ?? false,
    billable: envelope.info?.billable ?? false,
  };
  logRequest(entry);
  writeMetrics(env.METRICS, entry);
  return envelopeResponse(envelope, orderNo);
}

async function run(request: Request, env: Env, ctx: Pick<ExecutionContext, "waitUntil">, orderNo: string, now: number, trace: Trace): Promise<Outcome<Verified>> {
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
  const state = checkAccount(record, SERVICE, chinaDay(now));
  if (!state.ok) return state;

  const decrypted = await decryptLogon(logonKey, iv, logon, logonText);
  if (!decrypted.ok) return decrypted;
  const identity = parseLogonFields(decrypted.value, new Date(now));
  if (!identity.ok) return identity;

  const key = duplicateKey(record.id, await fingerprint(secret, record.id, identity.value));
  const seen = await findDuplicate(env.DEDUP, key, now);
  if (seen) return answerDuplicate(seen, record.duplicatePolicy, orderNo);

  const quota = checkQuota(record, SERVICE);
  if (!quota.ok) return quota;

  // Identical requests in flight in this isolate share the leader's upstream call.
  const shared = await shareInFlight(key, async () => {
    const call = await juheClient(config.config)(identity.value);
    const stored: StoredResult | null = call.outcome.ok
      ? { returnCode: call.outcome.value.returnCode, matchCode: call.outcome.value.matchCode, orderNo, at: now }
      : null;
    if (stored) ctx.waitUntil(rememberResult(env.DEDUP, key, stored, record.dedupTtl));
    return { call, stored };
  });
  const { call, stored } = shared.result;
  if (!shared.leader && stored) return answerDuplicate(stored, record.duplicatePolicy, orderNo);
  if (shared.leader) trace.upstream = call;
  if (!call.outcome.ok) return call.outcome;
  return ok({ returnCode: call.outcome.value.returnCode, info: { orderNo, matchCode: call.outcome.value.matchCode, billable: true, duplicate: false } });
}
