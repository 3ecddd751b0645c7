// The account record as stored in the ACCOUNTS namespace, shared by the Worker and the account
// command. KV holds no usable secret (docs/contract.md §9): the token only as its SHA-256, the logon
// key only sealed under the service secret.
import * as z from "zod/mini";
import { randomBase64Url } from "../crypto/bytes.ts";
import { CIPHERS, DEFAULT_CIPHER } from "../crypto/cipher.ts";
import { MAX_ALLOWED_NETWORKS, parseCidr } from "./allow-ip.ts";

export const SERVICE = "verifyMobile";

export const STATUSES = ["active", "frozen", "offline"] as const;
export const DUPLICATE_POLICIES = ["reject", "replay"] as const;

/** KV's minimum expirationTtl and a day (docs/contract.md §6). */
export const DEDUP_TTL_MIN = 60;
export const DEDUP_TTL_MAX = 86_400;

const ServiceTerms = z.object({
  /** Price of one billable answer, in fen. */
  priceFen: z.int().check(z.minimum(0)),
  /** Answers left; null means unmetered. */
  remaining: z.nullable(z.int().check(z.minimum(0))),
});

/** Per-account limits (docs/contract.md §8): requests per second over 10 s, different identities per element per 24 h. */
export const RATE_LIMIT_DEFAULT = 50;
export const SUBJECT_BUDGET_DEFAULT = 10;

/** The largest alert threshold (10^12, as a credit's bound). */
export const ALERT_THRESHOLD_MAX = 1_000_000_000_000;

const TokenHash = z.string().check(z.regex(/^[0-9a-f]{64}$/));
const SealedKey = z.string().check(z.minLength(1));

const Fields = z.object({
  id: z.string().check(z.regex(/^acc_[0-9a-f]{16}$/)),
  name: z.string().check(z.minLength(1), z.maxLength(100)),
  status: z.enum(STATUSES),
  /** Services this account may call, with their terms; `{}` means no services at all (311). */
  services: z.record(z.string().check(z.minLength(1)), ServiceTerms),
  /** Last day of the contract (inclusive, China time), or null for open-ended. */
  contractEnd: z.nullable(z.iso.date()),
  duplicatePolicy: z.enum(DUPLICATE_POLICIES),
  dedupTtl: z.int().check(z.minimum(DEDUP_TTL_MIN), z.maximum(DEDUP_TTL_MAX)),
  /** The prepaid balance the account's object opens with, in fen; null for an account that is not prepaid. */
  openingBalanceFen: z.nullable(z.int()),
  /** Requests per second (averaged over 10 s) before 502; null for no limit. */
  rateLimit: z._default(z.nullable(z.int().check(z.minimum(1), z.maximum(10_000))), RATE_LIMIT_DEFAULT),
  /** Different identities one phone or one ID number may be checked against per 24 h before 309. */
  subjectBudget: z._default(z.int().check(z.minimum(1), z.maximum(10_000)), SUBJECT_BUDGET_DEFAULT),
  /** Decryption diagnosis beyond the input's shape (wrong key length, wrong iv); off by default (§2). */
  diagnostics: z._default(z.boolean(), false),
  /** Alerts (docs/contract.md §11): balance.low at or below this many fen; null for none. */
  alertBalanceFen: z._default(z.nullable(z.int().check(z.minimum(0), z.maximum(ALERT_THRESHOLD_MAX))), null),
  /** Alerts (docs/contract.md §11): quota.low at or below this many answers left; null for none. */
  alertQuota: z._default(z.nullable(z.int().check(z.minimum(0), z.maximum(ALERT_THRESHOLD_MAX))), null),
  tokenHash: TokenHash,
  /** The logon key, sealed (see crypto/secrets.ts). */
  sealedLogonKey: SealedKey,
  /** How the caller encrypts its logon (docs/contract.md §1); aes-cbc is 驭信's. */
  cipher: z._default(z.enum(CIPHERS), DEFAULT_CIPHER),
  /** Every request must carry a `sign` over token, iv, logon and requestId (docs/contract.md §2). */
  requireSign: z._default(z.boolean(), false),
  /** Networks (CIDR) a request may come from, by CF-Connecting-IP; null for anywhere (docs/contract.md §4). */
  allowIps: z._default(
    z.nullable(
      z
        .array(z.string().check(z.refine((cidr) => parseCidr(cidr) !== null)))
        .check(z.minLength(1), z.maxLength(MAX_ALLOWED_NETWORKS)),
    ),
    null,
  ),
  /** The token a rotation replaced, honoured until `until` (docs/contract.md §9). */
  previousToken: z._default(z.nullable(z.object({ tokenHash: TokenHash, until: z.iso.datetime() })), null),
  /** The logon key a rotation replaced, honoured until `until` (docs/contract.md §9). */
  previousLogonKey: z._default(z.nullable(z.object({ sealedLogonKey: SealedKey, until: z.iso.datetime() })), null),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

// Records written before the opening balance had its name call it `balanceFen`.
const renamed = (raw: unknown) =>
  raw !== null && typeof raw === "object" && "balanceFen" in raw && !("openingBalanceFen" in raw)
    ? (({ balanceFen, ...rest }: Record<string, unknown>) => ({ ...rest, openingBalanceFen: balanceFen }))(
        raw as Record<string, unknown>,
      )
    : raw;

export const AccountRecord = z.pipe(z.transform(renamed), Fields);
export type AccountRecord = z.infer<typeof Fields>;

/**
 * What `token:<sha256>` holds: the account id and a copy of the account record, so one KV read
 * yields the account (docs/contract.md §9). `account:<id>` stays the source of truth: the Worker
 * checks the copy against it off the serial path. Entries written before the copy have the id only.
 */
export const ACCOUNT_ID = Fields.shape.id;
export const TokenEntry = z.object({ accountId: ACCOUNT_ID, record: z.optional(z.unknown()) });

/** The token entry the account command writes with every change of the record. */
export const tokenEntry = (record: AccountRecord) => ({ accountId: record.id, record });

export const tokenKey = (tokenHash: string) => `token:${tokenHash}`;
export const accountKey = (accountId: string) => `account:${accountId}`;

/** Tokens we issue; anything else is refused before a KV read. */
export const TOKEN_SHAPE = /^vmt_[A-Za-z0-9_-]{32}$/;

export const newToken = () => `vmt_${randomBase64Url(24)}`;

export const newAccountId = () =>
  `acc_${Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, "0")).join("")}`;

const KEY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

/** Whether a credential a rotation replaced is still honoured at `now` (its grace, docs/contract.md §9). */
export const inGrace = (previous: { readonly until: string } | null, now: number): boolean =>
  previous !== null && now < Date.parse(previous.until);

/** A logon key of 16 (AES-128, SM4) or 32 (AES-256) ASCII characters; unbiased rejection sampling. */
export function newLogonKey(length: 16 | 32): string {
  let key = "";
  while (key.length < length) {
    for (const b of crypto.getRandomValues(new Uint8Array(length))) {
      if (b < 256 - (256 % KEY_ALPHABET.length) && key.length < length) key += KEY_ALPHABET[b % KEY_ALPHABET.length];
    }
  }
  return key;
}
