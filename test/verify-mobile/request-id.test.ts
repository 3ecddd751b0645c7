// requestId through the Worker (docs/contract.md §1): from the body or the Idempotency-Key header,
// checked with the other parameters, before the token.
import { describe, expect, it } from "vitest";
import { IV, send } from "../support/caller.ts";

const FORM = "application/x-www-form-urlencoded";
const body = (fields: Record<string, string>) =>
  new URLSearchParams({ token: `vmt_${"x".repeat(32)}`, iv: IV, logon: "AAAA", ...fields }).toString();
const bad = (reason: string) => ({
  errorCode: "306",
  errorDetail: "请求参数requestId为空或格式错误",
  errorReason: reason,
  info: null,
  returnCode: "0",
  returnDesc: null,
});

describe("requestId", () => {
  it("passes the parameter check when well-formed, from the body or the header (the unknown token then answers 105)", async () => {
    expect((await send(body({ requestId: "retry-1" }), FORM)).envelope.errorCode).toBe("105");
    expect((await send(body({}), FORM, { headers: { "Idempotency-Key": "retry-1" } })).envelope.errorCode).toBe("105");
  });

  it("answers a body value that differs from the Idempotency-Key header with 306 requestId", async () => {
    const { envelope } = await send(body({ requestId: "retry-1" }), FORM, {
      headers: { "Idempotency-Key": "retry-2" },
    });
    expect(envelope).toEqual(bad("请求体中的requestId与Idempotency-Key不一致"));
  });

  it("answers a malformed Idempotency-Key header with 306 requestId", async () => {
    const { envelope } = await send(body({}), FORM, { headers: { "Idempotency-Key": "k".repeat(65) } });
    expect(envelope).toEqual(bad("requestId须为1–64个可打印ASCII字符"));
  });

  it("answers a JSON requestId that is not a string with 306 requestId", async () => {
    const { envelope } = await send(
      JSON.stringify({ token: `vmt_${"x".repeat(32)}`, iv: IV, logon: "AAAA", requestId: 7 }),
      "application/json",
    );
    expect(envelope).toEqual(bad("参数须为字符串"));
  });
});
