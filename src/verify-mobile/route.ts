// POST /api/personalInfo/verifyMobile: runs the pipeline, then answers in the envelope with one log
// line, one metrics point and, for a known account that did not reserve, one ledger row.
import { SERVICE } from "../accounts/record.ts";
import { watchRequest } from "../alerts/watch.ts";
import { queueLedgerRow } from "../billing/ledger-buffer.ts";
import type { Background } from "../platform/background.ts";
import { logRequest, type RequestLog } from "../platform/log.ts";
import { writeMetrics } from "../platform/metrics.ts";
import { envelopeResponse, toEnvelope } from "../wire/envelope.ts";
import { unhandled } from "./context.ts";
import { newOrderNo } from "./order-number.ts";
import { run } from "./pipeline.ts";

export function verifyMobile(request: Request, env: Env, ctx: Background): Promise<Response> {
  const handled = handle(request, env, ctx);
  // The whole request, its settlement and its ledger row outlive a caller who hangs up.
  ctx.waitUntil(
    handled.then(
      () => {},
      () => {},
    ),
  );
  return handled;
}

async function handle(request: Request, env: Env, ctx: Background): Promise<Response> {
  const started = Date.now();
  const orderNo = newOrderNo(started);
  // Anything thrown before the account is known is ours (the pipeline catches what comes after).
  const { outcome, facts } = await run(request, env, ctx, orderNo, started).catch((error: unknown) =>
    unhandled(orderNo, error),
  );
  const envelope = toEnvelope(outcome);
  const entry: RequestLog = {
    orderNo,
    accountId: facts.accountId,
    errorCode: envelope.errorCode,
    returnCode: envelope.returnCode,
    reason: envelope.errorReason,
    upstreamCode: facts.upstream?.upstreamCode ?? null,
    upstreamMs: facts.upstream?.latencyMs ?? null,
    totalMs: Date.now() - started,
    duplicate: envelope.info?.duplicate ?? facts.duplicate,
    billable: envelope.info?.billable ?? false,
    previousCredential: facts.previousCredential,
  };
  logRequest(entry);
  writeMetrics(env.METRICS, entry);
  // ALERT HOOK (ops, src/alerts/watch.ts): counts for the operator's alerts, flushed off the response path.
  watchRequest(env, ctx, entry, facts.upstream?.attempts ?? []);
  if (facts.accountId !== null && !facts.recordedByObject) {
    // Every request of a known account gets a ledger row, off the response path; the request
    // that starts a batch carries its flush (ledger-buffer.ts).
    const flush = queueLedgerRow(env, facts.accountId, {
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
      fingerprintPrefix: facts.fingerprint,
      attempts: [],
      replayOf: facts.replayOf,
      previousCredential: facts.previousCredential,
    });
    if (flush) ctx.waitUntil(flush);
  }
  // A retry with a requestId is the original answer, under the original order number (docs/contract.md §6).
  const response = envelopeResponse(envelope, envelope.info?.orderNo ?? orderNo);
  // The rate limit's 502 and an unavailable account's 503 say when to come back (docs/contract.md §7, §8).
  if (!outcome.ok && outcome.retryAfterSeconds !== undefined)
    response.headers.set("Retry-After", String(outcome.retryAfterSeconds));
  return response;
}
