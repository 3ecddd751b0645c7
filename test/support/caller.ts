// A caller of the API for tests: real accounts in the test's KV, real AES-CBC logon, requests
// through the Worker's own fetch handler.

import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { buildAccount } from "../../scripts/account/records.ts";
import { AccountRecord, accountKey, tokenEntry, tokenKey } from "../../src/accounts/record.ts";
import { cbcEncrypt, importAesCbcKey } from "../../src/crypto/aes.ts";
import { toBase64, utf8 } from "../../src/crypto/bytes.ts";
import app from "../../src/index.ts";
import { isolateCaches } from "../../src/platform/bounded-cache.ts";
import type { Envelope } from "../../src/wire/envelope.ts";
import { encryptAs, signAs } from "./logon-ciphers.ts";

export const TEST_SECRET = "test-service-secret-0123456789abcdef";
export const API = "http://gateway.test/api/personalInfo/verifyMobile";
export const IV = "0123456789abcdef";

export type TestAccount = { record: AccountRecord; token: string; logonKey: string };

/**
 * Writes an active verifyMobile account to the test's KV (built as the account command builds it,
 * the token entry with its copy of the record), with any field overridden.
 */
export async function createAccount(
  overrides: Partial<AccountRecord> = {},
  keyLength: 16 | 32 = 16,
): Promise<TestAccount> {
  const built = await buildAccount({
    settings: { name: "Test", cipher: overrides.cipher },
    keyLength,
    secret: TEST_SECRET,
    now: new Date(),
    id: overrides.id,
  });
  const record = AccountRecord.parse({ ...built.record, ...overrides });
  await writeAccount(record);
  return { record, token: built.token, logonKey: built.logonKey };
}

/** Writes (or rewrites) an account record and its token entry, as the account command does on every change. */
export async function writeAccount(record: AccountRecord): Promise<void> {
  await env.ACCOUNTS.put(tokenKey(record.tokenHash), JSON.stringify(tokenEntry(record)));
  await env.ACCOUNTS.put(accountKey(record.id), JSON.stringify(record));
}

/** Forgets what the isolate caches, as a fresh isolate would. */
export function freshIsolate(): void {
  for (const cache of isolateCaches) cache.clear();
}

export async function encryptLogon(key: string, payload: unknown, iv = IV): Promise<string> {
  const aes = await importAesCbcKey(utf8.encode(key));
  const text = typeof payload === "string" ? payload : JSON.stringify(payload);
  return toBase64(await cbcEncrypt(aes, utf8.encode(iv), utf8.encode(text)));
}

export type Sent = { response: Response; envelope: Envelope };

export async function send(body: BodyInit | null, contentType: string | null, init: RequestInit = {}): Promise<Sent> {
  const headers = new Headers(init.headers);
  if (contentType) headers.set("Content-Type", contentType);
  const response = await exports.default.fetch(new Request(API, { method: "POST", ...init, headers, body }));
  return { response, envelope: (await response.clone().json()) as Envelope };
}

export const sendForm = (fields: Record<string, string>) =>
  send(new URLSearchParams(fields).toString(), "application/x-www-form-urlencoded");

export const sendJson = (fields: unknown) => send(JSON.stringify(fields), "application/json");

/** A complete, valid request for `account` about `identity`, in the account's cipher, signed when it asks. */
export async function verify(account: TestAccount, identity: unknown, iv = ivFor(account)): Promise<Sent> {
  return sendForm(await callerBody(account, identity, iv));
}

/** The iv a caller of `account` sends: 16 characters, or 12 for aes-gcm (docs/contract.md §1). */
export const ivFor = (account: TestAccount) => (account.record.cipher === "aes-gcm" ? IV.slice(0, 12) : IV);

/** The body fields a caller of `account` sends about `payload` (docs/contract.md §1, §2). */
export async function callerBody(
  account: TestAccount,
  payload: unknown,
  iv = ivFor(account),
  requestId?: string,
): Promise<Record<string, string>> {
  const { cipher, requireSign } = account.record;
  const text = typeof payload === "string" ? payload : JSON.stringify(payload);
  const logon = await encryptAs(cipher, account.logonKey, iv, text);
  const fields = { token: account.token, iv, logon, ...(requestId === undefined ? {} : { requestId }) };
  return requireSign ? { ...fields, sign: await signAs(cipher, account.logonKey, fields) } : fields;
}

/** The JSON body of a request for `account` about `payload`, its logon encrypted under `key`. */
export async function logonBody(
  account: TestAccount,
  payload: unknown,
  key = account.logonKey,
): Promise<Record<string, string>> {
  return { token: account.token, iv: IV, logon: await encryptLogon(key, payload) };
}

/**
 * Posts a JSON body through the app with `vars` over the test's bindings and its own execution
 * context, and answers once everything the request left in the background (settlement, ledger) ran.
 */
export async function sendSettled(
  body: string,
  vars: Record<string, string> = {},
  headers: Record<string, string> = {},
): Promise<Response> {
  const ctx = createExecutionContext();
  const request = new Request(API, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body,
  });
  const response = await app.fetch(request, { ...env, ...vars }, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}
