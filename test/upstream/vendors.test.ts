// The vendors' descriptors (src/upstream/vendors.ts) hold together, and the configuration derives
// from them (docs/contract.md §9, docs/upstreams.md "How to add a vendor").
import { describe, expect, it } from "vitest";
import { readConfig, UPSTREAM_NAMES, VENDOR_SETTINGS } from "../../src/platform/config.ts";
import type { UpstreamDescriptor } from "../../src/upstream/descriptor.ts";
import { VENDORS } from "../../src/upstream/vendors.ts";

const vendors: readonly UpstreamDescriptor[] = VENDORS;
const SECRET = "test-service-secret-0123456789abcdef";

describe("each descriptor", () => {
  it.each(vendors.map((v) => [v.name, v] as const))("%s requires only secrets it declares", (_, vendor) => {
    const declared = Object.entries(vendor.settings);
    const secrets = declared.filter(([, s]) => s.secret).map(([name]) => name);
    const defaults = Object.fromEntries(declared.map(([name, s]) => [name, s.fallback]));
    expect(vendor.required(defaults).filter((name) => !secrets.includes(name))).toEqual([]);
  });

  it.each(vendors.map((v) => [v.name, v] as const))("%s's twin sets only settings it declares", (_, vendor) => {
    expect(Object.keys(vendor.sandbox.values).filter((name) => !(name in vendor.settings))).toEqual([]);
  });

  it.each(vendors.map((v) => [v.name, v] as const))("%s answers at least one network", (_, vendor) => {
    expect(vendor.networks.length).toBeGreaterThan(0);
  });
});

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
