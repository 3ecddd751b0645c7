// The account record as stored in the ACCOUNTS namespace, shared by the Worker and the account
// command. KV holds no usable secret (CONTRACT.md §7): the token only as its SHA-256, the logon
// key only sealed under the service secret.
import * as z from "zod/mini";
import { randomBase64Url } from "../crypto/bytes.ts";

export const SERVICE = "verifyMobile";

export const STATUSES = ["active", "frozen", "offline"] as const;
export const DUPLICATE_POLICIES = ["reject", "replay"] as const;

/** KV's minimum expirationTtl and a day (CONTRACT.md §5). */
export const DEDUP_TTL_MIN = 60;
export const DEDUP_TTL_MAX = 86_400;

const ServiceTerms = z.object({
  /** Price of one billable answer, in fen. */
  priceFen: z.int().check(z.minimum(0)),
  /** Answers left; null means unmetered. */
  remaining: z.nullable(z.int().check(z.minimum(0))),
});

export const AccountRecord = z.object({
  id: z.string().check(z.regex(/^acc_[0-9a-f]{16}$/)),
  name: z.string().check(z.minLength(1), z.maxLength(100)),
  status: z.enum(STATUSES),
  /** Services this account may call, with their terms; `{}` means no services at all (311). */
  services: z.record(z.string().check(z.minLength(1)), ServiceTerms),
  /** Last day of the contract (inclusive, China time), or null for open-ended. */
  contractEnd: z.nullable(z.iso.date()),
  duplicatePolicy: z.enum(DUPLICATE_POLICIES),
  dedupTtl: z.int().check(z.minimum(DEDUP_TTL_MIN), z.maximum(DEDUP_TTL_MAX)),
  /** Prepaid balance in fen; null for an account that is not prepaid. */
  balanceFen: z.nullable(z.int()),
  tokenHash: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  /** The logon key, sealed (see crypto/secrets.ts). */
  sealedLogonKey: z.string().check(z.minLength(1)),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export type AccountRecord = z.infer<typeof AccountRecord>;

/** What the token entry points at. */
export const TokenEntry = z.object({ accountId: AccountRecord.shape.id });

export const tokenKey = (tokenHash: string) => `token:${tokenHash}`;
export const accountKey = (accountId: string) => `account:${accountId}`;

/** Tokens we issue; anything else is refused before a KV read. */
export const TOKEN_SHAPE = /^vmt_[A-Za-z0-9_-]{32}$/;

export const newToken = () => `vmt_${randomBase64Url(24)}`;

export const newAccountId = () =>
  `acc_${Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, "0")).join("")}`;

const KEY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

/** A logon key of 16 (AES-128) or 32 (AES-256) ASCII characters; unbiased rejection sampling. */
export function newLogonKey(length: 16 | 32): string {
  let key = "";
  while (key.length < length) {
    for (const b of crypto.getRandomValues(new Uint8Array(length))) {
      if (b < 256 - (256 % KEY_ALPHABET.length) && key.length < length) key += KEY_ALPHABET[b % KEY_ALPHABET.length];
    }
  }
  return key;
}
