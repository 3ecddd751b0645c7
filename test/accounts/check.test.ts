import { describe, expect, it } from "vitest";
import { checkAccount, checkQuota, chinaDay } from "../../src/accounts/check.ts";
import type { AccountRecord } from "../../src/accounts/record.ts";

const base: AccountRecord = {
  id: "acc_0123456789abcdef",
  name: "Test",
  status: "active",
  services: { verifyMobile: { priceFen: 50, remaining: null } },
  contractEnd: "2026-12-31",
  duplicatePolicy: "reject",
  dedupTtl: 60,
  balanceFen: null,
  tokenHash: "0".repeat(64),
  sealedLogonKey: "v1.x.y",
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
};
const TODAY = "2026-11-26";

describe("checkAccount", () => {
  it.each([
    ["offline", { status: "offline" }, "103"],
    ["balance zero", { balanceFen: 0 }, "104"],
    ["balance negative", { balanceFen: -5 }, "104"],
    ["frozen", { status: "frozen" }, "304"],
    ["no services", { services: {} }, "311"],
    ["other services only", { services: { verifyBank: { priceFen: 1, remaining: null } } }, "305"],
    ["contract ended yesterday", { contractEnd: "2026-11-25" }, "314"],
    ["offline wins over frozen-like faults", { status: "offline", balanceFen: 0, services: {} }, "103"],
    ["balance before frozen", { status: "frozen", balanceFen: 0 }, "104"],
  ] as const)("%s → %s", (_name, patch, code) => {
    expect(checkAccount({ ...base, ...patch } as AccountRecord, "verifyMobile", TODAY)).toEqual({ ok: false, code });
  });

  it.each([
    ["active, open-ended", { contractEnd: null }],
    ["contract ends today (inclusive)", { contractEnd: TODAY }],
    ["positive balance", { balanceFen: 1 }],
  ] as const)("passes: %s", (_name, patch) => {
    expect(checkAccount({ ...base, ...patch } as AccountRecord, "verifyMobile", TODAY)).toEqual({ ok: true, value: undefined });
  });
});

describe("checkQuota", () => {
  it.each([
    ["balance below price", { balanceFen: 49 }, "312"],
    ["no answers left", { services: { verifyMobile: { priceFen: 50, remaining: 0 } } }, "313"],
    ["balance checked before count", { balanceFen: 10, services: { verifyMobile: { priceFen: 50, remaining: 0 } } }, "312"],
  ] as const)("%s → %s", (_name, patch, code) => {
    expect(checkQuota({ ...base, ...patch } as AccountRecord, "verifyMobile")).toEqual({ ok: false, code });
  });

  it.each([
    ["unmetered, not prepaid", {}],
    ["balance equals price", { balanceFen: 50 }],
    ["one answer left", { services: { verifyMobile: { priceFen: 50, remaining: 1 } } }],
  ] as const)("passes: %s", (_name, patch) => {
    expect(checkQuota({ ...base, ...patch } as AccountRecord, "verifyMobile").ok).toBe(true);
  });
});

describe("chinaDay", () => {
  it("is already tomorrow at 16:00 UTC", () => {
    expect(chinaDay(Date.parse("2026-11-25T16:00:00Z"))).toBe("2026-11-26");
  });

  it("is still today at 15:59 UTC", () => {
    expect(chinaDay(Date.parse("2026-11-25T15:59:59Z"))).toBe("2026-11-25");
  });
});
