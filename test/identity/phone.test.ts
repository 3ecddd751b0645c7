import { describe, expect, it } from "vitest";
import { parsePhone } from "../../src/identity/phone.ts";
import { VALID_PHONES } from "../fixtures/identities.ts";

const BAD = { ok: false, code: "306", param: "loginphone" };

describe("parsePhone: accepted", () => {
  it.each(Object.values(VALID_PHONES))("accepts %s unchanged", (phone) => {
    expect(parsePhone(phone)).toEqual({ ok: true, value: phone });
  });

  it.each([
    ["+86 prefix", "+8613800138000"],
    ["86 prefix", "8613800138000"],
    ["+86 with a space", "+86 13800138000"],
    ["spaces", "138 0013 8000"],
    ["dashes", "138-0013-8000"],
    ["+86 with dashes", "+86-138-0013-8000"],
    ["surrounding whitespace", " 13800138000 \n"],
  ])("normalises %s", (_label, raw) => {
    expect(parsePhone(raw)).toEqual({ ok: true, value: "13800138000" });
  });

  it.each([
    ["13x", "13012345678"],
    ["14x", "14512345678"],
    ["16x", "16612345678"],
    ["17x", "17012345678"],
    ["19x", "19112345678"],
  ])("does not reject by segment: %s", (_label, phone) => {
    expect(parsePhone(phone)).toEqual({ ok: true, value: phone });
  });

  it("strips +86 before a number that itself starts with 186", () => {
    expect(parsePhone("+8618612345678")).toEqual({ ok: true, value: "18612345678" });
  });
});

describe("parsePhone: refused as 306 loginphone", () => {
  it.each([
    ["empty", ""],
    ["blank", "  "],
    ["10 digits", "1380013800"],
    ["12 digits", "138001380001"],
    ["segment 12x", "12012345678"],
    ["segment 11x", "11012345678"],
    ["segment 10x", "10012345678"],
    ["leading 0", "01380013800"],
    ["86 with too few digits", "86138001380"],
    ["+86 with 12 digits", "+86138001380001"],
    ["other country code", "+85213800138000"],
    ["0086 prefix", "008613800138000"],
    ["+ without 86", "+13800138000"],
    ["letters", "1380013800a"],
    ["full-width digits", "１３８００１３８０００"],
    ["parentheses", "(138)00138000"],
    ["landline", "010-12345678"],
  ])("refuses %s", (_label, raw) => {
    expect(parsePhone(raw)).toEqual(BAD);
  });
});
