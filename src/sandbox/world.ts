// What every sandbox twin knows alike: who is registered, and how a broken network behaves. Each
// vendor's twin (src/upstream/<name>/sandbox.ts) turns this into its own protocol. This folder
// imports nothing from src/upstream/: the twins build on it.
import {
  SANDBOX_FIXED_ANSWERS,
  SANDBOX_PEOPLE,
  SANDBOX_TRANSPORT_FAILURES,
  type SandboxTransportFailure,
} from "./identities.ts";

/** A carrier's record check in juhe's terms: res 1 match, 2 mismatch (rescode says which), 3 unknown; null: no record. */
export type Verdict = { readonly res: 1 | 2 | 3; readonly rescode: string | null };

export function verdict(phone: string, name: string, idCard: string): Verdict | null {
  const fixed = own(SANDBOX_FIXED_ANSWERS, phone);
  if (fixed) return fixed;
  const person = SANDBOX_PEOPLE.find((p) => p.phone === phone);
  if (!person) return null;
  const nameOk = person.name === name;
  const idOk = person.idCard === idCard.toUpperCase();
  return { res: nameOk && idOk ? 1 : 2, rescode: nameOk && idOk ? "11" : idOk ? "21" : nameOk ? "22" : "23" };
}

export function transportFailureOf(phone: string): SandboxTransportFailure | undefined {
  return own(SANDBOX_TRANSPORT_FAILURES, phone);
}

/** Longest the "never answers" phone waits for the caller to give up. */
const HANG_CAP_MS = 60_000;

export function failLikeANetwork(failure: SandboxTransportFailure, signal: AbortSignal): Promise<Response> {
  switch (failure) {
    case "hang":
      return hang(signal);
    case "http500":
      return Promise.resolve(new Response("Internal Server Error", { status: 500 }));
    case "notJson":
      return Promise.resolve(
        new Response("<html><body>502 Bad Gateway</body></html>", { headers: { "Content-Type": "text/html" } }),
      );
    case "networkError":
      return Promise.reject(new TypeError("Network connection lost."));
    default:
      return failure satisfies never;
  }
}

/** Never answers: waits for the caller's abort (rejecting like fetch does), at most HANG_CAP_MS. */
function hang(signal: AbortSignal): Promise<Response> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const cap = setTimeout(() => resolve(new Response("Gateway Timeout", { status: 504 })), HANG_CAP_MS);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(cap);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

export function orderStamp(): string {
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  return `${stamp}${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;
}

// Own keys only, so a phone like "constructor" never finds Object.prototype's.
function own<T extends object>(table: T, key: string): T[keyof T] | undefined {
  return Object.hasOwn(table, key) ? table[key as keyof T] : undefined;
}
