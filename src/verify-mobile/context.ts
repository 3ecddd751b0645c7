// What the request path shares: one read-only context built once per request, and the facts each
// step returns beside its outcome. Nothing here is written after it is made.
import type { Account } from "../accounts/lookup.ts";
import type { Config } from "../config/config.ts";
import type { Background } from "../platform/background.ts";
import { logEvent } from "../platform/log.ts";
import type { UpstreamCall } from "../upstream/router.ts";
import type { Verified } from "../wire/envelope.ts";
import { fail, type Outcome } from "../wire/outcome.ts";
import type { Params } from "./request/params.ts";

/** Everything a step may read about the request; built once its parameters parse. */
export type RequestContext = {
  readonly env: Env;
  readonly background: Background;
  readonly config: Config;
  readonly params: Params;
  readonly orderNo: string;
  readonly now: number;
  /** The caller's address as Cloudflare saw it (CF-Connecting-IP), for an account's IP allowlist. */
  readonly clientIp: string | null;
};

/**
 * The account a request is checked under, and whether that view is current: `confirmed` resolves
 * false when it was the token entry's copy and the record says otherwise (accounts/lookup.ts).
 * Nothing is sent upstream before it resolves true.
 */
export type AccountView = { readonly account: Account; readonly confirmed: Promise<boolean> };

/** What the path learnt, for the log line, the ledger row and the response headers (route.ts). */
export type Facts = {
  readonly accountId: string | null;
  readonly fingerprint: string | null;
  readonly upstream: UpstreamCall | null;
  /**
   * The account's object records this request itself: its settlement writes the ledger row, or,
   * for a rate-limited request, its rollups count it (docs/contract.md §8): no row from the isolate.
   */
  readonly recordedByObject: boolean;
  /** The answer is about an earlier request: a repeat, a retry, or one still in flight (the ledger's flag). */
  readonly duplicate: boolean;
  /** The order number of the answer repeated or named (docs/contract.md §6): the ledger's link to what the caller saw. */
  readonly replayOf: string | null;
  /** "token", "key" or "token,key": the rotated credentials this request used during their grace (docs/contract.md §9). */
  readonly previousCredential: string | null;
};

/** A request's outcome and what was learnt on the way to it. */
export type Answer = { readonly outcome: Outcome<Verified>; readonly facts: Facts };

const NO_FACTS: Facts = {
  accountId: null,
  fingerprint: null,
  upstream: null,
  recordedByObject: false,
  duplicate: false,
  replayOf: null,
  previousCredential: null,
};

export const answer = (outcome: Outcome<Verified>, facts: Partial<Facts> = {}): Answer => ({
  outcome,
  facts: { ...NO_FACTS, ...facts },
});

/** A fault of ours: logged by name only (an error message may quote input), answered 500. */
export function unhandled(orderNo: string, error: unknown, facts: Partial<Facts> = {}): Answer {
  logEvent("error", "unhandled", { orderNo, error: error instanceof Error ? error.name : typeof error });
  return answer(fail("500"), facts);
}
