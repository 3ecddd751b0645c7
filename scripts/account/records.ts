// Building, changing and describing account records. Pure apart from WebCrypto (which workerd and
// Node 22 both have), so it is tested inside workerd (test/scripts/).
import {
  AccountRecord,
  newAccountId,
  newLogonKey,
  newToken,
  RATE_LIMIT_DEFAULT,
  SERVICE,
  SUBJECT_BUDGET_DEFAULT,
  TokenEntry,
} from "../../src/accounts/record.ts";
import { DEFAULT_CIPHER } from "../../src/crypto/cipher.ts";
import { seal, sha256Hex } from "../../src/crypto/secrets.ts";
import { CliError } from "../lib/errors.ts";
import type { KeyLength, Settings } from "./args.ts";

type Services = AccountRecord["services"];

/** The services map that results from `settings` on top of `current` (null for a new account). */
export function buildServices(current: Services | null, settings: Settings): Services {
  const names = settings.services ?? (current ? Object.keys(current) : [SERVICE]);
  const services: Services = {};
  for (const name of names) {
    const base = current?.[name] ?? { priceFen: 0, remaining: null };
    services[name] = {
      priceFen: settings.priceFen ?? base.priceFen,
      remaining: settings.remaining !== undefined ? settings.remaining : base.remaining,
    };
  }
  return services;
}

/** Parses a record the account command is about to write; a failure here is a bug, not user error. */
function checked(record: AccountRecord): AccountRecord {
  const r = AccountRecord.safeParse(record);
  if (!r.success)
    throw new CliError(
      `refusing to write an invalid record: ${r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  return r.data;
}

export type NewAccount = { record: AccountRecord; token: string; logonKey: string };

export async function buildAccount(opts: {
  settings: Settings;
  keyLength: KeyLength;
  secret: string;
  now: Date;
  id?: string;
  token?: string;
  logonKey?: string;
}): Promise<NewAccount> {
  const { settings } = opts;
  if (settings.name === undefined) throw new CliError("an account needs a name", 2);
  const id = opts.id ?? newAccountId();
  const token = opts.token ?? newToken();
  const logonKey = opts.logonKey ?? newLogonKey(opts.keyLength);
  const at = opts.now.toISOString();
  const record = checked({
    id,
    name: settings.name,
    status: settings.status ?? "active",
    services: buildServices(null, settings),
    contractEnd: settings.contractEnd ?? null,
    duplicatePolicy: settings.duplicatePolicy ?? "reject",
    dedupTtl: settings.dedupTtl ?? 60,
    openingBalanceFen: settings.balanceFen ?? null,
    rateLimit: settings.rateLimit !== undefined ? settings.rateLimit : RATE_LIMIT_DEFAULT,
    subjectBudget: settings.subjectBudget ?? SUBJECT_BUDGET_DEFAULT,
    diagnostics: settings.diagnostics ?? false,
    alertBalanceFen: settings.alertBalanceFen ?? null,
    alertQuota: settings.alertQuota ?? null,
    tokenHash: await sha256Hex(token),
    sealedLogonKey: await seal(opts.secret, id, logonKey),
    ...credentialSettings(null, settings),
    previousToken: null,
    previousLogonKey: null,
    createdAt: at,
    updatedAt: at,
  });
  return { record, token, logonKey };
}

export function applySettings(current: AccountRecord, settings: Settings, now: Date): AccountRecord {
  const defined = <T>(v: T | undefined, old: T) => (v === undefined ? old : v);
  return checked({
    ...current,
    name: defined(settings.name, current.name),
    status: defined(settings.status, current.status),
    services: buildServices(current.services, settings),
    contractEnd: defined(settings.contractEnd, current.contractEnd),
    duplicatePolicy: defined(settings.duplicatePolicy, current.duplicatePolicy),
    dedupTtl: defined(settings.dedupTtl, current.dedupTtl),
    openingBalanceFen: defined(settings.balanceFen, current.openingBalanceFen),
    rateLimit: defined(settings.rateLimit, current.rateLimit),
    subjectBudget: defined(settings.subjectBudget, current.subjectBudget),
    diagnostics: defined(settings.diagnostics, current.diagnostics),
    alertBalanceFen: defined(settings.alertBalanceFen, current.alertBalanceFen),
    alertQuota: defined(settings.alertQuota, current.alertQuota),
    ...credentialSettings(current, settings),
    updatedAt: now.toISOString(),
  });
}

/** The cipher, signature and IP allowlist settings over `current` (defaults for a new account). */
function credentialSettings(current: AccountRecord | null, settings: Settings) {
  return {
    cipher: settings.cipher ?? current?.cipher ?? DEFAULT_CIPHER,
    requireSign: settings.requireSign ?? current?.requireSign ?? false,
    allowIps: settings.allowIps !== undefined ? settings.allowIps : (current?.allowIps ?? null),
  };
}

/** Everything about the account but its secrets, in the order people read it. */
export function summary(record: AccountRecord) {
  return {
    accountId: record.id,
    name: record.name,
    status: record.status,
    services: record.services,
    contractEnd: record.contractEnd,
    duplicatePolicy: record.duplicatePolicy,
    dedupTtl: record.dedupTtl,
    // The opening terms the account's object started from; `state` shows the live balance and counts.
    openingBalanceFen: record.openingBalanceFen,
    rateLimit: record.rateLimit,
    subjectBudget: record.subjectBudget,
    diagnostics: record.diagnostics,
    alertBalanceFen: record.alertBalanceFen,
    alertQuota: record.alertQuota,
    cipher: record.cipher,
    requireSign: record.requireSign,
    allowIps: record.allowIps,
    // A rotation's grace: until when the previous token or key still works (docs/contract.md §9).
    previousTokenUntil: record.previousToken?.until ?? null,
    previousLogonKeyUntil: record.previousLogonKey?.until ?? null,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new CliError(`${what} in KV is not JSON`);
  }
}

/** A stored record, checked; `key` names it in error messages. */
export function parseRecord(text: string, key: string, expectedId?: string): AccountRecord {
  const r = AccountRecord.safeParse(parseJson(text, key));
  if (!r.success) {
    throw new CliError(
      `${key} in KV is not a valid account record (${r.error.issues.map((i) => `${i.path.join(".") || "record"}: ${i.message}`).join("; ")})`,
    );
  }
  if (expectedId !== undefined && r.data.id !== expectedId)
    throw new CliError(`${key} in KV holds the record of ${r.data.id}`);
  return r.data;
}

export function parseTokenEntry(text: string, key: string): { accountId: string } {
  const r = TokenEntry.safeParse(parseJson(text, key));
  if (!r.success) throw new CliError(`${key} in KV is not a valid token entry`);
  return r.data;
}
