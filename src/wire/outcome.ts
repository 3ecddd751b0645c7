import type { FailureCode, ParamName } from "./codes.ts";

/** A step that failed: the wire code, and an optional short Chinese cause for `errorReason`. */
export type Failure = {
  readonly ok: false;
  readonly code: FailureCode;
  readonly reason?: string;
  /** For `306`: which parameter was missing or malformed. */
  readonly param?: ParamName;
  /** When the caller may try again, for the `Retry-After` header (the rate limit's `502`, an unavailable account's `503`). */
  readonly retryAfterSeconds?: number;
};

export type Outcome<T> = { readonly ok: true; readonly value: T } | Failure;

export const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });

export function fail(code: FailureCode, reason?: string): Failure {
  return reason === undefined ? { ok: false, code } : { ok: false, code, reason };
}

export function badParam(param: ParamName, reason?: string): Failure {
  return { ...fail("306", reason), param };
}

/** A refusal that says when to come back (whole seconds, at least 1). */
export function retryLater(code: FailureCode, reason: string, seconds: number): Failure {
  return { ...fail(code, reason), retryAfterSeconds: Math.max(1, Math.ceil(seconds)) };
}
