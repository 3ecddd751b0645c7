// The WebCrypto TC3 signer against Tencent's own Node signer (tencentcloud-sdk-nodejs-common's
// `Sign.sign3`, the one its HttpConnection uses): the Authorization strings must be identical.
/// <reference types="node" />
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { JSON_CONTENT_TYPE, tc3Authorization, tencentHeaders } from "../../../src/upstream/tencent/sign.ts";

type Sign3 = (args: {
  method: string;
  url: string;
  payload: unknown;
  timestamp: number;
  service: string;
  secretId: string;
  secretKey: string;
  multipart: boolean;
  boundary: string | undefined;
  headers: Record<string, string>;
}) => string;

// The SDK is CommonJS (its `es/` build is not marked as ESM), with the class on `exports.default`.
const require = createRequire(import.meta.url);
const { default: Sign } = require("tencentcloud-sdk-nodejs-common/tencentcloud/common/sign.js") as {
  default: { sign3: Sign3 };
};

type Case = { secretId: string; secretKey: string; service: string; host: string; timestamp: number; payload: string };

/** What the SDK signs for a JSON POST to https://host/ whose body is exactly `payload`. */
function sdkAuthorization(c: Case): string {
  return Sign.sign3({
    method: "POST",
    url: `https://${c.host}/`,
    payload: Buffer.from(c.payload, "utf8"), // a Buffer is hashed as is, not re-serialised
    timestamp: c.timestamp,
    service: c.service,
    secretId: c.secretId,
    secretKey: c.secretKey,
    multipart: false,
    boundary: undefined,
    headers: { "Content-Type": JSON_CONTENT_TYPE },
  });
}

const SECRETS = [
  { secretId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", secretKey: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE" },
  { secretId: "AKID0000000000000000000000000000", secretKey: "0000000000000000000000000000000000" },
  { secretId: "AKID-short", secretKey: "k" }, // a short key: HMAC pads it, no special case
];

const TIMESTAMPS = [
  1551113065, // 2019-02-25T16:44:25Z, the date of Tencent's own worked example
  1700006399, // 2023-11-14T23:59:59Z, last second of a UTC day
  1700006400, // 2023-11-15T00:00:00Z, first second of the next: the scope date must change
  1699977600, // 2023-11-14T16:00:00Z, already 11-15 in Beijing: the date must stay UTC
  1735689599, // 2024-12-31T23:59:59Z, a year boundary
  1709251200, // 2024-03-01T00:00:00Z, the day after a leap day
];

const PAYLOADS = [
  `{"IdCard":"110101199003071233","Name":"张三","Phone":"13800138000"}`,
  `{"IdCard":"11204416541220243X","Name":"韦小宝","Phone":"16137688175","VerifyMode":"1"}`,
  `{"IdCard":"110101199003071233","Name":"阿卜杜·艾力𠀋","Phone":"19200000000"}`, // a name with a non-BMP character
  `{"Name":"\\u5f20\\u4e09"}`, // escaped in JSON: the bytes signed are the escapes, not 张三
  "{}",
  "",
];

const HOSTS = [
  { service: "faceid", host: "faceid.tencentcloudapi.com" },
  { service: "faceid", host: "faceid.ap-guangzhou.tencentcloudapi.com" },
  { service: "cvm", host: "cvm.tencentcloudapi.com" },
];

const cases: Case[] = SECRETS.flatMap((secret) =>
  TIMESTAMPS.flatMap((timestamp) =>
    PAYLOADS.flatMap((payload) => HOSTS.map((h) => ({ ...secret, ...h, timestamp, payload }))),
  ),
);

describe("tc3Authorization matches tencentcloud-sdk-nodejs-common Sign.sign3", () => {
  it(`${cases.length} combinations of secret, timestamp, payload and host`, async () => {
    for (const c of cases) {
      expect(await tc3Authorization(c), JSON.stringify(c)).toBe(sdkAuthorization(c));
    }
  });

  it.each(TIMESTAMPS)("timestamp %i: scope date is the UTC date", async (timestamp) => {
    const c = { ...SECRETS[0]!, ...HOSTS[0]!, timestamp, payload: PAYLOADS[0]! };
    const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
    const auth = await tc3Authorization(c);
    expect(auth).toBe(sdkAuthorization(c));
    expect(auth).toContain(
      `Credential=${c.secretId}/${date}/faceid/tc3_request, SignedHeaders=content-type;host, Signature=`,
    );
  });

  it("both sides of UTC midnight sign under different dates", async () => {
    const base = { ...SECRETS[0]!, ...HOSTS[0]!, payload: PAYLOADS[0]! };
    const before = await tc3Authorization({ ...base, timestamp: 1700006399 });
    const after = await tc3Authorization({ ...base, timestamp: 1700006400 });
    expect(before).toContain("/2023-11-14/faceid/tc3_request");
    expect(after).toContain("/2023-11-15/faceid/tc3_request");
  });

  it("a payload the SDK serialises itself (an object) signs the same as our JSON.stringify", async () => {
    const body = { IdCard: "110101199003071233", Name: "张三", Phone: "13800138000" };
    const c = { ...SECRETS[0]!, ...HOSTS[0]!, timestamp: 1700006400, payload: JSON.stringify(body) };
    const sdk = Sign.sign3({
      method: "POST",
      url: `https://${c.host}/`,
      payload: body,
      timestamp: c.timestamp,
      service: c.service,
      secretId: c.secretId,
      secretKey: c.secretKey,
      multipart: false,
      boundary: undefined,
      headers: { "Content-Type": JSON_CONTENT_TYPE },
    });
    expect(await tc3Authorization(c)).toBe(sdk);
  });

  it("the host is lowercased in the canonical headers, as the SDK's URL parsing does", async () => {
    const c = {
      ...SECRETS[0]!,
      service: "faceid",
      host: "FaceID.TencentCloudAPI.com",
      timestamp: 1700006400,
      payload: "{}",
    };
    expect(await tc3Authorization(c)).toBe(sdkAuthorization(c));
  });

  it("every signed input changes the signature", async () => {
    const c = { ...SECRETS[0]!, ...HOSTS[0]!, timestamp: 1700006400, payload: PAYLOADS[0]! };
    const base = await tc3Authorization(c);
    const variants = await Promise.all([
      tc3Authorization({ ...c, secretKey: `${c.secretKey}x` }),
      tc3Authorization({ ...c, timestamp: c.timestamp + 1 }),
      tc3Authorization({ ...c, payload: PAYLOADS[0]!.replace("张三", "张四") }),
      tc3Authorization({ ...c, host: "cvm.tencentcloudapi.com" }),
      tc3Authorization({ ...c, service: "cvm" }),
      tc3Authorization({ ...c, contentType: "application/json" }),
    ]);
    const signatureOf = (auth: string) => auth.slice(auth.indexOf("Signature="));
    for (const v of variants) expect(signatureOf(v)).not.toBe(signatureOf(base));
  });

  // Computed independently, step by step with `openssl dgst -sha256 [-mac HMAC]`, not by either signer.
  it("a hand-computed vector (guards against the SDK and this signer drifting together)", async () => {
    const c = { ...SECRETS[0]!, ...HOSTS[0]!, timestamp: 1700006400, payload: PAYLOADS[0]! };
    expect(await tc3Authorization(c)).toBe(PINNED);
    expect(sdkAuthorization(c)).toBe(PINNED);
  });

  it.each([1.5, -1, Number.NaN, 1e20])("timestamp %s is refused", async (timestamp) => {
    await expect(tc3Authorization({ ...SECRETS[0]!, ...HOSTS[0]!, timestamp, payload: "{}" })).rejects.toThrow(
      RangeError,
    );
  });
});

const PINNED =
  "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2023-11-15/faceid/tc3_request, SignedHeaders=content-type;host, Signature=779a8deaf5ba7ba97fd2d8970fbb0c52dc8da2e59757e7e727d82da688e6f084";

describe("tencentHeaders", () => {
  const call = {
    ...SECRETS[0]!,
    service: "faceid",
    host: "faceid.tencentcloudapi.com",
    action: "PhoneVerification",
    version: "2018-03-01",
    timestamp: 1700006400,
    payload: PAYLOADS[0]!,
  };

  it("gives the full header set, signed like the SDK", async () => {
    expect(await tencentHeaders(call)).toEqual({
      Authorization: sdkAuthorization(call),
      "Content-Type": "application/json; charset=utf-8",
      Host: "faceid.tencentcloudapi.com",
      "X-TC-Action": "PhoneVerification",
      "X-TC-Timestamp": "1700006400",
      "X-TC-Version": "2018-03-01",
    });
  });

  it("adds X-TC-Region only when given; the region is not signed", async () => {
    const headers = await tencentHeaders({ ...call, region: "ap-guangzhou" });
    expect(headers["X-TC-Region"]).toBe("ap-guangzhou");
    expect(headers.Authorization).toBe(sdkAuthorization(call));
  });
});
