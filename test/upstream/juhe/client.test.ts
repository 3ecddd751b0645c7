// The real juhe client (JUHE_KEY set), with fetch faked at the HTTP boundary: what goes on the
// wire, and how the exchange itself can fail.
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { ecbDecrypt, importAesCbcKey } from "../../../src/crypto/aes.ts";
import { fromBase64, fromUtf8, utf8 } from "../../../src/crypto/bytes.ts";
import type { Identity } from "../../../src/identity/identity.ts";
import { juheQuery } from "../../../src/upstream/juhe/client.ts";
import { juheConfig, TEST_BASE_URL } from "../../support/juhe-expected.ts";
import { juheError, juheJson, juheMatch, mockJuhe, never } from "../../support/juhe-mock.ts";

const identity: Identity = { idCard: "110101199003071233", userName: "张三", loginphone: "13800138000" };
const PERSONAL = [identity.idCard, identity.userName, encodeURIComponent(identity.userName), identity.loginphone];

// Node: createHash("md5").update("test-openid").digest("hex").slice(0, 16)
/** A body that never ends, 1 KiB at a time: only a reader that stops at the cap comes back. */
const endless = () =>
  new ReadableStream<Uint8Array>({ pull: (controller) => controller.enqueue(new Uint8Array(1024).fill(32)) });

/** A juhe 227303 answer of exactly `bytes` bytes (its reason padded with ASCII). */
function juheAnswerOf(bytes: number): Response {
  const body = (reason: string) => JSON.stringify({ reason, result: null, error_code: 227303 });
  return new Response(body("x".repeat(bytes - body("").length)));
}

const TEST_OPENID_KEY_TEXT = "b6c118d5e9db35dd";

async function decryptField(base64: string | null): Promise<string | null> {
  const key = await importAesCbcKey(utf8.encode(TEST_OPENID_KEY_TEXT));
  const plain = await ecbDecrypt(key, fromBase64(base64 ?? "") ?? new Uint8Array());
  return plain && fromUtf8.decode(plain);
}

describe("encrypted mode (default)", () => {
  it("POSTs a urlencoded form to /telecomCmcc/queryEncry", async () => {
    const juhe = mockJuhe(TEST_BASE_URL, () => juheMatch(1, "11"));
    await juheQuery(juheConfig())(identity, 5000);
    const request = juhe.only();
    expect(request.method).toBe("POST");
    expect(request.url).toBe(`${TEST_BASE_URL}/telecomCmcc/queryEncry`);
    expect(request.contentType).toBe("application/x-www-form-urlencoded");
  });

  it("sends exactly key, realname, idcard, mobile and detail=1", async () => {
    const juhe = mockJuhe(TEST_BASE_URL, () => juheMatch(1, "11"));
    await juheQuery(juheConfig())(identity, 5000);
    const { form } = juhe.only();
    expect([...form.keys()].sort()).toEqual(["detail", "idcard", "key", "mobile", "realname"]);
    expect(form.get("key")).toBe("test-juhe-key");
    expect(form.get("detail")).toBe("1");
  });

  it("encrypts each personal field with AES-128-ECB under md5(openid)[0..16], base64", async () => {
    const juhe = mockJuhe(TEST_BASE_URL, () => juheMatch(1, "11"));
    await juheQuery(juheConfig())(identity, 5000);
    const { form } = juhe.only();
    expect(await decryptField(form.get("realname"))).toBe(identity.userName);
    expect(await decryptField(form.get("idcard"))).toBe(identity.idCard);
    expect(await decryptField(form.get("mobile"))).toBe(identity.loginphone);
  });

  it("puts no personal data in the URL or in the form in clear", async () => {
    const juhe = mockJuhe(TEST_BASE_URL, () => juheMatch(1, "11"));
    await juheQuery(juheConfig())(identity, 5000);
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
    const query = juheQuery(config);
    await query(identity, 5000);
    await juheQuery(config)(identity, 5000);
    expect(importKey).toHaveBeenCalledTimes(1);
  });
});

describe("the three-network product (juhe3)", () => {
  it.each([
    ["test-openid", "queryEncry"],
    [null, "query"],
  ] as const)("POSTs to /telecom/… with its own key (openid %s)", async (openid, endpoint) => {
    const juhe = mockJuhe(TEST_BASE_URL, () => juheMatch(1, "11"));
    await juheQuery(juheConfig({ product: "telecom", key: "test-juhe3-key", openid }))(identity, 5000);
    const { url, form } = juhe.only();
    expect([url, form.get("key"), form.get("detail")]).toEqual([
      `${TEST_BASE_URL}/telecom/${endpoint}`,
      "test-juhe3-key",
      "1",
    ]);
  });
});

describe("plain mode", () => {
  it("POSTs the fields in clear to /telecomCmcc/query, with detail=1", async () => {
    const juhe = mockJuhe(TEST_BASE_URL, () => juheMatch(1, "11"));
    await juheQuery(juheConfig({ openid: null }))(identity, 5000);
    const { method, url, contentType, form } = juhe.only();
    expect([method, url, contentType]).toEqual([
      "POST",
      `${TEST_BASE_URL}/telecomCmcc/query`,
      "application/x-www-form-urlencoded",
    ]);
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
    await juheQuery(juheConfig({ openid: null }))(identity, 5000);
    const { url } = juhe.only();
    for (const value of PERSONAL) expect(url).not.toContain(value);
  });
});

describe("transport failures", () => {
  it("answers 502 on HTTP 500, even with a juhe-shaped body", async () => {
    mockJuhe(TEST_BASE_URL, () => juheJson({ reason: "查询成功", result: { res: 1 }, error_code: 0 }, 500));
    const call = await juheQuery(juheConfig())(identity, 5000);
    expect(call.outcome).toMatchObject({ ok: false, code: "502" });
    expect([call.code, call.failover, call.fault]).toEqual([null, true, true]);
  });

  it("answers 502 on HTTP 404", async () => {
    mockJuhe(TEST_BASE_URL, () => new Response("not found", { status: 404 }));
    expect((await juheQuery(juheConfig())(identity, 5000)).outcome).toMatchObject({ ok: false, code: "502" });
  });

  it("answers 502 on a body that is not JSON", async () => {
    mockJuhe(TEST_BASE_URL, () => new Response("<html>502 Bad Gateway</html>", { status: 200 }));
    expect((await juheQuery(juheConfig())(identity, 5000)).outcome).toMatchObject({ ok: false, code: "502" });
  });

  it("answers 503 when fetch throws a network TypeError", async () => {
    mockJuhe(TEST_BASE_URL, () => Promise.reject(new TypeError("Network connection lost.")));
    const call = await juheQuery(juheConfig())(identity, 5000);
    expect(call.outcome).toMatchObject({ ok: false, code: "503" });
    expect([call.code, call.failover, call.fault]).toEqual([null, true, true]);
  });

  it("answers 501 when fetch never settles, ignoring its signal", async () => {
    mockJuhe(TEST_BASE_URL, () => never());
    const call = await juheQuery(juheConfig())(identity, 50);
    expect(call.outcome).toMatchObject({ ok: false, code: "501" });
    expect(call.latencyMs).toBeGreaterThanOrEqual(50);
  });

  it("answers 501 and aborts the request when fetch honours its signal", async () => {
    const juhe = mockJuhe(
      TEST_BASE_URL,
      ({ signal }) => new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason))),
    );
    const call = await juheQuery(juheConfig())(identity, 50);
    expect(call.outcome).toMatchObject({ ok: false, code: "501" });
    expect(juhe.only().signal.aborted).toBe(true);
  });

  it("answers 501 when the headers arrive but the body never does", async () => {
    mockJuhe(TEST_BASE_URL, () => new Response(new ReadableStream({ start() {} })));
    const call = await juheQuery(juheConfig())(identity, 50);
    expect(call.outcome).toMatchObject({ ok: false, code: "501" });
  });

  it.each([
    // A small valid answer that declares 70000 bytes: refused on the header alone, before reading.
    [
      "declared by Content-Length",
      () =>
        new Response(JSON.stringify({ reason: "", result: null, error_code: 227303 }), {
          headers: { "Content-Length": "70000" },
        }),
    ],
    ["streamed without a length", () => new Response(endless())],
    ["a JSON body one byte over 64 KiB", () => juheAnswerOf(65_537)],
  ])("answers 502 上游响应过大 for a body over 64 KiB, %s, and fails over", async (_, answer) => {
    mockJuhe(TEST_BASE_URL, answer);
    const call = await juheQuery(juheConfig())(identity, 5000);
    expect([call.outcome, call.code, call.failover, call.fault]).toEqual([
      { ok: false, code: "502", reason: "上游响应过大" },
      null,
      true,
      true,
    ]);
  });

  it("reads a body of exactly 64 KiB", async () => {
    mockJuhe(TEST_BASE_URL, () => juheAnswerOf(65_536));
    const call = await juheQuery(juheConfig())(identity, 5000);
    expect([call.outcome, call.code]).toEqual([{ ok: false, code: "308", reason: "运营商库中无此记录" }, "227303"]);
  });

  it("reports the wall time of a call", async () => {
    mockJuhe(TEST_BASE_URL, () => juheError(227303));
    const call = await juheQuery(juheConfig())(identity, 5000);
    expect(call.latencyMs).toBeGreaterThanOrEqual(0);
    expect(Number.isInteger(call.latencyMs)).toBe(true);
  });

  // The helper's own guarantee: this test must fail, because it called something nobody mocked.
  it.fails("fails a test whose code calls anything but juhe", async () => {
    mockJuhe(TEST_BASE_URL, () => juheError(227303));
    await fetch("https://elsewhere.test/x").catch(() => {}); // swallowed, as careless code would
  });
});
