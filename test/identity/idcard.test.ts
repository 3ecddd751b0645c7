import { describe, expect, it } from "vitest";
import { checkChar, idCardShape, idCardValidity, parseIdCard } from "../../src/identity/idcard.ts";
import { FIXTURE_NOW, ID_CARD_15, INVALID_ID_CARDS, VALID_ID_CARDS, withCheckDigit } from "../fixtures/identities.ts";

const now = FIXTURE_NOW;
const idWithProvince = (province: string) => withCheckDigit(`${province}010119900101123`);
const idBornOn = (yyyymmdd: string) => withCheckDigit(`110101${yyyymmdd}123`);

const BAD_CHECK = { ok: false, code: "310", reason: "身份证校验位错误" };
const BAD_DATE = { ok: false, code: "310", reason: "身份证出生日期无效" };
const BAD_PROVINCE = { ok: false, code: "310", reason: "身份证地区码无效" };
const BAD_SHAPE = { ok: false, code: "306", param: "idCard" };

describe("parseIdCard: valid numbers", () => {
  it.each(Object.entries(VALID_ID_CARDS))("accepts %s", (_label, id) => {
    expect(parseIdCard(id, now)).toEqual({ ok: true, value: id });
  });

  it("accepts a lower-case x check character and returns it upper-case", () => {
    expect(parseIdCard("11010519491231002x", now)).toEqual({ ok: true, value: "11010519491231002X" });
  });

  it("trims surrounding whitespace", () => {
    expect(parseIdCard(`  ${VALID_ID_CARDS.beijing}\n`, now)).toEqual({ ok: true, value: VALID_ID_CARDS.beijing });
  });

  it("upgrades a 15-digit first-generation number to 18 characters", () => {
    expect(parseIdCard(ID_CARD_15.raw, now)).toEqual({ ok: true, value: ID_CARD_15.upgraded });
  });

  it("accepts someone born today in China (UTC+8) while it is still yesterday in UTC", () => {
    // 2025-05-31T20:00Z is 2025-06-01 04:00 in Beijing.
    expect(parseIdCard(idBornOn("20250601"), new Date("2025-05-31T20:00:00Z"))).toEqual({
      ok: true,
      value: idBornOn("20250601"),
    });
  });

  it("accepts the earliest allowed birth date, 1900-01-01", () => {
    expect(parseIdCard(idBornOn("19000101"), now)).toEqual({ ok: true, value: idBornOn("19000101") });
  });
});

describe("parseIdCard: wrong shape is 306 idCard", () => {
  it.each([
    ["empty", ""],
    ["blank", "   "],
    ["17 digits", "11010119900307451"],
    ["19 digits", "1101011990030745140"],
    ["16 digits", "1101019003074510"],
    ["14 digits", "11010190030745"],
    ["X in the middle", "1101011990X3074514"],
    ["X on a 15-digit number", "11010190030745X"],
    ["letter other than X", "11010119900307451A"],
    ["inner space", "110101 199003074514"],
    ["full-width digits", "１１０１０１１９９００３０７４５１４"],
    ["dashes", "110101-19900307-4514"],
  ])("refuses %s", (_label, raw) => {
    expect(parseIdCard(raw, now)).toEqual(BAD_SHAPE);
  });
});

describe("parseIdCard: check character (GB 11643-1999 MOD 11-2)", () => {
  it("refuses a wrong check digit", () => {
    expect(parseIdCard(INVALID_ID_CARDS.badCheckDigit, now)).toEqual(BAD_CHECK);
  });

  it("refuses X where a digit is due", () => {
    expect(parseIdCard("11010119900307451X", now)).toEqual(BAD_CHECK);
  });

  it("refuses a digit where X is due", () => {
    expect(parseIdCard("110105194912310020", now)).toEqual(BAD_CHECK);
  });

  it.each(Object.values(VALID_ID_CARDS))("agrees with the fixture's independent implementation for %s", (id) => {
    expect(checkChar(id.slice(0, 17))).toBe(id[17]);
  });
});

describe("parseIdCard: birth date", () => {
  it.each([
    ["Feb 29 2000 (leap year)", "20000229"],
    ["Feb 29 2024 (leap year)", "20240229"],
    ["Dec 31", "19991231"],
    ["Apr 30", "19990430"],
  ])("accepts %s", (_label, date) => {
    expect(parseIdCard(idBornOn(date), now)).toEqual({ ok: true, value: idBornOn(date) });
  });

  it.each([
    ["Feb 30", INVALID_ID_CARDS.feb30],
    ["Feb 29 1900 (not a leap year)", INVALID_ID_CARDS.feb29NonLeap1900],
    ["Feb 29 2023 (not a leap year)", INVALID_ID_CARDS.feb29NonLeap2023],
    ["born in 2099", INVALID_ID_CARDS.futureBirth],
    ["born before 1900", INVALID_ID_CARDS.before1900],
    ["Apr 31", idBornOn("19990431")],
    ["month 00", idBornOn("19990001")],
    ["month 13", idBornOn("19991301")],
    ["day 00", idBornOn("19990100")],
    ["day 32", idBornOn("19990132")],
    ["the day after now", idBornOn("20250602")],
  ])("refuses %s", (_label, id) => {
    expect(parseIdCard(id, now)).toEqual(BAD_DATE);
  });

  it("refuses someone born tomorrow in China", () => {
    // 2025-06-01T15:59Z is 2025-06-01 23:59 in Beijing: 06-02 is still tomorrow.
    expect(parseIdCard(idBornOn("20250602"), new Date("2025-06-01T15:59:00Z"))).toEqual(BAD_DATE);
  });

  it("refuses an impossible date on an upgraded 15-digit number", () => {
    expect(parseIdCard("110101900230123", now)).toEqual(BAD_DATE);
  });
});

describe("parseIdCard: province code (GB/T 2260)", () => {
  it.each([
    "11",
    "12",
    "13",
    "14",
    "15",
    "21",
    "22",
    "23",
    "31",
    "32",
    "33",
    "34",
    "35",
    "36",
    "37",
    "41",
    "42",
    "43",
    "44",
    "45",
    "46",
    "50",
    "51",
    "52",
    "53",
    "54",
    "61",
    "62",
    "63",
    "64",
    "65",
    "71",
    "81",
    "82",
    "83",
  ])("accepts province %s", (province) => {
    expect(parseIdCard(idWithProvince(province), now)).toEqual({ ok: true, value: idWithProvince(province) });
  });

  it.each([
    "00",
    "10",
    "16",
    "20",
    "24",
    "30",
    "38",
    "40",
    "47",
    "49",
    "55",
    "60",
    "66",
    "70",
    "72",
    "80",
    "84",
    "91",
    "99",
  ])("refuses province %s", (province) => {
    expect(parseIdCard(idWithProvince(province), now)).toEqual(BAD_PROVINCE);
  });

  it("refuses the province-99 fixture", () => {
    expect(parseIdCard(INVALID_ID_CARDS.province99, now)).toEqual(BAD_PROVINCE);
  });

  it("refuses an unknown province on an upgraded 15-digit number", () => {
    expect(parseIdCard("990101900101123", now)).toEqual(BAD_PROVINCE);
  });
});

describe("idCardShape / idCardValidity split", () => {
  it("shape accepts a well-formed number whose check digit is wrong", () => {
    expect(idCardShape(INVALID_ID_CARDS.badCheckDigit)).toEqual({ ok: true, value: INVALID_ID_CARDS.badCheckDigit });
  });

  it("validity refuses it", () => {
    expect(idCardValidity(INVALID_ID_CARDS.badCheckDigit, now)).toEqual(BAD_CHECK);
  });
});

describe("failure reasons never carry the number", () => {
  const invalid = [
    ...Object.values(INVALID_ID_CARDS),
    "11010119900307451X",
    "110101900230123",
    "990101900101123",
    "11010119900307451",
    "1101011990X3074514",
    "11010119900307451A",
  ];

  it.each(invalid)("outcome for %s holds no part of it", (raw) => {
    const outcome = parseIdCard(raw, now);
    expect(outcome.ok).toBe(false);
    const text = JSON.stringify(outcome);
    expect(text).not.toContain(raw);
    // Not even the birth date or the region code.
    expect(text).not.toContain(raw.slice(6, 14));
    expect(text).not.toMatch(/\d{4,}/);
  });
});
