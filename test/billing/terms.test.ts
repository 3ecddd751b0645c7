import { describe, expect, it } from "vitest";
import { refusal } from "../../src/billing/terms.ts";

const open = { balanceFen: null, spendableFen: null, remaining: null };

describe("refusal", () => {
  it.each([
    ["balance zero", { ...open, balanceFen: 0, spendableFen: 0 }, "104"],
    ["balance negative", { ...open, balanceFen: -1, spendableFen: -1 }, "104"],
    ["spendable below price", { ...open, balanceFen: 100, spendableFen: 49 }, "312"],
    ["no counts left", { ...open, remaining: 0 }, "313"],
    ["balance checked before counts", { balanceFen: 10, spendableFen: 10, remaining: 0 }, "312"],
  ] as const)("%s → %s", (_name, available, code) => {
    expect(refusal(available, 50)).toBe(code);
  });

  it.each([
    ["unmetered, not prepaid", open],
    ["spendable equals price", { ...open, balanceFen: 50, spendableFen: 50 }],
    ["one count left", { ...open, remaining: 1 }],
  ] as const)("lets %s go ahead", (_name, available) => {
    expect(refusal(available, 50)).toBeNull();
  });
});
