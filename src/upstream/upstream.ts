// One interface for every upstream (docs/contract.md §5): an adapter asks one vendor about one
// identity and says, besides our outcome, whether the next upstream may be asked instead.
import type { Identity } from "../identity/identity.ts";
import type { Carrier } from "../wire/carrier.ts";
import type { FailureCode, ReturnCode } from "../wire/codes.ts";
import type { MatchCode } from "../wire/envelope.ts";
import { fail, type Outcome, ok } from "../wire/outcome.ts";

export type UpstreamMatch = {
  readonly returnCode: ReturnCode;
  readonly matchCode: MatchCode | null;
  /** The vendor's order or request id, for reconciliation with its bill; only a plain token. */
  readonly upstreamOrderId: string | null;
  /** The carrier the upstream reported (it knows ported numbers); null when it said none. */
  readonly carrier: Carrier | null;
};

/** One answer of one upstream, before its latency is added. */
export type Reply = {
  readonly outcome: Outcome<UpstreamMatch>;
  /** The upstream's own result or error code (juhe `error_code`, Tencent `Result` or `Error.Code`), when it sent one. */
  readonly code: string | null;
  /** Not about the person: the next upstream may answer instead. */
  readonly failover: boolean;
  /** The upstream itself failed: counts towards its circuit breaker (docs/contract.md §5). */
  readonly fault: boolean;
  /** The upstream said the number is not on this carrier (juhe telecomCmcc `227304`: not Telecom). */
  readonly notCarrier?: Carrier;
};

export type UpstreamAnswer = Reply & { readonly latencyMs: number };

/** One try of one upstream, for reconciliation with that vendor's bill (docs/contract.md §5). */
export type Attempt = {
  readonly upstream: string;
  /** The upstream's own result or error code, when it sent one. */
  readonly code: string | null;
  readonly ms: number;
  readonly orderId: string | null;
  /**
   * The upstream itself failed: a `fault` row of its code table or a transport failure, the rule
   * its circuit breaker counts by (docs/contract.md §5). Absent, unknown: in ledger rows written
   * before it was kept, and for a reservation released by expiry (the vendor may have answered).
   */
  readonly fault?: boolean;
};

/** Ask within `timeoutMs`; never throws for anything the upstream or the network does. */
export type Query = (identity: Identity, timeoutMs: number) => Promise<UpstreamAnswer>;

export type Upstream = {
  /** Its UPSTREAMS name (src/upstream/vendors.ts). */
  readonly name: string;
  /** The carriers this upstream is asked for (`UPSTREAMS=name:CTCC`); null for every number. */
  readonly carriers: readonly Carrier[] | null;
  readonly ask: Query;
  /** A sandbox twin: its faults are simulated, logged as such and never counted by the breaker. */
  readonly simulated?: boolean;
};

/** Reasons several vendors' tables give: one cause reads the same whichever upstream answered. */
export const REASONS = {
  noRecord: "运营商库中无此记录",
  badName: "姓名不合法",
  badIdCard: "身份证号码不合法",
  keyRefused: "上游接入配置异常",
  badParameter: "上游参数错误",
  rateLimited: "上游请求频率超限",
  quotaExceeded: "上游请求次数超限",
  internalError: "上游系统内部异常",
  unknownError: "上游返回未知错误",
} as const;

/** A failure in an adapter's code table. */
export type FailureRow = {
  readonly code: FailureCode;
  readonly reason: string;
  readonly failover: boolean;
  readonly fault: boolean;
};

/** An answer about the person (no record, invalid data) or our own request: no other upstream is asked. */
export const final = (code: FailureCode, reason: string): FailureRow => ({
  code,
  reason,
  failover: false,
  fault: false,
});

/** The upstream failed (down, busy, refused our key, out of quota): the next one is asked, and the breaker counts it. */
export const fault = (code: FailureCode, reason: string): FailureRow => ({ code, reason, failover: true, fault: true });

/**
 * The upstream works but does not cover this number (not its network, a segment it does not
 * serve) or this person today: the next one is asked; the breaker does not count it.
 */
export const pass = (code: FailureCode, reason: string): FailureRow => ({ code, reason, failover: true, fault: false });

export function failed(row: FailureRow, code: string | null): Reply {
  return { outcome: fail(row.code, row.reason), code, failover: row.failover, fault: row.fault };
}

export function matched(match: UpstreamMatch, code: string): Reply {
  return { outcome: ok(match), code, failover: false, fault: false };
}

/** One line of a vendor's code table as the docs show it: its code, ours, and what it does to the chain. */
export type CodeRow = {
  /** The vendor's code, or a description such as "any other". */
  readonly vendorCode: string;
  /** Ours: `200` with its returnCode, or the failure code. */
  readonly code: string;
  readonly reason: string;
  readonly failover: boolean;
  /** Counted by the breaker. */
  readonly fault: boolean;
};

/** A failure row of a vendor's table as a docs line. */
export const codeRow = (vendorCode: string, row: FailureRow): CodeRow => ({ vendorCode, ...row });

/** An id or code that may go into the ledger and logs: a plain token, otherwise nothing. */
export function plainToken(text: string | null | undefined): string | null {
  return text != null && /^[A-Za-z0-9_.-]{1,64}$/.test(text) ? text : null;
}
