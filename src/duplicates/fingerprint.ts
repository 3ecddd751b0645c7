import { hmacHex } from "../crypto/secrets.ts";
import type { Identity } from "../identity/identity.ts";

/**
 * The duplicate key (docs/contract.md §6): an HMAC under the service secret of the account and the
 * normalised identity, so KV never sees the plain values and they cannot be brute-forced
 * without the secret.
 */
export async function fingerprint(secret: string, accountId: string, identity: Identity): Promise<string> {
  return hmacHex(secret, [accountId, identity.idCard, identity.userName, identity.loginphone].join("\n"));
}

export const duplicateKey = (accountId: string, fp: string) => `dup:${accountId}:${fp}`;

/** HMACs (under the service secret) of the request's phone and ID number: never the plain values. */
export type Subjects = { readonly phone: string; readonly idCard: string };

/**
 * The per-person budgets' keys (docs/contract.md §8): the phone and the ID number alone, each an
 * HMAC under the same key as the fingerprint, told apart from it and from each other by a label.
 * Different (name, ID) pairs of one phone are then different fingerprints under one phone key.
 */
export async function subjectKeys(secret: string, accountId: string, identity: Identity): Promise<Subjects> {
  const [phone, idCard] = await Promise.all([
    hmacHex(secret, ["subject:phone", accountId, identity.loginphone].join("\n")),
    hmacHex(secret, ["subject:idCard", accountId, identity.idCard].join("\n")),
  ]);
  return { phone, idCard };
}

/** The key under which the account's object remembers a caller's requestId (docs/contract.md §6). */
export const requestKey = (secret: string, accountId: string, requestId: string) =>
  hmacHex(secret, ["requestId", accountId, requestId].join("\n"));
