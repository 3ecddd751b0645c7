// The vendors' descriptors (src/upstream/vendors.ts) hold together, and the configuration derives
// from them (docs/contract.md §9, docs/upstreams.md "How to add a vendor").
import { describe, expect, it } from "vitest";
import type { UpstreamDescriptor } from "../../src/upstream/descriptor.ts";
import { VENDORS } from "../../src/upstream/vendors.ts";

const vendors: readonly UpstreamDescriptor[] = VENDORS;

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
