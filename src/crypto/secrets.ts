// Keys derived from the one service secret (docs/contract.md §6, §9): one seals account logon keys at
// rest, one keys the duplicate fingerprints. HKDF keeps the two uses apart. Imported once per
// isolate; used by the Worker and by the account command (Node 22 has the same WebCrypto).
import { fromBase64, fromUtf8, toBase64, toHex, utf8 } from "./bytes.ts";

type ServiceKeys = { seal: CryptoKey; fingerprint: CryptoKey };

// Values, not promises: concurrent first requests each derive once, none awaits another's promise.
const derived = new Map<string, ServiceKeys>();

async function deriveKeys(secret: string): Promise<ServiceKeys> {
  const base = await crypto.subtle.importKey("raw", utf8.encode(secret), "HKDF", false, ["deriveKey"]);
  const hkdf = (info: string) => ({ name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: utf8.encode(info) });
  const [seal, fingerprint] = await Promise.all([
    crypto.subtle.deriveKey(hkdf("verify-mobile/seal/v1"), base, { name: "AES-GCM", length: 256 }, false, [
      "encrypt",
      "decrypt",
    ]),
    crypto.subtle.deriveKey(hkdf("verify-mobile/fingerprint/v1"), base, { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
    ]),
  ]);
  return { seal, fingerprint };
}

async function serviceKeys(secret: string): Promise<ServiceKeys> {
  let keys = derived.get(secret);
  if (!keys) {
    keys = await deriveKeys(secret);
    derived.set(secret, keys);
  }
  return keys;
}

const SEAL_PREFIX = "v1.";

/** Seals a logon key under the service secret, bound to its account id (AES-GCM, AAD = id). */
export async function seal(secret: string, accountId: string, plaintext: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const { seal: key } = await serviceKeys(secret);
  const ct = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: utf8.encode(accountId) },
    key,
    utf8.encode(plaintext),
  );
  return `${SEAL_PREFIX}${toBase64(iv)}.${toBase64(new Uint8Array(ct))}`;
}

/** The sealed text's plaintext, or null when it was not sealed by this secret for this account. */
export async function unseal(secret: string, accountId: string, sealed: string): Promise<string | null> {
  const [version, ivText, ctText] = sealed.split(".");
  const iv = ivText === undefined ? null : fromBase64(ivText);
  const ct = ctText === undefined ? null : fromBase64(ctText);
  if (`${version}.` !== SEAL_PREFIX || !iv || iv.length !== 12 || !ct) return null;
  const { seal: key } = await serviceKeys(secret);
  try {
    const pt = await crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData: utf8.encode(accountId) }, key, ct);
    return fromUtf8.decode(pt);
  } catch {
    return null;
  }
}

export async function sha256Hex(text: string): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", utf8.encode(text))));
}

export async function hmacHex(secret: string, text: string): Promise<string> {
  const { fingerprint } = await serviceKeys(secret);
  return toHex(new Uint8Array(await crypto.subtle.sign("HMAC", fingerprint, utf8.encode(text))));
}
