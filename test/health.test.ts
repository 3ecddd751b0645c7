import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { health } from "../src/health.ts";

describe("/healthz", () => {
  it("says the sandbox answers when JUHE_KEY is empty", async () => {
    const response = await exports.default.fetch("http://gateway.test/healthz");
    expect([response.status, await response.json()]).toEqual([200, { ok: true, upstream: "sandbox" }]);
  });

  it.each([
    [{ JUHE_KEY: "k", JUHE_OPENID: "o" }, { status: 200, body: { ok: true, upstream: "juhe-encrypted" } }],
    [{ JUHE_KEY: "k", JUHE_MODE: "plain" }, { status: 200, body: { ok: true, upstream: "juhe-plain" } }],
    [{ JUHE_KEY: "k" }, { status: 503, body: { ok: false, upstream: null } }],
  ])("reports %o", (vars, expected) => {
    expect(health({ ...env, ...vars })).toEqual(expected);
  });
});
