import { env, exports } from "cloudflare:workers";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { health } from "../../src/config/health.ts";

describe("/healthz", () => {
  it("says the sandbox answers when UPSTREAMS chooses it", async () => {
    const response = await exports.default.fetch("http://gateway.test/healthz");
    expect([response.status, await response.json()]).toEqual([200, { ok: true, upstream: "sandbox" }]);
  });

  it.each([
    [
      { UPSTREAMS: "juhe", JUHE_KEY: "k", JUHE_OPENID: "o" },
      { status: 200, body: { ok: true, upstream: "juhe-encrypted" } },
    ],
    [
      { UPSTREAMS: "juhe", JUHE_KEY: "k", JUHE_MODE: "plain" },
      { status: 200, body: { ok: true, upstream: "juhe-plain" } },
    ],
    [
      { UPSTREAMS: "juhe", JUHE_KEY: "k" },
      { status: 503, body: { ok: false, upstream: null } },
    ],
    [{ UPSTREAMS: "juhe" }, { status: 503, body: { ok: false, upstream: null } }],
    [{ UPSTREAMS: "" }, { status: 503, body: { ok: false, upstream: null } }],
    [
      { UPSTREAMS: "sandbox", JUHE_BASE_URL: "http://juhe.example" },
      { status: 503, body: { ok: false, upstream: null } },
    ],
    [
      { UPSTREAMS: "sandbox", JUHE_BASE_URL: "http://127.0.0.1:9999" },
      { status: 200, body: { ok: true, upstream: "sandbox" } },
    ],
  ])("reports %o", (vars, expected) => {
    expect(health({ ...env, ...vars })).toEqual(expected);
  });

  it("never falls back to the sandbox: a deployment without UPSTREAMS and JUHE_KEY is a configuration error", () => {
    const { UPSTREAMS: _, ...deployed } = env;
    expect(health({ ...deployed, JUHE_KEY: "" } as unknown as Env)).toEqual({
      status: 503,
      body: { ok: false, upstream: null },
    });
  });

  it("logs one line naming the missing setting, once per isolate", () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    onTestFinished(() => log.mockRestore());
    const broken = { ...env, UPSTREAMS: "juhe", JUHE_KEY: "" };
    health(broken);
    health(broken);
    expect(log).toHaveBeenCalledTimes(1);
    expect(JSON.parse(String(log.mock.calls[0]![0]))).toEqual({
      level: "error",
      event: "config_invalid",
      problems: "missing JUHE_KEY (UPSTREAMS names juhe), JUHE_OPENID (UPSTREAMS names juhe)",
    });
  });
});
