import { hmacHex } from "../crypto/secrets.ts";
import type { Identity } from "../identity/identity.ts";

/**
 * The duplicate key (CONTRACT.md §5): an HMAC under the service secret of the account and the
 * normalised identity, so KV never sees the plain values and they cannot be brute-forced
 * without the secret.
 */
export async function fingerprint(secret: string, accountId: string, identity: Identity): Promise<string> {
  return hmacHex(secret, [accountId, identity.idCard, identity.userName, identity.loginphone].join("\n"));
}

export const duplicateKey = (accountId: string, fp: string) => `dup:${accountId}:${fp}`;
