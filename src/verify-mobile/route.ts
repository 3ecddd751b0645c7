// POST /api/personalInfo/verifyMobile: runs the pipeline, then answers in the envelope with one log
// line, one metrics point and, for a known account that did not reserve, one ledger row.
import { SERVICE } from "../accounts/record.ts";
import { watchRequest } from "../alerts/watch.ts";
import { queueLedgerRow } from "../billing/ledger-buffer.ts";
import type { Background } from "../platform/background.ts";
import { logEvent, logRequest, type RequestLog } from "../platform/log.ts";
import { writeMetrics } from "../platform/metrics.ts";
import { envelopeResponse, toEnvelope } from "../wire/envelope.ts";
import { newOrderNo } from "../wire/order-number.ts";
import { fail } from "../wire/outcome.ts";
import { run, type Trace } from "./pipeline.ts";

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
  const trace: Trace = {
    accountId: null,
    fingerprint: null,
    upstream: null,
    recordedByObject: false,
    duplicate: false,
    retryAfterSeconds: null,
  };
  const outcome = await run(request, env, ctx, orderNo, started, trace).catch((error: unknown) => {
    // The name only: an error message may quote input.
    logEvent("error", "unhandled", { orderNo, error: error instanceof Error ? error.name : typeof error });
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
    duplicate: envelope.info?.duplicate ?? trace.duplicate,
    billable: envelope.info?.billable ?? false,
  };
  logRequest(entry);
  writeMetrics(env.METRICS, entry);
  // ALERT HOOK (ops, src/alerts/watch.ts): counts for the operator's alerts, flushed off the response path.
  watchRequest(env, ctx, entry, trace.upstream?.attempts ?? []);
  if (trace.accountId !== null && !trace.recordedByObject) {
    // Every request of a known account gets a ledger row, off the response path; the request
    // that starts a batch carries its flush (ledger-buffer.ts).
    const flush = queueLedgerRow(env, trace.accountId, {
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
      attempts: [],
    });
    if (flush) ctx.waitUntil(flush);
  }
  // A retry with a requestId is the original answer, under the original order number (docs/contract.md §6).
  const response = envelopeResponse(envelope, envelope.info?.orderNo ?? orderNo);
  // The rate limit's 502 says when to come back (docs/contract.md §8).
  if (trace.retryAfterSeconds !== null) response.headers.set("Retry-After", String(trace.retryAfterSeconds));
  return response;
}
