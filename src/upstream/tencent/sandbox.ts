// The Tencent sandbox twin (UPSTREAMS=sandbox): it speaks FaceID PhoneVerification's protocol
// (docs/contract.md §5) so the real client, signing included, runs unchanged against it. It checks
// the TC3-HMAC-SHA256 signature with the sandbox secret as Tencent does, and answers `Result`/`Isp`
// from the same world as the juhe twins (src/sandbox/).
import { SANDBOX_ERROR_PHONE } from "../../sandbox/identities.ts";
import { failLikeANetwork, transportFailureOf, verdict } from "../../sandbox/world.ts";
import type { FailureCode } from "../../wire/codes.ts";
import { ISP_NAMES } from "../carrier.ts";
import { juheErrorRow } from "../juhe/codes.ts";
import { networkOf } from "../twin-network.ts";
import type { TencentOptions } from "./client.ts";
import { PHONE_VERIFICATION, TENCENT_SERVICE } from "./client.ts";
import { tc3Authorization } from "./sign.ts";

export const SANDBOX_TENCENT_SECRET = {
  secretId: "AKIDsandbox0123456789abcdef",
  secretKey: "sandbox-tencent-secret-key",
} as const;

/** Any base URL: nothing is sent, the twin's fetcher answers. */
export const SANDBOX_TENCENT_BASE_URL = "https://faceid.sandbox";

/** The real Tencent client's options for the twin: its secret. */
export function sandboxTencentOptions(): TencentOptions {
  return { baseUrl: SANDBOX_TENCENT_BASE_URL, ...SANDBOX_TENCENT_SECRET };
}

export const sandboxTencentFetcher: typeof fetch = (input, init) => sandboxTencentFetch(new Request(input, init));

/** Tencent refuses a request signed more than 5 minutes from its clock (AuthFailure.SignatureExpire). */
const MAX_SKEW_S = 300;

const DESCRIPTIONS: Readonly<Record<string, string>> = {
  "0": "认证通过",
  "-4": "信息不一致",
  "-6": "手机号码不合法",
  "-7": "身份证号码有误",
  "-8": "姓名校验不通过",
  "-9": "没有记录",
  "-11": "验证中心服务繁忙",
};

export async function sandboxTencentFetch(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.pathname !== "/") return new Response("Not Found", { status: 404 });
  if (request.method !== "POST") return new Response("Method Not Allowed", { status: 405 });
  const payload = await request.text();
  const refused = await signatureProblem(request, url.host, payload);
  if (refused) return tencentError(refused);
  if (request.headers.get("X-TC-Action") !== PHONE_VERIFICATION.action) return tencentError("InvalidAction");
  if (request.headers.get("X-TC-Version") !== PHONE_VERIFICATION.version) return tencentError("NoSuchVersion");
  const params = parseParams(payload);
  if (!params) return tencentError("MissingParameter");
  return answer(params, request.signal);
}

/** Tencent's own checks, in its order: credential, clock, signature. Null when the request is signed right. */
async function signatureProblem(request: Request, host: string, payload: string): Promise<string | null> {
  const authorization = request.headers.get("Authorization") ?? "";
  const credential = /Credential=([^/,\s]+)\//.exec(authorization)?.[1];
  if (credential !== SANDBOX_TENCENT_SECRET.secretId) return "AuthFailure.SecretIdNotFound";
  const timestamp = Number(request.headers.get("X-TC-Timestamp"));
  if (!Number.isSafeInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > MAX_SKEW_S)
    return "AuthFailure.SignatureExpire";
  const expected = await tc3Authorization({
    ...SANDBOX_TENCENT_SECRET,
    service: TENCENT_SERVICE,
    host,
    payload,
    timestamp,
    contentType: request.headers.get("Content-Type") ?? "",
  });
  return authorization === expected ? null : "AuthFailure.SignatureFailure";
}

type Params = { readonly phone: string; readonly name: string; readonly idCard: string };

function parseParams(payload: string): Params | null {
  try {
    const { IdCard, Name, Phone } = JSON.parse(payload) as Record<string, unknown>;
    return typeof IdCard === "string" && typeof Name === "string" && typeof Phone === "string"
      ? { phone: Phone, name: Name, idCard: IdCard }
      : null;
  } catch {
    return null;
  }
}

/**
 * For a 13900XXXXXX phone: the Tencent answer that our tables map to the same code as juhe's
 * XXXXXX, so a fault phone reads the same to the caller whichever upstream of the chain answers last.
 */
const SAME_TO_THE_CALLER: Readonly<Partial<Record<FailureCode, { Result: string } | { Error: string }>>> = {
  "308": { Result: "-9" },
  "310": { Result: "-6" },
  "500": { Error: "AuthFailure.SecretIdNotFound" },
  "502": { Error: "RequestLimitExceeded" },
  "503": { Error: "ResourceUnavailable" },
  "504": { Result: "-11" },
};

async function answer({ phone, name, idCard }: Params, signal: AbortSignal): Promise<Response> {
  if (!/^1\d{10}$/.test(phone)) return tencentResult("-6", phone);
  if (name.trim() === "") return tencentResult("-8", phone);
  if (!/^\d{17}[\dXx]$/.test(idCard)) return tencentResult("-7", phone);

  const failure = transportFailureOf(phone);
  if (failure) return failLikeANetwork(failure, signal);
  const errorPhone = SANDBOX_ERROR_PHONE.exec(phone);
  if (errorPhone) {
    const juheCode = Number(errorPhone[1]);
    // error_code 0 without a result is juhe's malformed answer: here, a Response with neither Result nor Error.
    if (juheCode === 0) return Response.json({ Response: { RequestId: crypto.randomUUID() } });
    const same = SAME_TO_THE_CALLER[juheErrorRow(juheCode, "telecom").code] ?? { Result: "-11" };
    return "Result" in same ? tencentResult(same.Result, phone) : tencentError(same.Error);
  }
  const found = verdict(phone, name, idCard);
  // Tencent knows no "unknown" result: anything but a match is -4.
  return tencentResult(found === null ? "-9" : found.res === 1 ? "0" : "-4", phone);
}

function tencentResult(result: string, phone: string): Response {
  const carrier = networkOf(phone);
  return Response.json({
    Response: {
      Result: result,
      Description: DESCRIPTIONS[result] ?? "",
      Isp: carrier === null ? "" : ISP_NAMES[carrier],
      RequestId: crypto.randomUUID(),
    },
  });
}

function tencentError(code: string): Response {
  return Response.json({ Response: { Error: { Code: code, Message: "sandbox" }, RequestId: crypto.randomUUID() } });
}
