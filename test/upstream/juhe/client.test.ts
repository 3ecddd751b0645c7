// The real juhe client (JUHE_KEY set), with fetch faked at the HTTP boundary: what goes on the
// wire, and how the exchange itself can fail.
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { ecbDecrypt, importAesCbcKey } from "../../../src/crypto/aes.ts";
import { fromBase64, fromUtf8, utf8 } from "../../../src/crypto/bytes.ts";
import type { Identity } from "../../../src/identity/identity.ts";
import { juheClient } from "../../../src/upstream/juhe/client.ts";
import { juheConfig, TEST_BASE_URL } from "../../support/juhe-expected.ts";
import { juheError, juheJson, juheMatch, mockJuhe, never } from "../../support/juhe-mock.ts";

const identity: Identity = { idCard: "110101199003071233", userName: "张三", loginphone: "13800138000" };
const PERSONAL = [identity.idCard, identity.userName, encodeURIComponent(identity.userName), identity.loginphone];

// Node: createHash("md5").update("test-openid").digest("hex").slice(0, 16)
const TEST_OPENID_KEY_TEXT = "b6c118d5e9db35dd";

async function decryptField(base64: string | null): Promise<string | null> {
  const key = await importAesCbcKey(utf8.encode(TEST_OPENID_KEY_TEXT));
  const plain = await ecbDecrypt(key, fromBase64(base64 ?? "") ?? new Uint8Array());
  return plain && fromUtf8.decode(plain);
}

describe("encrypted mode (default)", () => {
  it("POSTs a urlencoded form to /telecomCmcc/queryEncry", async () => {
    const juhe = mockJuhe(TEST_BASE_URL, () => juheMatch(1, "11"));
    await juheClient(juheConfig())(identity);
    const request = juhe.only();
    expect(request.method).toBe("POST");
    expect(request.url).toBe(`${TEST_BASE_URL}/telecomCmcc/queryEncry`);
    expect(request.contentType).toBe("application/x-www-form-urlencoded");
  });

  it("sends exactly key, realname, idcard, mobile and detail=1", async () => {
    const juhe = mockJuhe(TEST_BASE_URL, () => juheMatch(1, "11"));
    await juheClient(juheConfig())(identity);
    const { form } = juhe.only();
    expect([...form.keys()].sort()).toEqual(["detail", "idcard", "key", "mobile", "realname"]);
    expect(form.get("key")).toBe("test-juhe-key");
    expect(form.get("detail")).toBe("1");
  });

  it("encrypts each personal field with AES-128-ECB under md5(openid)[0..16], base64", async () => {
    const juhe = mockJuhe(TEST_BASE_URL, () => juheMatch(1, "11"));
    await juheClient(juheConfig())(identity);
    const { form } = juhe.only();
    expect(await decryptField(form.get("realname"))).toBe(identity.userName);
    expect(await decryptField(form.get("idcard"))).toBe(identity.idCard);
    expect(await decryptField(form.get("mobile"))).toBe(identity.loginphone);
  });

  it("puts no personal data in the URL or in the form in clear", async () => {
    const juhe = mockJuhe(TEST_BASE_URL, () => juheMatch(1, "11"));
    await juheClient(juheConfig())(identity);
    const { url, form } = juhe.only();
    for (const value of PERSONAL) {
      expect(url).not.toContain(value);
      expect(form.toString()).not.toContain(value);
    }
  });

  it("imports the field key once per openid, not once per call", async () => {
    const config = juheConfig({ openid: `openid-${crypto.randomUUID()}` });
    mockJuhe(TEST_BASE_URL, () => juheMatch(1, "11"));
    const importKey = vi.spyOn(crypto.subtle, "importKey");
    onTestFinished(() => importKey.mockRestore());
    const client = juheClient(config);
    await client(identity);
    await juheClient(config)(identity);
    expect(importKey).toHaveBeenCalledTimes(1);
  });
});

describe("plain mode", () => {
  it("POSTs the fields in clear to /telecomCmcc/query, with detail=1", async () => {
    const juhe = mockJuhe(TEST_BASE_URL, () => juheMatch(1, "11"));
    await juheClient(juheConfig({ openid: null }))(identity);
    const { method, url, contentType, form } = juhe.only();
    expect([method, url, contentType]).toEqual(["POST", `${TEST_BASE_URL}/telecomCmcc/query`, "application/x-www-form-urlencoded"]);
    expect(Object.fromEntries(form)).toEqual({
      key: "test-juhe-key",
      realname: identity.userName,
      idcard: identity.idCard,
      mobile: identity.loginphone,
      detail: "1",
    });
  });

  it("keeps the personal data out of the URL", async () => {
    const juhe = mockJuhe(TEST_BASE_URL, () => juheMatch(1, "11"));
    await juheClient(juheConfig({ openid: null }))(identity);
    const { url } = juhe.only();
    for (const value of PERSONAL) expect(url).not.toContain(value);
  });
});

describe("transport failures", () => {
  it("answers 502 on HTTP 500, even with a juhe-shaped body", async () => {
    mockJuhe(TEST_BASE_URL, () => juheJson({ reason: "查询成功", result: { res: 1 }, error_code: 0 }, 500));
    const call = await juheClient(juheConfig())(identity);
    expect(call.outcome).toMatchObject({ ok: false, code: "502" });
    expect(call.upstreamCode).toBeNull();
  });

  it("answers 502 on HTTP 404", async () => {
    mockJuhe(TEST_BASE_URL, () => new Response("not found", { status: 404 }));
    expect((await juheClient(juheConfig())(identity)).outcome).toMatchObject({ ok: false, code: "502" });
  });

  it("answers 502 on a body that is not JSON", async () => {
    mockJuhe(TEST_BASE_URL, () => new Response("<html>502 Bad Gateway</html>", { status: 200 }));
    expect((await juheClient(juheConfig())(identity)).outcome).toMatchObject({ ok: false, code: "502" });
  });

  it("answers 503 when fetch throws a network TypeError", async () => {
    mockJuhe(TEST_BASE_URL, () => Promise.reject(new TypeError("Network connection lost.")));
    const call = await juheClient(juheConfig())(identity);
    expect(call.outcome).toMatchObject({ ok: false, code: "503" });
    expect(call.upstreamCode).toBeNull();
  });

  it("answers 501 when fetch never settles, ignoring its signal", async () => {
    mockJuhe(TEST_BASE_URL, () => never());
    const call = await juheClient(juheConfig({ timeoutMs: 50 }))(identity);
    expect(call.outcome).toMatchObject({ ok: false, code: "501" });
    expect(call.latencyMs).toBeGreaterThanOrEqual(50);
  });

  it("answers 501 and aborts the request when fetch honours its signal", async () => {
    const juhe = mockJuhe(TEST_BASE_URL, ({ signal }) => new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason))));
    const call = await juheClient(juheConfig({ timeoutMs: 50 }))(identity);
    expect(call.outcome).toMatchObject({ ok: false, code: "501" });
    expect(juhe.only().signal.aborted).toBe(true);
  });

  it("answers 501 when the headers arrive but the body never does", async () => {
    mockJuhe(TEST_BASE_URL, () => new Response(new ReadableStream({ start() {} })));
    const call = await juheClient(juheConfig({ timeoutMs: 50 }))(identity);
    expect(call.outcome).toMatchObject({ ok: false, code: "501" });
  });

  it("reports the wall time of a call", async () => {
    mockJuhe(TEST_BASE_URL, () => juheError(227303));
    const call = await juheClient(juheConfig())(identity);
    expect(call.latencyMs).toBeGreaterThanOrEqual(0);
    expect(Number.isInteger(call.latencyMs)).toBe(true);
  });

  // The helper's own guarantee: this test must fail, because it called something nobody mocked.
  it.fails("fails a test whose code calls anything but juhe", async () => {
    mockJuhe(TEST_BASE_URL, () => juheError(227303));
    await fetch("https://elsewhere.test/x").catch(() => {}); // swallowed, as careless code would
  });
});
