// The billable call (docs/contract.md §7): one round trip to the account's object to reserve, the upstream
// call, then the settlement and the duplicate-cache write off the response path. Whatever
// happens after a reservation, it is settled: committed for a 200, released for anything else.
import { SERVICE, type AccountRecord } from "../accounts/record.ts";
import { accountObject, openingOf, rememberBalance } from "../billing/gateway.ts";
import type { Settlement } from "../billing/types.ts";
import { rememberResult } from "../duplicates/store.ts";
import type { StoredResult } from "../duplicates/stored-result.ts";
import type { Background } from "../platform/background.ts";
import type { Config } from "../platform/config.ts";
import { logEvent } from "../platform/log.ts";
import type { Identity } from "../identity/identity.ts";
import { fail, type Failure } from "../wire/outcome.ts";
import { route, type UpstreamCall } from "../upstream/router.ts";
import { limitsOf, upstreamsFor } from "./upstreams.ts";

export type Answered = { kind: "answered"; call: UpstreamCall; stored: StoredResult | null };
export type Shared = Answered | { kind: "duplicate"; stored: StoredResult } | { kind: "refused"; failure: Failure };

export type Ask = {
  env: Env;
  ctx: Background;
  config: Config;
  record: AccountRecord;
  identity: Identity;
  fingerprint: string;
  /** The duplicate cache key. */
  key: string;
  orderNo: string;
  now: number;
};

export async function billableCall(a: Ask): Promise<Shared> {
  const { record } = a;
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
      return { kind: "refused", failure: fail("309", `相同身份的请求正在处理中（订单${begun.orderNo}），请稍后重试`) };
    case "refused":
      rememberBalance(record.id, begun.balanceFen, a.now);
      return { kind: "refused", failure: fail(begun.code) };
    case "reserved":
      rememberBalance(record.id, begun.balanceFen, a.now);
      break;
    default:
      return begun satisfies never;
  }
  const call = await askUpstream(a);
  const match = call.outcome.ok ? call.outcome.value : null;
  const stored: StoredResult | null = match ? { returnCode: match.returnCode, matchCode: match.matchCode, carrier: match.carrier, orderNo: a.orderNo, at: a.now } : null;
  a.ctx.waitUntil(
    settle(a, {
      orderNo: a.orderNo,
      at: a.now,
      errorCode: call.outcome.ok ? "200" : call.outcome.code,
      returnCode: match ? match.returnCode : "0",
      upstreamOrderId: match?.upstreamOrderId ?? null,
      upstreamCode: call.upstreamCode,
      upstreamMs: call.latencyMs,
      attempts: call.attempts,
      stored,
    }),
  );
  if (stored) a.ctx.waitUntil(rememberResult(a.env.DEDUP, a.key, stored, record.dedupTtl));
  return { kind: "answered", call, stored };
}

/** The router maps every upstream failure to an outcome; anything it throws is ours (500), and still settled. */
async function askUpstream(a: Ask): Promise<UpstreamCall> {
  try {
    return await route(upstreamsFor(a.config), a.identity, limitsOf(a.config));
  } catch (error) {
    logEvent("error", "upstream_threw", { orderNo: a.orderNo, error: error instanceof Error ? error.name : typeof error });
    return { outcome: fail("500"), attempts: [], upstreamCode: null, latencyMs: null };
  }
}

const SETTLE_RETRY_MS = [100, 1_000];

/** Settling is idempotent, so a failed call is retried; the object's alarm is the last resort. */
async function settle(a: Ask, settlement: Settlement): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await accountObject(a.env, a.record.id).settle(settlement);
    } catch {
      const wait = SETTLE_RETRY_MS[attempt];
      if (wait === undefined) {
        logEvent("error", "settle_failed", { orderNo: a.orderNo, billable: settlement.stored !== null });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
