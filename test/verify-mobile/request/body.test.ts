import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES, bodyKind, readFields } from "../../../src/verify-mobile/request/body.ts";

const post = (body: BodyInit | null, contentType?: string, headers: Record<string, string> = {}) =>
  new Request("http://x/", { method: "POST", body, headers: contentType ? { "Content-Type": contentType, ...headers } : headers });

describe("bodyKind", () => {
  it.each([
    ["application/x-www-form-urlencoded", "form"],
    ["application/x-www-form-urlencoded; charset=UTF-8", "form"],
    ["Multipart/Form-Data; boundary=x", "multipart"],
    ["application/json;charset=utf-8", "json"],
    ["text/plain", null],
    ["application/xml", null],
    [null, null],
  ] as const)("%s → %s", (contentType, kind) => {
    expect(bodyKind(contentType)).toBe(kind);
  });
});

describe("readFields", () => {
  it("reads a form body, turning an unencoded + into a space", async () => {
    const r = await readFields(post("token=t&iv=i&logon=ab+cd", "application/x-www-form-urlencoded"));
    expect(r).toEqual({ ok: true, value: new Map([["token", "t"], ["iv", "i"], ["logon", "ab cd"]]) });
  });

  it("reads a multipart body", async () => {
    const form = new FormData();
    form.set("token", "t");
    form.set("logon", "a+b");
    const request = new Request("http://x/", { method: "POST", body: form });
    const r = await readFields(request);
    expect(r).toEqual({ ok: true, value: new Map([["token", "t"], ["logon", "a+b"]]) });
  });

  it("reads a JSON body, keeping non-string values for the parameter check", async () => {
    const r = await readFields(post(JSON.stringify({ token: "t", iv: 5 }), "application/json"));
    expect(r).toEqual({ ok: true, value: new Map<string, unknown>([["token", "t"], ["iv", 5]]) });
  });

  it("refuses another content type with 315", async () => {
    expect(await readFields(post("x", "text/plain"))).toMatchObject({ ok: false, code: "315" });
  });

  it("refuses a missing content type with 315", async () => {
    expect(await readFields(post(null))).toMatchObject({ ok: false, code: "315" });
  });

  it("refuses a declared length over 64 KiB with 315 without reading", async () => {
    const stream = new ReadableStream({ pull: () => { throw new Error("must not be read"); } });
    const r = await readFields(post(stream, "application/json", { "Content-Length": String(MAX_BODY_BYTES + 1) }));
    expect(r).toEqual({ ok: false, code: "315", reason: "请求体超过64KiB" });
  });

  it("stops reading a streamed body once it passes 64 KiB", async () => {
    let pulled = 0;
    const chunk = new Uint8Array(16 * 1024);
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(chunk);
      },
    });
    const r = await readFields(post(stream, "application/x-www-form-urlencoded"));
    expect(r).toEqual({ ok: false, code: "315", reason: "请求体超过64KiB" });
    expect(pulled).toBeLessThan(10);
  });

  it("accepts a body of exactly 64 KiB", async () => {
    const r = await readFields(post(`a=${"b".repeat(MAX_BODY_BYTES - 2)}`, "application/x-www-form-urlencoded"));
    expect(r.ok).toBe(true);
  });

  it.each([
    ["invalid JSON", "{"],
    ["a JSON array", "[1]"],
    ["JSON null", "null"],
  ])("answers %s with 301", async (_name, body) => {
    expect(await readFields(post(body, "application/json"))).toMatchObject({ ok: false, code: "301" });
  });

  it("answers multipart without a boundary with 315", async () => {
    expect(await readFields(post("x", "multipart/form-data"))).toEqual({ ok: false, code: "315", reason: "multipart/form-data缺少boundary" });
  });

  it("answers a broken multipart body with 301", async () => {
    expect(await readFields(post("garbage", "multipart/form-data; boundary=zzz"))).toMatchObject({ ok: false, code: "301" });
  });
});
