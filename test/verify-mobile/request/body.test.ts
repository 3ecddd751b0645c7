import { describe, expect, it } from "vitest";
import {
  BODY_DEADLINE_MS,
  bodyKind,
  MAX_BODY_BYTES,
  type RawFields,
  readFields,
} from "../../../src/verify-mobile/request/body.ts";
import type { Outcome } from "../../../src/wire/outcome.ts";

/** The outcome with the named fields looked up, as the parameter check looks them up. */
const lookUp = (r: Outcome<RawFields>, names: string[]) =>
  r.ok ? { ok: true, value: Object.fromEntries(names.map((n) => [n, r.value.get(n)])) } : r;

const post = (body: BodyInit | null, contentType?: string, headers: Record<string, string> = {}) =>
  new Request("http://x/", {
    method: "POST",
    body,
    headers: contentType ? { "Content-Type": contentType, ...headers } : headers,
  });

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
    expect(lookUp(r, ["token", "iv", "logon", "requestId"])).toEqual({
      ok: true,
      value: { token: "t", iv: "i", logon: "ab cd", requestId: undefined },
    });
  });

  it("reads a form body of 64 fields, and refuses one of 65 with 315 before listing them", async () => {
    const fields = (n: number) => ["token=t", ...Array.from({ length: n - 1 }, (_, i) => `f${i}=`)].join("&");
    const read = await readFields(post(fields(64), "application/x-www-form-urlencoded"));
    expect(lookUp(read, ["token"])).toEqual({ ok: true, value: { token: "t" } });
    expect(await readFields(post(fields(65), "application/x-www-form-urlencoded"))).toEqual({
      ok: false,
      code: "315",
      reason: "表单字段过多：最多64个",
    });
  });

  it("takes the last value of a repeated form field, and decodes percent-encoded names", async () => {
    const r = await readFields(post("token=a&%74oken=b&iv=&iv=i", "application/x-www-form-urlencoded"));
    expect(lookUp(r, ["token", "iv"])).toEqual({ ok: true, value: { token: "b", iv: "i" } });
  });

  it("reads a multipart body", async () => {
    const form = new FormData();
    form.set("token", "t");
    form.set("logon", "a+b");
    const request = new Request("http://x/", { method: "POST", body: form });
    const r = await readFields(request);
    expect(lookUp(r, ["token", "iv", "logon"])).toEqual({
      ok: true,
      value: { token: "t", iv: undefined, logon: "a+b" },
    });
  });

  it("reads a JSON body, keeping non-string values for the parameter check", async () => {
    const r = await readFields(post(JSON.stringify({ token: "t", iv: 5 }), "application/json"));
    expect(lookUp(r, ["token", "iv", "logon"])).toEqual({ ok: true, value: { token: "t", iv: 5, logon: undefined } });
  });

  it("reads only a JSON body's own keys, not what every object inherits", async () => {
    const r = await readFields(post('{"__proto__":{"token":"t"}}', "application/json"));
    expect(lookUp(r, ["token", "constructor", "toString"])).toEqual({
      ok: true,
      value: { token: undefined, constructor: undefined, toString: undefined },
    });
  });

  it("refuses another content type with 315", async () => {
    expect(await readFields(post("x", "text/plain"))).toMatchObject({ ok: false, code: "315" });
  });

  it("refuses a missing content type with 315", async () => {
    expect(await readFields(post(null))).toMatchObject({ ok: false, code: "315" });
  });

  it("refuses a declared length over 64 KiB with 315 without reading", async () => {
    const stream = new ReadableStream({
      pull: () => {
        throw new Error("must not be read");
      },
    });
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
    expect(await readFields(post("x", "multipart/form-data"))).toEqual({
      ok: false,
      code: "315",
      reason: "multipart/form-data缺少boundary",
    });
  });

  it("answers a broken multipart body with 301", async () => {
    expect(await readFields(post("garbage", "multipart/form-data; boundary=zzz"))).toMatchObject({
      ok: false,
      code: "301",
    });
  });
});

describe("readFields: the body deadline", () => {
  const TOO_SLOW = { ok: false, code: "315", reason: "请求体读取超时（10秒）" };
  const form = (stream: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
    post(stream, "application/x-www-form-urlencoded", headers);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it("is 10 seconds by default", () => {
    expect(BODY_DEADLINE_MS).toBe(10_000);
  });

  it("answers 315 when the body never ends, and stops reading it", async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      start: (controller) => controller.enqueue(new TextEncoder().encode("token=")),
      pull: () => new Promise(() => {}), // never more, never done
      cancel: () => {
        cancelled = true;
      },
    });
    const started = Date.now();
    expect(await readFields(form(stream), 50)).toEqual(TOO_SLOW);
    expect(Date.now() - started).toBeLessThan(1_000);
    await sleep(0);
    expect(cancelled).toBe(true);
  });

  it("answers 315 when each byte arrives in time but the whole body does not (a trickle)", async () => {
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await sleep(20);
        controller.enqueue(new Uint8Array([0x61]));
        if (++sent === 50) controller.close();
      },
    });
    expect(await readFields(form(stream), 200)).toEqual(TOO_SLOW);
    expect(sent).toBeLessThan(50);
  });

  it("answers 315 for a body whose declared length never arrives", async () => {
    const stream = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}) });
    expect(await readFields(form(stream, { "Content-Length": "100" }), 50)).toEqual(TOO_SLOW);
  });

  it("reads a body that arrives in pieces within the deadline", async () => {
    const pieces = ["token=t", "&iv=i", "&logon=l"];
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await sleep(5);
        const piece = pieces.shift();
        if (piece === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(piece));
      },
    });
    expect(lookUp(await readFields(form(stream), 2_000), ["token", "iv", "logon"])).toEqual({
      ok: true,
      value: { token: "t", iv: "i", logon: "l" },
    });
  });
});
