import { describe, expect, it } from "vitest";
import { MAX_LOGON_LENGTH, parseParams } from "../../../src/verify-mobile/request/params.ts";

const TOKEN = `vmt_${"a".repeat(32)}`;
const IV = "0123456789abcdef";
// base64 of 16 bytes 0x00..0x0f
const LOGON = "AAECAwQFBgcICQoLDA0ODw==";
const BYTES = Uint8Array.from({ length: 16 }, (_, i) => i);
const fields = (o: Record<string, unknown>) => new Map(Object.entries(o));

describe("parseParams", () => {
  it("returns the token, the iv bytes and the decoded logon", () => {
    const r = parseParams(fields({ token: TOKEN, iv: IV, logon: LOGON }), null);
    expect(r).toEqual({
      ok: true,
      value: {
        token: TOKEN,
        iv: new TextEncoder().encode(IV),
        logon: BYTES,
        logonText: LOGON,
        requestId: null,
        sign: null,
      },
    });
  });

  it.each([
    ["nothing", {}],
    ["only empty strings", { token: "", iv: "", logon: "" }],
    ["only unknown fields", { foo: "bar" }],
  ])("answers %s with 301", (_name, o) => {
    expect(parseParams(fields(o), null)).toEqual({ ok: false, code: "301" });
  });

  it.each([
    ["token", { iv: IV, logon: LOGON }],
    ["iv", { token: TOKEN, logon: LOGON }],
    ["logon", { token: TOKEN, iv: IV }],
  ] as const)("answers a missing %s with 306 naming it", (param, o) => {
    expect(parseParams(fields(o), null)).toMatchObject({ ok: false, code: "306", param });
  });

  it("answers a non-string value with 306 naming it", () => {
    expect(parseParams(fields({ token: TOKEN, iv: 1234567890123456, logon: LOGON }), null)).toMatchObject({
      ok: false,
      code: "306",
      param: "iv",
    });
  });

  it.each([
    ["15 characters", "0123456789abcde"],
    ["11 characters", "0123456789a"],
    ["13 characters", "0123456789abc"],
    ["17 characters", "0123456789abcdefg"],
    ["16 characters but 18 UTF-8 bytes", "0123456789abcde中"],
  ])("answers an iv of %s with 306 iv", (_name, iv) => {
    expect(parseParams(fields({ token: TOKEN, iv, logon: LOGON }), null)).toMatchObject({
      ok: false,
      code: "306",
      param: "iv",
    });
  });

  it("takes a 12-character iv, the aes-gcm nonce (its account's cipher decides, docs/contract.md §1)", () => {
    const r = parseParams(fields({ token: TOKEN, iv: "0123456789ab", logon: LOGON }), null);
    expect(r.ok && r.value.iv).toEqual(new TextEncoder().encode("0123456789ab"));
  });

  it("answers a logon that is not base64 with 306 logon", () => {
    expect(parseParams(fields({ token: TOKEN, iv: IV, logon: "not*base64!" }), null)).toMatchObject({
      ok: false,
      code: "306",
      param: "logon",
    });
  });

  it.each([
    ["URL-safe alphabet without padding", "AAECAwQFBgcICQoLDA0ODw"],
    ["line breaks (MIME-style base64)", "AAECAwQFBgcI\r\nCQoLDA0O\nDw=="],
    ["spaces after the padding", "AAECAwQFBgcICQoLDA0ODw== \n"],
  ])("decodes a logon in %s", (_name, logon) => {
    const r = parseParams(fields({ token: TOKEN, iv: IV, logon }), null);
    expect(r.ok && r.value.logon).toEqual(BYTES);
  });

  it("reads spaces in logon as + (form body sent without URL-encoding)", () => {
    const plus = "++++";
    const r = parseParams(fields({ token: TOKEN, iv: IV, logon: plus.replace(/\+/g, " ") }), null);
    expect(r.ok && r.value.logon).toEqual(Uint8Array.from([0xfb, 0xef, 0xbe]));
  });

  it("reads - and _ as the URL-safe + and /", () => {
    const r = parseParams(fields({ token: TOKEN, iv: IV, logon: "-_-_" }), null);
    expect(r.ok && r.value.logon).toEqual(Uint8Array.from([0xfb, 0xff, 0xbf]));
  });

  it("answers a logon over 4096 characters with 306 saying so, before looking at its characters", () => {
    for (const logon of ["A".repeat(MAX_LOGON_LENGTH + 1), "*".repeat(MAX_LOGON_LENGTH + 1)]) {
      expect(parseParams(fields({ token: TOKEN, iv: IV, logon }), null)).toEqual({
        ok: false,
        code: "306",
        param: "logon",
        reason: "logon长度超过4096个字符",
      });
    }
  });

  it("accepts a logon of exactly 4096 characters", () => {
    const r = parseParams(fields({ token: TOKEN, iv: IV, logon: "A".repeat(MAX_LOGON_LENGTH) }), null);
    expect(r.ok && r.value.logon.length).toBe(3072);
  });

  it("answers a logon whose padding is followed by data with 306 logon", () => {
    const r = parseParams(fields({ token: TOKEN, iv: IV, logon: `${"=".repeat(100)}A` }), null);
    expect(r).toEqual({ ok: false, code: "306", param: "logon", reason: "logon须为base64编码" });
  });
});

describe("parseParams: requestId", () => {
  const base = { token: TOKEN, iv: IV, logon: LOGON };
  const requestIdOf = (r: ReturnType<typeof parseParams>) => (r.ok ? r.value.requestId : r);

  it("is null when neither the body nor the header gives one", () => {
    expect(requestIdOf(parseParams(fields(base), null))).toBeNull();
  });

  it.each([
    ["from the body", { ...base, requestId: "order-2026-0001" }, null],
    ["from the Idempotency-Key header", base, "order-2026-0001"],
    ["from both, equal", { ...base, requestId: "order-2026-0001" }, "order-2026-0001"],
  ])("is taken %s", (_label, body, header) => {
    expect(requestIdOf(parseParams(fields(body), header))).toBe("order-2026-0001");
  });

  it.each([
    ["64 printable ASCII characters", `${"~".repeat(32)}${" ".repeat(31)}!`],
    ["one character", "x"],
  ])("accepts %s", (_label, requestId) => {
    expect(requestIdOf(parseParams(fields({ ...base, requestId }), null))).toBe(requestId);
  });

  it("counts an empty value as absent, in the body and in the header", () => {
    expect(requestIdOf(parseParams(fields({ ...base, requestId: "" }), ""))).toBeNull();
  });

  const shape = { ok: false, code: "306", param: "requestId", reason: "requestId须为1–64个可打印ASCII字符" };

  it.each([
    ["65 characters", "a".repeat(65)],
    ["a control character", "abc\u0001"],
    ["a tab", "a\tb"],
    ["DEL", "a\u007f"],
    ["non-ASCII", "订单1"],
  ])("answers %s with 306 requestId", (_label, requestId) => {
    expect(parseParams(fields({ ...base, requestId }), null)).toEqual(shape);
    expect(parseParams(fields(base), requestId)).toEqual(shape);
  });

  it("answers a non-string requestId with 306 requestId", () => {
    expect(parseParams(fields({ ...base, requestId: 42 }), null)).toEqual({
      ok: false,
      code: "306",
      param: "requestId",
      reason: "参数须为字符串",
    });
  });

  it("answers a body requestId that differs from the header with 306 requestId", () => {
    expect(parseParams(fields({ ...base, requestId: "a" }), "b")).toEqual({
      ok: false,
      code: "306",
      param: "requestId",
      reason: "请求体中的requestId与Idempotency-Key不一致",
    });
  });

  it("reports a malformed logon before a malformed requestId", () => {
    expect(parseParams(fields({ ...base, logon: "*", requestId: "a".repeat(65) }), null)).toMatchObject({
      code: "306",
      param: "logon",
    });
  });

  it("alone is not a request: 301", () => {
    expect(parseParams(fields({ requestId: "a" }), "a")).toEqual({ ok: false, code: "301" });
  });
});

describe("parseParams: sign", () => {
  const base = { token: TOKEN, iv: IV, logon: LOGON };

  it("is passed on as sent, for the account's own check (docs/contract.md §2)", () => {
    const r = parseParams(fields({ ...base, sign: "ab".repeat(32) }), null);
    expect(r.ok && r.value.sign).toBe("ab".repeat(32));
  });

  it("answers a sign that is not a string with 306 sign", () => {
    expect(parseParams(fields({ ...base, sign: 12 }), null)).toEqual({
      ok: false,
      code: "306",
      param: "sign",
      reason: "参数须为字符串",
    });
  });
});
