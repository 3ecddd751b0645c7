// The juhe sandbox twins (UPSTREAMS=sandbox): they speak juhe's protocol (docs/contract.md §5) for
// both products, `/telecomCmcc/*` (Telecom numbers only) and the three-network `/telecom/*`, so
// the real client runs unchanged against them, handed this fetcher instead of the network.
// Deterministic answers come from the sandbox's world (src/sandbox/).
import { ecbDecrypt } from "../../crypto/aes.ts";
import { fromBase64, fromUtf8 } from "../../crypto/bytes.ts";
import { SANDBOX_ERROR_PHONE, SANDBOX_PRODUCT_FAULTS, SANDBOX_UNKNOWN_PHONE_CODE } from "../../sandbox/identities.ts";
import { failLikeANetwork, orderStamp, transportFailureOf, verdict } from "../../sandbox/world.ts";
import { networkOf } from "../twin-network.ts";
import type { JuheOptions } from "./client.ts";
import type { JuheProduct } from "./codes.ts";
import { juheFieldKey } from "./crypto.ts";
import { JUHE_ERROR_TEXTS } from "./error-texts.ts";

/** Each product has its own key, as a juhe account has one per subscribed product. */
export const SANDBOX_KEYS: Readonly<Record<JuheProduct, string>> = {
  telecomCmcc: "sandbox",
  telecom: "sandbox-telecom",
};
export const SANDBOX_OPENID = "sandbox-openid";
/** Any base URL: nothing is sent, the twin's fetcher answers. */
export const SANDBOX_BASE_URL = "https://juhe.sandbox";

/** The real juhe client's options for a twin: its key and openid. */
export function sandboxJuheOptions(product: JuheProduct, mode: "encrypted" | "plain"): JuheOptions {
  return {
    baseUrl: SANDBOX_BASE_URL,
    product,
    key: SANDBOX_KEYS[product],
    openid: mode === "encrypted" ? SANDBOX_OPENID : null,
  };
}

export const sandboxJuheFetcher: typeof fetch = (input, init) => sandboxJuheFetch(new Request(input, init));

type Fields = { realname: string; idcard: string; mobile: string };
const FIELD_NAMES = ["realname", "idcard", "mobile"] as const;

const PATH = /^\/(telecomCmcc|telecom)\/(query|queryEncry)$/;

export async function sandboxJuheFetch(request: Request): Promise<Response> {
  const path = PATH.exec(new URL(request.url).pathname);
  if (!path) return new Response("Not Found", { status: 404 });
  if (request.method !== "POST") return new Response("Method Not Allowed", { status: 405 });
  const product = path[1] as JuheProduct;
  const form = new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer()));
  if (form.get("key") !== SANDBOX_KEYS[product]) return juheError(10001);
  const fields = path[2] === "queryEncry" ? await decryptFields(form) : plainFields(form);
  if (!fields) return juheError(227307);
  return answer(product, fields, form.get("detail") === "1", request.signal);
}

async function answer(product: JuheProduct, fields: Fields, detail: boolean, signal: AbortSignal): Promise<Response> {
  const { realname, idcard, mobile } = fields;
  if (!/^1\d{10}$/.test(mobile)) return juheError(227304);
  if (realname.trim() === "") return juheError(227305);
  if (!/^\d{17}[\dXx]$/.test(idcard)) return juheError(227306);
  // telecomCmcc knows China Telecom's subscribers only.
  if (product === "telecomCmcc" && networkOf(mobile) !== "CTCC") return juheError(227304);

  const failure = transportFailureOf(mobile);
  if (failure) return failLikeANetwork(failure, signal);
  const errorPhone = SANDBOX_ERROR_PHONE.exec(mobile);
  if (errorPhone) return juheError(Number(errorPhone[1]));
  const productFault = SANDBOX_PRODUCT_FAULTS[mobile]?.[product];
  if (productFault !== undefined) return juheError(productFault);

  const found = verdict(mobile, realname, idcard);
  return found ? match(found.res, found.rescode, detail) : juheError(SANDBOX_UNKNOWN_PHONE_CODE);
}

const RESMSG: Record<number, string> = { 1: "三要素身份验证一致", 2: "三要素身份验证不一致" };

/** A successful query, shaped like the documented example (inputs masked, never echoed). */
function match(res: number, rescode: string | null, detail: boolean): Response {
  const result = {
    realname: "***",
    mobile: "*****",
    idcard: "*****",
    orderid: `J${orderStamp()}`,
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
