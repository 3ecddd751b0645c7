// The configuration derives from the vendors' descriptors (docs/contract.md §9, docs/upstreams.md
// "How to add a vendor"): names, settings with defaults, required secrets.
import { describe, expect, it } from "vitest";
import { readConfig, UPSTREAM_NAMES, VENDOR_SETTINGS } from "../../src/config/config.ts";

const SECRET = "test-service-secret-0123456789abcdef";

describe("the configuration derived from the list", () => {
  it("knows every vendor's name, and the sandbox", () => {
    expect(UPSTREAM_NAMES).toEqual(["juhe", "juhe3", "tencent", "sandbox"]);
  });

  it("reads every vendor's settings, defaults applied", () => {
    const parsed = readConfig({ SERVICE_SECRET: SECRET, UPSTREAMS: "sandbox" });
    expect(parsed.ok && parsed.config.vendorSettings).toEqual(
      Object.fromEntries([...VENDOR_SETTINGS].map(([name, s]) => [name, s.fallback])),
    );
  });

  it("without UPSTREAMS, names the default chain and each vendor's required secrets as missing", () => {
    expect(readConfig({ SERVICE_SECRET: SECRET })).toEqual({
      ok: false,
      problems:
        "missing JUHE_KEY (UPSTREAMS names juhe), JUHE_OPENID (UPSTREAMS names juhe), JUHE3_KEY (UPSTREAMS names juhe3), JUHE_OPENID (UPSTREAMS names juhe3), TENCENT_SECRET_ID (UPSTREAMS names tencent), TENCENT_SECRET_KEY (UPSTREAMS names tencent)",
    });
  });

  it("a vendor setting that does not parse is named like any other", () => {
    expect(readConfig({ SERVICE_SECRET: SECRET, UPSTREAMS: "sandbox", TENCENT_BASE_URL: "http://evil.test" })).toEqual({
      ok: false,
      problems: "TENCENT_BASE_URL: must be https:// (http:// only to localhost)",
    });
  });
});
