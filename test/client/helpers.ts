// Helpers for the client's tests in workerd (client.test.ts, retries.test.ts): the client's fetch
// routes every request into the Worker's own fetch handler, with real accounts in KV and the
// built-in sandbox upstream.
import { exports } from "cloudflare:workers";
import {
  type ClientOptions,
  createClient,
  type FetchLike,
  type Identity,
  VerifyMobileError,
} from "../../client/index.ts";
import { cbcDecrypt, importAesCbcKey } from "../../src/crypto/aes.ts";
import { fromBase64, fromUtf8, utf8 } from "../../src/crypto/bytes.ts";
import { SANDBOX_PEOPLE } from "../../src/sandbox/identities.ts";
import type { TestAccount } from "../support/caller.ts";

export const BASE_URL = "http://gateway.test";
export const [zhang, li] = SANDBOX_PEOPLE;
export const ZHANG: Identity = { idCard: zhang.idCard, userName: zhang.name, loginphone: zhang.phone };
export const LI: Identity = { idCard: li.idCard, userName: li.name, loginphone: li.phone };
export const phone = (loginphone: string): Identity => ({ ...ZHANG, loginphone });

export const toWorker: FetchLike = (url, init) => exports.default.fetch(new Request(url, init));

/** A fetch that records each request's form fields and each answer's X-Order-No. */
export function recording(inner: FetchLike = toWorker) {
  const sent: URLSearchParams[] = [];
  const orderNos: (string | null)[] = [];
  const fetch: FetchLike = async (url, init) => {
    sent.push(new URLSearchParams(String(init.body)));
    const response = await inner(url, init);
    orderNos.push(response.headers.get("X-Order-No"));
    return response;
  };
  return { fetch, sent, orderNos };
}

export const clientFor = (account: TestAccount, options: Partial<ClientOptions> = {}) =>
  createClient({ baseUrl: BASE_URL, token: account.token, logonKey: account.logonKey, fetch: toWorker, ...options });
/** Retries off: one request per call, for the tests of what a single answer becomes. */
export const onceFor = (account: TestAccount, options: Partial<ClientOptions> = {}) =>
  clientFor(account, { retries: 0, ...options });

/** The error a verify() ended with, as plain fields. */
export async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof VerifyMobileError)) throw error;
    const { family, code, detail, reason, orderNo, attempts } = error;
    return { family, code, detail, reason, orderNo, attempts };
  }
  throw new Error("verify() resolved");
}

export const envelope503 = () =>
  new Response(
    JSON.stringify({
      errorCode: "503",
      errorDetail: "接口未响应",
      errorReason: null,
      info: null,
      returnCode: "0",
      returnDesc: null,
    }),
    {
      headers: { "Content-Type": "application/json; charset=utf-8", "X-Order-No": "VM20261126000000000aaaaaaaaaaaa" },
    },
  );

export async function decryptSent(account: TestAccount, fields: URLSearchParams): Promise<unknown> {
  const key = await importAesCbcKey(utf8.encode(account.logonKey));
  const plain = await cbcDecrypt(key, utf8.encode(fields.get("iv")!), fromBase64(fields.get("logon")!)!);
  return JSON.parse(fromUtf8.decode(plain!));
}
