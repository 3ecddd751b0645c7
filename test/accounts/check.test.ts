import { describe, expect, it } from "vitest";
import { checkAccount } from "../../src/accounts/check.ts";
import type { AccountRecord } from "../../src/accounts/record.ts";
import { chinaDay } from "../../src/platform/time.ts";

const base: AccountRecord = {
  id: "acc_0123456789abcdef",
  name: "Test",
  status: "active",
  services: { verifyMobile: { priceFen: 50, remaining: null } },
  contractEnd: "2026-12-31",
  duplicatePolicy: "reject",
  dedupTtl: 60,
  openingBalanceFen: null,
  rateLimit: 50,
  subjectBudget: 10,
  diagnostics: false,
  alertBalanceFen: null,
  alertQuota: null,
  tokenHash: "0".repeat(64),
  sealedLogonKey: "v1.x.y",
  cipher: "aes-cbc",
  requireSign: false,
  allowIps: null,
  previousToken: null,
  previousLogonKey: null,
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
};
const TODAY = "2026-11-26";

describe("checkAccount", () => {
  it.each([
    ["offline", { status: "offline" }, "103"],
    ["frozen", { status: "frozen" }, "304"],
    ["no services", { services: {} }, "311"],
    ["other services only", { services: { verifyBank: { priceFen: 1, remaining: null } } }, "305"],
    ["contract ended yesterday", { contractEnd: "2026-11-25" }, "314"],
    ["offline wins over other faults", { status: "offline", services: {} }, "103"],
  ] as const)("%s → %s", (_name, patch, code) => {
    expect(checkAccount({ ...base, ...patch } as AccountRecord, "verifyMobile", TODAY, null)).toMatchObject({
      ok: false,
      code,
    });
  });

  it("names the day an ended contract ended", () => {
    expect(checkAccount({ ...base, contractEnd: "2026-11-25" }, "verifyMobile", TODAY, null)).toEqual({
      ok: false,
      code: "314",
      reason: "账户合同已于2026-11-25（北京时间）到期：请联系运营方续约",
    });
  });

  it.each([
    ["zero", 0],
    ["negative", -5],
  ])("answers 104 when the known balance is %s", (_name, balance) => {
    expect(checkAccount(base, "verifyMobile", TODAY, balance)).toEqual({ ok: false, code: "104" });
  });

  it("checks the balance before frozen", () => {
    expect(checkAccount({ ...base, status: "frozen" }, "verifyMobile", TODAY, 0)).toEqual({ ok: false, code: "104" });
  });

  it.each([
    ["not prepaid", null],
    ["positive", 1],
  ])("passes a balance that is %s", (_name, balance) => {
    expect(checkAccount(base, "verifyMobile", TODAY, balance).ok).toBe(true);
  });

  it.each([
    ["active, open-ended", { contractEnd: null }],
    ["contract ends today (inclusive)", { contractEnd: TODAY }],
  ] as const)("passes: %s", (_name, patch) => {
    expect(checkAccount({ ...base, ...patch } as AccountRecord, "verifyMobile", TODAY, null)).toEqual({
      ok: true,
      value: undefined,
    });
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
