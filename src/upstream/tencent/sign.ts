// Tencent Cloud API v3 signing (TC3-HMAC-SHA256) on WebCrypto alone, so it runs in workerd.
// Spec: 签名方法 v3, https://cloud.tencent.com/document/api/213/30654. Cross-checked against
// Tencent's own Node signer in test/upstream/tencent/sign.node.test.ts.

/** The only body type we send: also the exact `content-type` line that gets signed. */
export const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

const ALGORITHM = "TC3-HMAC-SHA256";
// Tencent requires at least content-type and host; signing exactly these keeps the request minimal.
const SIGNED_HEADERS = "content-type;host";

export type Tc3Input = {
  readonly secretId: string;
  readonly secretKey: string;
  /** The product, e.g. "faceid": the first label of the host. */
  readonly service: string;
  readonly host: string;
  /** The exact body bytes (as UTF-8) that will be sent. */
  readonly payload: string;
  /** Unix time in whole seconds; also decides the UTC date in the credential scope. */
  readonly timestamp: number;
  readonly contentType?: string;
};

/** The full `Authorization` header value for a POST to `/` with no query string. */
export async function tc3Authorization(input: Tc3Input): Promise<string> {
  const { secretId, secretKey, service, host, payload, timestamp } = input;
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new RangeError("timestamp must be whole seconds");
  const contentType = input.contentType ?? JSON_CONTENT_TYPE;
  const date = utcDate(timestamp);
  const scope = `${date}/${service}/tc3_request`;

  // Header values are lowercased and trimmed in the canonical form (spec step 1).
  const canonicalHeaders = `content-type:${contentType.trim().toLowerCase()}\nhost:${host.trim().toLowerCase()}\n`;
  const canonicalRequest = ["POST", "/", "", canonicalHeaders, SIGNED_HEADERS, await sha256Hex(payload)].join("\n");
  const stringToSign = [ALGORITHM, String(timestamp), scope, await sha256Hex(canonicalRequest)].join("\n");

  const kDate = await hmac(utf8.encode(`TC3${secretKey}`), date);
  const kService = await hmac(kDate, service);
  const kSigning = await hmac(kService, "tc3_request");
  const signature = toHex(await hmac(kSigning, stringToSign));

  return `${ALGORITHM} Credential=${secretId}/${scope}, SignedHeaders=${SIGNED_HEADERS}, Signature=${signature}`;
}

export type TencentCall = Omit<Tc3Input, "contentType"> & {
  /** The API name, e.g. "PhoneVerification". */
  readonly action: string;
  /** The API version, e.g. "2018-03-01". */
  readonly version: string;
  /** Left out when undefined: some APIs (PhoneVerification among them) take no region. */
  readonly region?: string;
};

/** Every header a signed POST JSON call needs; the body must be exactly `call.payload`. */
export async function tencentHeaders(call: TencentCall): Promise<Record<string, string>> {
  const headers: Record<string, string> = {
    Authorization: await tc3Authorization({ ...call, contentType: JSON_CONTENT_TYPE }),
    "Content-Type": JSON_CONTENT_TYPE,
    Host: call.host,
    "X-TC-Action": call.action,
    "X-TC-Timestamp": String(call.timestamp),
    "X-TC-Version": call.version,
  };
  if (call.region !== undefined) headers["X-TC-Region"] = call.region;
  return headers;
}

const utf8 = new TextEncoder();

/** YYYY-MM-DD in UTC: Tencent checks the scope date against the timestamp in UTC, not local time. */
function utcDate(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

async function sha256Hex(text: string): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", utf8.encode(text))));
}

// A fresh key per step: each key in the chain is derived from the previous step's output.
async function hmac(key: Uint8Array, message: string): Promise<Uint8Array> {
  const cryptoKey = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, utf8.encode(message)));
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
