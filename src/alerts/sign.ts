// The webhook signature (docs/contract.md §11), as Stripe signs its webhooks:
// `X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. The timestamp is
// signed with the body, so a receiver that refuses an old `t` refuses a replayed delivery.
import { utf8 } from "../crypto/bytes.ts";

export const SIGNATURE_HEADER = "X-Signature";
/** How old a signature a receiver should accept (docs/contract.md §11): Stripe's default too. */
export const REPLAY_WINDOW_SECONDS = 300;

async function hmacHex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", utf8.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, utf8.encode(message)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function signature(secret: string, body: string, seconds: number): Promise<string> {
  return `t=${seconds},v1=${await hmacHex(secret, `${seconds}.${body}`)}`;
}

/**
 * What a receiver does (the examples in docs/operations.md do the same): parse the header, refuse
 * a `t` outside the window either way, compare the HMAC in constant time.
 */
export async function verifySignature(
  secret: string,
  header: string | null,
  body: string,
  nowSeconds: number,
  windowSeconds = REPLAY_WINDOW_SECONDS,
): Promise<boolean> {
  const parts = new Map(
    (header ?? "").split(",").map((part) => {
      const at = part.indexOf("=");
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const t = parts.get("t") ?? "";
  const given = parts.get("v1") ?? "";
  if (!/^\d{1,12}$/.test(t) || !/^[0-9a-f]{64}$/.test(given)) return false;
  if (Math.abs(nowSeconds - Number(t)) > windowSeconds) return false;
  const expected = await hmacHex(secret, `${t}.${body}`);
  return crypto.subtle.timingSafeEqual(utf8.encode(expected), utf8.encode(given));
}
