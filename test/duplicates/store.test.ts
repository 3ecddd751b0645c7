import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { answerDuplicate, answerRetry } from "../../src/duplicates/policy.ts";
import { readDuplicate, recentDuplicate, rememberResult } from "../../src/duplicates/store.ts";
import type { StoredResult } from "../../src/duplicates/stored-result.ts";
import { freshIsolate } from "../support/caller.ts";

const stored: StoredResult = { returnCode: "10001", matchCode: "21", carrier: "CUCC", orderNo: "VM1", at: 1_000_000 };

beforeEach(freshIsolate);

describe("duplicate store", () => {
  it("finds what it remembered, from the isolate", async () => {
    void rememberResult(env.DEDUP, "dup:a:1", stored, 60);
    expect(recentDuplicate("dup:a:1", stored.at + 1)).toEqual(stored);
  });

  it("finds it in KV from a fresh isolate", async () => {
    await rememberResult(env.DEDUP, "dup:a:2", stored, 60);
    freshIsolate();
    expect([recentDuplicate("dup:a:2", stored.at + 1), await readDuplicate(env.DEDUP, "dup:a:2")]).toEqual([
      null,
      stored,
    ]);
  });

  it("writes KV with the window as expirationTtl", async () => {
    await rememberResult(env.DEDUP, "dup:a:3", stored, 120);
    const { keys } = await env.DEDUP.list({ prefix: "dup:a:3" });
    expect(keys[0]?.expiration).toBeGreaterThan(Date.now() / 1000 + 100);
  });

  it("forgets it in the isolate once the window has passed", async () => {
    await rememberResult(env.DEDUP, "dup:a:4", stored, 60);
    expect([recentDuplicate("dup:a:4", stored.at + 59_999), recentDuplicate("dup:a:4", stored.at + 60_000)]).toEqual([
      stored,
      null,
    ]);
  });

  it("reads an entry stored before the carrier was kept with carrier null", async () => {
    const { carrier: _, ...old } = stored;
    await env.DEDUP.put("dup:a:6", JSON.stringify(old));
    expect(await readDuplicate(env.DEDUP, "dup:a:6")).toEqual({ ...old, carrier: null });
  });

  it("ignores a malformed KV entry", async () => {
    await env.DEDUP.put("dup:a:5", JSON.stringify({ returnCode: "99999" }));
    expect(await readDuplicate(env.DEDUP, "dup:a:5")).toBeNull();
  });
});

describe("answerDuplicate", () => {
  it("rejects with 309 naming the original order, the window and when to ask again (China time) under the reject policy", () => {
    const at = Date.parse("2026-11-30T13:00:00Z"); // 21:00 in China
    expect(answerDuplicate({ ...stored, at }, { duplicatePolicy: "reject", dedupTtl: 90 }, "VM2")).toEqual({
      ok: false,
      code: "309",
      reason: "重复的请求：90秒内已查询过相同身份（订单VM1），请使用原结果；2026-11-30 21:01:30（北京时间）后可再查",
    });
  });

  it("replays the stored answer, unbilled, under the replay policy", () => {
    expect(answerDuplicate(stored, { duplicatePolicy: "replay", dedupTtl: 60 }, "VM2")).toEqual({
      ok: true,
      value: {
        returnCode: "10001",
        info: { orderNo: "VM2", matchCode: "21", carrier: "CUCC", billable: false, duplicate: true },
      },
    });
  });

  it("replays a result stored without a carrier with carrier null", () => {
    const { carrier: _, ...old } = stored;
    expect(answerDuplicate(old, { duplicatePolicy: "replay", dedupTtl: 60 }, "VM2")).toMatchObject({
      ok: true,
      value: { info: { carrier: null } },
    });
  });

  it("answers a retry with the original answer under the original order number, whatever the policy", () => {
    expect(answerRetry(stored)).toEqual({
      ok: true,
      value: {
        returnCode: "10001",
        info: { orderNo: "VM1", matchCode: "21", carrier: "CUCC", billable: false, duplicate: true },
      },
    });
  });
});
