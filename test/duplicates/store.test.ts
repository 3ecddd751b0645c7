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
    expect([recentDuplicate("dup:a:2", stored.at + 1), await readDuplicate(env.DEDUP, "dup:a:2")]).toEqual([null, stored]);
  });

  it("writes KV with the window as expirationTtl", async () => {
    await rememberResult(env.DEDUP, "dup:a:3", stored, 120);
    const { keys } = await env.DEDUP.list({ prefix: "dup:a:3" });
    expect(keys[0]?.expiration).toBeGreaterThan(Date.now() / 1000 + 100);
  });

  it("forgets it in the isolate once the window has passed", async () => {
    await rememberResult(env.DEDUP, "dup:a:4", stored, 60);
    expect([recentDuplicate("dup:a:4", stored.at + 59_999), recentDuplicate("dup:a:4", stored.at + 60_000)]).toEqual([stored, null]);
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
  it("rejects with 309 naming the original order under the reject policy", () => {
    expect(answerDuplicate(stored, "reject", "VM2")).toEqual({ ok: false, code: "309", reason: "重复的请求：与订单VM1的查询相同" });
  });

  it("replays the stored answer, unbilled, under the replay policy", () => {
    expect(answerDuplicate(stored, "replay", "VM2")).toEqual({
      ok: true,
      value: { returnCode: "10001", info: { orderNo: "VM2", matchCode: "21", carrier: "CUCC", billable: false, duplicate: true } },
    });
  });

  it("replays a result stored without a carrier with carrier null", () => {
    const { carrier: _, ...old } = stored;
    expect(answerDuplicate(old, "replay", "VM2")).toMatchObject({ ok: true, value: { info: { carrier: null } } });
  });

  it("answers a retry with the original answer under the original order number, whatever the policy", () => {
    expect(answerRetry(stored)).toEqual({
      ok: true,
      value: { returnCode: "10001", info: { orderNo: "VM1", matchCode: "21", carrier: "CUCC", billable: false, duplicate: true } },
    });
  });
});
