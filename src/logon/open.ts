// The logon, opened (docs/contract.md §1, §2): sign check (when the account requires one) →
// decryption by the account's cipher → the logon fields → the one-307 policy. One function, so the
// rules that keep a captured request from being read or altered live in one place.
//
// Every refusal here that depends on decrypted content is either the one fixed 307, counted by
// the account's failure budget, or detail that only an unalterable logon may have: on a CBC
// account without diagnostics or signature, whoever holds a captured request can flip plaintext
// bits through the iv, so a 306/310 naming a field would tell them which flip broke the JSON.
import type { Account, Credential } from "../accounts/lookup.ts";
import { IV_BYTES, isMalleable } from "../crypto/cipher.ts";
import { decryptLogon, failureReason, type LogonKey, type LogonObject } from "../crypto/logon.ts";
import { type Signed, sameBytes, signOf } from "../crypto/sign.ts";
import type { Identity } from "../identity/identity.ts";
import { parseLogonFields } from "../identity/logon-fields.ts";
import { badParam, type Failure, fail, type Outcome } from "../wire/outcome.ts";

/** What openLogon reads of the request: the body parameters as parsed (docs/contract.md §1). */
export type LogonRequest = Signed & {
  /** The logon ciphertext, base64-decoded. */
  readonly logon: Uint8Array;
  /** Lowercase hex HMAC (docs/contract.md §2), null when absent. */
  readonly sign: string | null;
};

export type OpenedLogon = {
  readonly outcome: Outcome<Identity>;
  /** Whether the refusal counts toward the account's decryption-failure budget (docs/contract.md §2). */
  readonly counted: boolean;
  /** Which logonKey opened it (a rotation's grace keeps the previous one), null when none did. */
  readonly key: Credential | null;
};

const SIGN_SHAPE = /^[0-9a-fA-F]{64}$/;
const NOTHING: LogonObject = {};

export async function openLogon(account: Account, request: LogonRequest, now: number): Promise<OpenedLogon> {
  const { record } = account;
  // Input shapes only: nothing here depends on the key or the plaintext.
  if (request.iv.length !== IV_BYTES[record.cipher]) return refused(badParam("iv"));
  if (record.requireSign && request.sign === null) return refused(badParam("sign", "缺少参数"));
  if (record.requireSign && !SIGN_SHAPE.test(request.sign!)) return refused(badParam("sign"));

  const keys = liveKeys(account, now);
  const candidates = record.requireSign ? await signedBy(keys, request) : keys;
  if (candidates.length === 0) return counted(fail("307", failureReason(request.logon, request.logonText)));

  // Every live key is tried, whichever opens it, so the work does not tell which key it was.
  const opened = await Promise.all(
    candidates.map(({ key }) => decryptLogon(key, request.iv, request.logon, request.logonText, record.diagnostics)),
  );
  const index = opened.findIndex((outcome) => outcome.ok);
  const first = opened[index === -1 ? 0 : index]!;
  // The fields are checked on the failure path too (on nothing), so it does the same steps.
  const identity = parseLogonFields(first.ok ? first.value : NOTHING, new Date(now));
  if (!first.ok) return counted(first);
  if (identity.ok) return { outcome: identity, counted: false, key: candidates[index]!.credential };
  // §2: a malleable logon's content refusals are the decryption failure's answer, counted.
  if (isMalleable(record.cipher, record.requireSign) && !record.diagnostics)
    return counted(fail("307", failureReason(request.logon, request.logonText)));
  return refused(identity);
}

type Candidate = { readonly key: LogonKey; readonly credential: Credential };

function liveKeys(account: Account, now: number): Candidate[] {
  const keys: Candidate[] = [{ key: account.logonKey, credential: "current" }];
  const previous = account.previousLogonKey;
  if (previous !== null && now < previous.until) keys.push({ key: previous.key, credential: "previous" });
  return keys;
}

/** The keys whose sign key made `sign`: each compared in constant time, all of them always computed. */
async function signedBy(keys: Candidate[], request: LogonRequest): Promise<Candidate[]> {
  const given = hexBytes(request.sign!);
  const expected = await Promise.all(keys.map(({ key }) => signOf(key.sign, request)));
  const matches = expected.map((bytes) => sameBytes(bytes, given));
  return keys.filter((_, i) => matches[i]);
}

function hexBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

const refused = (failure: Failure): OpenedLogon => ({ outcome: failure, counted: false, key: null });
const counted = (failure: Failure): OpenedLogon => ({ outcome: failure, counted: true, key: null });
