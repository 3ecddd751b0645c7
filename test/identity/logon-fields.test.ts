import { describe, expect, it } from "vitest";
import { parseLogonFields } from "../../src/identity/logon-fields.ts";
import {
  FIXTURE_NOW,
  ID_CARD_15,
  INVALID_ID_CARDS,
  VALID_ID_CARDS,
  VALID_IDENTITY,
  VALID_LOGON,
  VALID_NAMES,
  VALID_PHONES,
} from "../fixtures/identities.ts";

const now = FIXTURE_NOW;
const bad = (param: string) => ({ ok: false, code: "306", param });

describe("parseLogonFields: accepted", () => {
  it("returns the identity of a valid logon", () => {
    expect(parseLogonFields(VALID_LOGON, now)).toEqual({ ok: true, value: VALID_IDENTITY });
  });

  it("normalises every field", () => {
    const logon = { idCard: " 11010519491231002x ", userName: "阿依古丽•买买提", loginphone: "+86 138-0013-8000" };
    expect(parseLogonFields(logon, now)).toEqual({
      ok: true,
      value: { idCard: VALID_ID_CARDS.checkCharX, userName: VALID_NAMES.minority, loginphone: VALID_PHONES.cmcc },
    });
  });

  it("upgrades a 15-digit ID", () => {
    expect(parseLogonFields({ ...VALID_LOGON, idCard: ID_CARD_15.raw }, now)).toEqual({
      ok: true,
      value: { ...VALID_IDENTITY, idCard: ID_CARD_15.upgraded },
    });
  });

  it("accepts a phone sent as a JSON number", () => {
    expect(parseLogonFields({ ...VALID_LOGON, loginphone: 13800138000 }, now)).toEqual({
      ok: true,
      value: VALID_IDENTITY,
    });
  });

  it("accepts a 15-digit ID sent as a JSON number", () => {
    expect(parseLogonFields({ ...VALID_LOGON, idCard: Number(ID_CARD_15.raw) }, now)).toEqual({
      ok: true,
      value: { ...VALID_IDENTITY, idCard: ID_CARD_15.upgraded },
    });
  });

  it("ignores unknown keys", () => {
    expect(parseLogonFields({ ...VALID_LOGON, extra: [1, 2], sign: "x" }, now)).toEqual({
      ok: true,
      value: VALID_IDENTITY,
    });
  });

  it("works on what JSON.parse gives", () => {
    expect(parseLogonFields(JSON.parse(JSON.stringify(VALID_LOGON)), now)).toEqual({ ok: true, value: VALID_IDENTITY });
  });
});

describe("parseLogonFields: missing or wrong-typed fields", () => {
  it.each([
    ["idCard missing", { userName: VALID_LOGON.userName, loginphone: VALID_LOGON.loginphone }, "idCard"],
    ["idCard empty", { ...VALID_LOGON, idCard: "" }, "idCard"],
    ["idCard null", { ...VALID_LOGON, idCard: null }, "idCard"],
    ["idCard an object", { ...VALID_LOGON, idCard: { v: VALID_LOGON.idCard } }, "idCard"],
    // an ID number beyond 2^53, as JSON.parse reads it (already rounded: hence built from text)
    ["idCard an unsafe integer", { ...VALID_LOGON, idCard: Number("110101199003074514") }, "idCard"],
    ["idCard a fraction", { ...VALID_LOGON, idCard: 1.5 }, "idCard"],
    ["idCard malformed", { ...VALID_LOGON, idCard: "1234" }, "idCard"],
    ["userName missing", { idCard: VALID_LOGON.idCard, loginphone: VALID_LOGON.loginphone }, "userName"],
    ["userName empty", { ...VALID_LOGON, userName: "" }, "userName"],
    ["userName a number", { ...VALID_LOGON, userName: 12 }, "userName"],
    ["userName an array", { ...VALID_LOGON, userName: ["张三"] }, "userName"],
    ["userName malformed", { ...VALID_LOGON, userName: "张John" }, "userName"],
    ["loginphone missing", { idCard: VALID_LOGON.idCard, userName: VALID_LOGON.userName }, "loginphone"],
    ["loginphone empty", { ...VALID_LOGON, loginphone: "" }, "loginphone"],
    ["loginphone boolean", { ...VALID_LOGON, loginphone: true }, "loginphone"],
    ["loginphone a fraction", { ...VALID_LOGON, loginphone: 13800138000.5 }, "loginphone"],
    ["loginphone 12 digits", { ...VALID_LOGON, loginphone: "138001380001" }, "loginphone"],
    ["loginphone a 12x number", { ...VALID_LOGON, loginphone: 12012345678 }, "loginphone"],
  ])("%s → 306 %s", (_label, logon, param) => {
    expect(parseLogonFields(logon, now)).toEqual(bad(param));
  });
});

describe("parseLogonFields: order of errors", () => {
  it.each([
    ["idCard before userName", { idCard: "x", userName: "", loginphone: "" }, bad("idCard")],
    ["userName before loginphone", { ...VALID_LOGON, userName: "", loginphone: "" }, bad("userName")],
    ["all missing → idCard", {}, bad("idCard")],
  ])("306: %s", (_label, logon, expected) => {
    expect(parseLogonFields(logon, now)).toEqual(expected);
  });

  it.each([
    [
      "bad check digit + empty userName",
      { ...VALID_LOGON, idCard: INVALID_ID_CARDS.badCheckDigit, userName: "" },
      "userName",
    ],
    [
      "future birth + bad phone",
      { ...VALID_LOGON, idCard: INVALID_ID_CARDS.futureBirth, loginphone: "123" },
      "loginphone",
    ],
    ["province 99 + missing phone", { idCard: INVALID_ID_CARDS.province99, userName: "张三" }, "loginphone"],
  ])("306 of a later field comes before 310 of idCard: %s", (_label, logon, param) => {
    expect(parseLogonFields(logon, now)).toEqual(bad(param));
  });

  it.each(Object.entries(INVALID_ID_CARDS))(
    "310 when every field is well-formed but the ID is %s",
    (_label, idCard) => {
      const outcome = parseLogonFields({ ...VALID_LOGON, idCard }, now);
      expect(outcome).toMatchObject({ ok: false, code: "310" });
      expect(outcome).not.toHaveProperty("param");
    },
  );
});

describe("parseLogonFields: failures never carry personal data", () => {
  const cases = [
    ...Object.values(INVALID_ID_CARDS).map((idCard) => ({ ...VALID_LOGON, idCard })),
    { ...VALID_LOGON, idCard: "11010119900307451" },
    { ...VALID_LOGON, userName: "张John" },
    { ...VALID_LOGON, loginphone: "138001380001" },
  ];

  it.each(cases)("outcome for %j holds none of its fields", (logon) => {
    const text = JSON.stringify(parseLogonFields(logon, now));
    for (const value of Object.values(logon)) expect(text).not.toContain(value);
    expect(text).not.toMatch(/\d{4,}/);
  });
});
