// What the Worker and an account's Durable Object say to each other (plain, structured-clonable).

import type { Subjects } from "../duplicates/fingerprint.ts";
import type { StoredResult } from "../duplicates/stored-result.ts";
import type { Attempt } from "../upstream/upstream.ts";
import type { ErrorCode } from "../wire/codes.ts";

/** The account's opening balance and count, from its KV record: used once, to start the object. */
export type Opening = { readonly balanceFen: number | null; readonly remaining: number | null };

/** The account's limits as its record sets them (docs/contract.md §8). */
export type Limits = {
  /** Requests per second, averaged over 10 s; null: no limit. */
  readonly rateLimit: number | null;
  /** Different identities one phone, or one ID number, may be checked against per 24 h. */
  readonly subjectBudget: number;
};

export type BeginRequest = {
  readonly orderNo: string;
  readonly service: string;
  readonly priceFen: number;
  readonly opening: Opening;
  readonly fingerprint: string;
  readonly dedupTtl: number;
  /** Whose decryption failures count against the failure budget (docs/contract.md §2). */
  readonly tokenHash: string;
  readonly limits: Limits;
  readonly subjects: Subjects;
  /** HMAC of the caller's requestId, when it sent one (docs/contract.md §6). */
  readonly requestKey: string | null;
  /**
   * The upstream this request asks first (the first of UPSTREAMS that accepts the number's
   * carrier), or null when it asks none: named in the ledger if the request dies (docs/contract.md §7).
   */
  readonly upstream: string | null;
  readonly now: number;
};

/**
 * The one round trip before the upstream call: a reservation, or why there is none, in the order
 * of docs/contract.md §4. Every answer carries the balance, which the isolate keeps for the 104
 * check at the token check.
 */
export type Begin = { readonly balanceFen: number | null } & (
  | { readonly kind: "reserved" }
  | { readonly kind: "refused"; readonly code: "104" | "312" | "313" }
  /** The token has spent its decryption-failure budget (307 without decrypting). */
  | { readonly kind: "blocked"; readonly until: number }
  /** A request with this requestId was answered (200): the same answer again. */
  | { readonly kind: "retried"; readonly stored: StoredResult }
  /** This requestId belongs to a request about another identity (306). */
  | { readonly kind: "requestIdReused" }
  | { readonly kind: "duplicate"; readonly stored: StoredResult }
  /** An identical request (or one with this requestId) holds a reservation right now. */
  | { readonly kind: "inFlight"; readonly orderNo: string }
  | { readonly kind: "tooFast"; readonly retryAfterMs: number }
  /** This identity would exceed the per-person budget of its phone or ID number. */
  | { readonly kind: "overBudget"; readonly subject: keyof Subjects }
);

/** A decryption failure, reported to the account's object (docs/contract.md §2). */
export type DecryptionFailure = {
  readonly service: string;
  readonly opening: Opening;
  readonly tokenHash: string;
  /** The account's rate limit (docs/contract.md §8), drawn before the failure is counted. */
  readonly rateLimit: number | null;
  readonly now: number;
};

export type FailureVerdict = {
  readonly balanceFen: number | null;
  /** Not null when the rate limit refused the request (502, Retry-After): then nothing was counted. */
  readonly retryAfterMs: number | null;
  /** The budget was spent before this failure: the answer is the budget's, whatever the ciphertext. */
  readonly overBudget: boolean;
  /** Until when the token is refused without decrypting, once its budget is spent. */
  readonly blockedUntil: number | null;
};

/** One ledger row: facts about a request, never personal data (the fingerprint only as a prefix). */
export type LedgerEntry = {
  readonly orderNo: string;
  readonly at: number;
  readonly service: string;
  readonly errorCode: ErrorCode;
  readonly returnCode: string;
  readonly chargedFen: number;
  readonly duplicate: boolean;
  readonly upstreamOrderId: string | null;
  readonly upstreamCode: number | null;
  readonly upstreamMs: number | null;
  readonly fingerprintPrefix: string | null;
  readonly attempts: readonly Attempt[];
  /**
   * The order number of the answer this request repeated or named: a requestId retry's, a
   * duplicate's, a 309's (docs/contract.md §6, §7); null for a request answered on its own.
   */
  readonly replayOf: string | null;
  /**
   * "token", "key" or "token,key": the rotated credentials the request used during their grace
   * (docs/contract.md §9); null when it used the current ones, or none was checked.
   */
  readonly previousCredential: string | null;
};

/**
 * How a reserved request ended; `stored` is set exactly for a billable (200) answer. A reserved
 * request is answered on its own: never a replay.
 */
export type Settlement = Omit<
  LedgerEntry,
  "chargedFen" | "service" | "fingerprintPrefix" | "duplicate" | "replayOf"
> & {
  readonly stored: StoredResult | null;
};

/** The most one credit may add or take, in fen or counts (10^12 fen = 10 billion yuan). */
export const MAX_CREDIT_FEN = 1_000_000_000_000;

export type Credit = {
  readonly service: string;
  readonly balanceFen: number;
  readonly count: number;
  /** Start a balance on an unprepaid account, a count on an unmetered service (never implicit). */
  readonly start?: boolean;
  readonly opening: Opening;
  readonly at: number;
};

export type AccountState = {
  readonly balanceFen: number | null;
  readonly remaining: number | null;
  readonly reserved: number;
};

export type Credited =
  | { readonly ok: true; readonly state: AccountState }
  | { readonly ok: false; readonly error: string };

/** One China day and code from the daily rollups: every request counted, with or without a detail row. */
export type UsageRow = {
  readonly day: string;
  readonly errorCode: string;
  readonly requests: number;
  readonly billable: number;
  readonly chargedFen: number;
};

/** Where a ledger page ended: the next page starts after this row (rows are ordered by time, then order number). */
export type LedgerCursor = { readonly at: number; readonly orderNo: string };

/** What the object holds and what it costs to keep (docs/contract.md §8), for the operator. */
export type StorageState = {
  readonly databaseSize: number;
  readonly rows: {
    readonly ledger: number;
    readonly rollups: number;
    readonly archivedDays: number;
    readonly reservations: number;
    readonly dedup: number;
  };
  /** The oldest China day that still has detail rows; older days are in the archive only. */
  readonly oldestLedgerDay: string | null;
};
