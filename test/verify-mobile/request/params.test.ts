import { describe, expect, it } from "vitest";
import { parseParams } from "../../../src/verify-mobile/request/params.ts";

const TOKEN = "vmt_" + "a".repeat(32);
const IV = "0123456789abcdef";
// base64 of 16 bytes 0x00..0x0f
const LOGON = "AAECAwQFBgcICQoLDA0ODw==";
const BYTES = Uint8Array.from({ length: 16 }, (_, i) => i);
const fields = (o: Record<string, unknown>) => new Map(Object.entries(o));

describe("parseParams", () => {
  it("returns the token, the iv bytes and the decoded logon", () => {
    const r = parseParams(fields({ token: TOKEN, iv: IV, logon: LOGON }));
    expect(r).toEqual({ ok: true, value: { token: TOKEN, iv: new TextEncoder().encode(IV), logon: BYTES, logonText: LOGON, requestId: null } });
  });

  it.each([
    ["nothing", {}],
    ["only empty strings", { token: "", iv: "", logon: "" }],
    ["only unknown fields", { foo: "bar" }],
  ])("answers %s with 301", (_name, o) => {
    expect(parseParams(fields(o))).toEqual({ ok: false, code: "301" });
  });

  it.each([
    ["token", { iv: IV, logon: LOGON }],
    ["iv", { token: TOKEN, logon: LOGON }],
    ["logon", { token: TOKEN, iv: IV }],
  ] as const)("answers a missing %s with 306 naming it", (param, o) => {
    expect(parseParams(fields(o))).toMatchObject({ ok: false, code: "306", param });
  });

  it("answers a non-string value with 306 naming it", () => {
    expect(parseParams(fields({ token: TOKEN, iv: 1234567890123456, logon: LOGON }))).toMatchObject({ ok: false, code: "306", param: "iv" });
  });

  it.each([
    ["15 characters", "0123456789abcde"],
    ["17 characters", "0123456789abcdefg"],
    ["16 characters but 18 UTF-8 bytes", "0123456789abcde中"],
  ])("answers an iv of %s with 306 iv", (_name, iv) => {
    expect(parseParams(fields({ token: TOKEN, iv, logon: LOGON }))).toMatchObject({ ok: false, code: "306", param: "iv" });
  });

  it("answers a logon that is not base64 with 306 logon", () => {
    expect(parseParams(fields({ token: TOKEN, iv: IV, logon: "not*base64!" }))).toMatchObject({ ok: false, code: "306", param: "logon" });
  });

  it.each([
    ["URL-safe alphabet without padding", "AAECAwQFBgcICQoLDA0ODw"],
    ["line breaks (MIME-style base64)", "AAECAwQFBgcI\r\nCQoLDA0O\nDw=="],
    ["spaces after the padding", "AAECAwQFBgcICQoLDA0ODw== \n"],
  ])("decodes a logon in %s", (_name, logon) => {
    const r = parseParams(fields({ token: TOKEN, iv: IV, logon }));
    expect(r.ok && r.value.logon).toEqual(BYTES);
  });

  it("reads spaces in logon as + (form body sent without URL-encoding)", () => {
    const plus = "++++";
    const r = parseParams(fields({ token: TOKEN, iv: IV, logon: plus.replace(/\+/g, " ") }));
    expect(r.ok && r.value.logon).toEqual(Uint8Array.from([0xfb, 0xef, 0xbe]));
  });

  it("reads - and _ as the URL-safe + and /", () => {
    const r = parseParams(fields({ token: TOKEN, iv: IV, logon: "-_-_" }));
    expect(r.ok && r.value.logon).toEqual(Uint8Array.from([0xfb, 0xff, 0xbf]));
  });
});
