// The juhe sandbox twin (UPSTREAMS=sandbox): it speaks juhe's protocol (docs/contract.md §5) so the
// real client runs unchanged against it, handed this fetcher instead of the network. Deterministic
// answers come from ./identities.ts.
import { ecbDecrypt } from "../crypto/aes.ts";
import { fromBase64, fromUtf8 } from "../crypto/bytes.ts";
import { juheFieldKey } from "../upstream/juhe/crypto.ts";
import type { JuheOptions } from "../upstream/juhe/client.ts";
import { JUHE_ERROR_TEXTS } from "./juhe-error-texts.ts";
import {
  SANDBOX_ERROR_PHONE,
  SANDBOX_FIXED_ANSWERS,
  SANDBOX_PEOPLE,
  SANDBOX_TRANSPORT_FAILURES,
  SANDBOX_UNKNOWN_PHONE_CODE,
} from "./identities.ts";

export const SANDBOX_KEY = "sandbox";
export const SANDBOX_OPENID = "sandbox-openid";

/** The real juhe client's options for the twin: its key and openid, any base URL (nothing is sent). */
export function sandboxJuheOptions(product: JuheOptions["product"], mode: "encrypted" | "plain", timeoutMs: number): JuheOptions {
  return { baseUrl: "https://juhe.sandbox", product, key: SANDBOX_KEY, openid: mode === "encrypted" ? SANDBOX_OPENID : null, timeoutMs };
}

export const sandboxJuheFetcher: typeof fetch = (input, init) => sandboxFetch(new Request(input, init));

/** Longest the "never answers" phone waits for the caller to give up. */
const HANG_CAP_MS = 60_000;

type Fields = { realname: string; idcard: string; mobile: string };
const FIELD_NAMES = ["realname", "idcard", "mobile"] as const;

export async function sandboxFetch(request: Request): Promise<Response> {
  const path = new URL(request.url).pathname;
  const encrypted = path === "/telecomCmcc/queryEncry";
  if (!encrypted && path !== "/telecomCmcc/query") return new Response("Not Found", { status: 404 });
  if (request.method !== "POST") return new Response("Method Not Allowed", { status: 405 });
  const form = new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer()));
  if (form.get("key") !== SANDBOX_KEY) return juheError(10001);
  const fields = encrypted ? await decryptFields(form) : plainFields(form);
  if (!fields) return juheError(227307);
  return answer(fields, form.get("detail") === "1", request.signal);
}

async function answer(fields: Fields, detail: boolean, signal: AbortSignal): Promise<Response> {
  const { realname, idcard, mobile } = fields;
  if (!/^1\d{10}$/.test(mobile)) return juheError(227304);
  if (realname.trim() === "") return juheError(227305);
  if (!/^\d{17}[\dXx]$/.test(idcard)) return juheError(227306);

  const failure = SANDBOX_TRANSPORT_FAILURES[mobile as keyof typeof SANDBOX_TRANSPORT_FAILURES];
  if (failure) return transportFailure(failure, signal);
  const errorPhone = SANDBOX_ERROR_PHONE.exec(mobile);
  if (errorPhone) return juheError(Number(errorPhone[1]));

  const fixed = SANDBOX_FIXED_ANSWERS[mobile as keyof typeof SANDBOX_FIXED_ANSWERS];
  if (fixed) return match(fixed.res, fixed.rescode, detail);
  const person = SANDBOX_PEOPLE.find((p) => p.phone === mobile);
  if (!person) return juheError(SANDBOX_UNKNOWN_PHONE_CODE);
  const nameOk = person.name === realname;
  const idOk = person.idCard === idcard.toUpperCase();
  const rescode = nameOk && idOk ? "11" : idOk ? "21" : nameOk ? "22" : "23";
  return match(nameOk && idOk ? 1 : 2, rescode, detail);
}

type TransportFailure = (typeof SANDBOX_TRANSPORT_FAILURES)[keyof typeof SANDBOX_TRANSPORT_FAILURES];

function transportFailure(failure: TransportFailure, signal: AbortSignal): Promise<Response> {
  switch (failure) {
    case "hang":
      return hang(signal);
    case "http500":
      return Promise.resolve(new Response("Internal Server Error", { status: 500 }));
    case "notJson":
      return Promise.resolve(new Response("<html><body>502 Bad Gateway</body></html>", { headers: { "Content-Type": "text/html" } }));
    case "networkError":
      return Promise.reject(new TypeError("Network connection lost."));
  }
}

const RESMSG: Record<number, string> = { 1: "三要素身份验证一致", 2: "三要素身份验证不一致" };

/** A successful query, shaped like the documented example (inputs masked, never echoed). */
function match(res: number, rescode: string | null, detail: boolean): Response {
  const result = {
    realname: "***",
    mobile: "*****",
    idcard: "*****",
    orderid: orderId(),
    res,
    resmsg: RESMSG[res] ?? "三要素身份验证结果未知",
    ...(detail && rescode !== null ? { rescode } : {}),
  };
  return Response.json({ reason: "查询成功", result, error_code: 0 });
}

function juheError(code: number): Response {
  // 13900000000 asks for error_code 0: a "success" without a result, as a malformed answer.
  const reason = code === 0 ? "查询成功" : (JUHE_ERROR_TEXTS[code] ?? "未知错误");
  return Response.json({ reason, result: null, error_code: code });
}

function orderId(): string {
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  return `J${stamp}${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;
}

/** Never answers: waits for the caller's abort (rejecting like fetch does), at most HANG_CAP_MS. */
function hang(signal: AbortSignal): Promise<Response> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const cap = setTimeout(() => resolve(new Response("Gateway Timeout", { status: 504 })), HANG_CAP_MS);
    signal.addEventListener("abort", () => (clearTimeout(cap), reject(signal.reason)), { once: true });
  });
}

function plainFields(form: URLSearchParams): Fields | null {
  const [realname, idcard, mobile] = FIELD_NAMES.map((name) => form.get(name));
  return realname && idcard && mobile ? { realname, idcard, mobile } : null;
}

/** Undo the client's AES-ECB + base64; null when any field does not decrypt to UTF-8 text. */
async function decryptFields(form: URLSearchParams): Promise<Fields | null> {
  const key = await juheFieldKey(SANDBOX_OPENID);
  const values: string[] = [];
  for (const name of FIELD_NAMES) {
    const cipher = fromBase64(form.get(name) ?? "");
    const plain = cipher && (await ecbDecrypt(key, cipher));
    if (!plain) return null;
    try {
      values.push(fromUtf8.decode(plain));
    } catch {
      return null;
    }
  }
  const [realname = "", idcard = "", mobile = ""] = values;
  return { realname, idcard, mobile };
}
