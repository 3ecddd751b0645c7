import { describe, expect, it } from "vitest";
import { parseUserName } from "../../src/identity/name.ts";
import { VALID_NAMES } from "../fixtures/identities.ts";

const BAD = { ok: false, code: "306", param: "userName" };

describe("parseUserName: valid names", () => {
  it.each(Object.values(VALID_NAMES))("accepts %s unchanged", (name) => {
    expect(parseUserName(name)).toEqual({ ok: true, value: name });
  });

  it.each([
    ["U+2022 •", "阿依古丽•买买提"],
    ["U+30FB ・", "阿依古丽・买买提"],
    ["U+FF0E ．", "阿依古丽．买买提"],
    ["U+2027 ‧", "阿依古丽‧买买提"],
    ["U+FF65 ･", "阿依古丽･买买提"],
  ])("normalises the middle dot variant %s to U+00B7", (_label, raw) => {
    expect(parseUserName(raw)).toEqual({ ok: true, value: "阿依古丽·买买提" });
  });

  it.each([
    ["accented Latin", "José Núñez", "José Núñez"],
    ["German", "Jürgen Groß", "Jürgen Groß"],
    ["combining accent composed to NFC", "Jose\u0301 Nu\u0301n\u0303ez", "José Núñez"],
    ["single Latin word", "Madonna", "Madonna"],
    ["Latin runs of spaces collapsed", "John   Smith", "John Smith"],
    ["surrounding whitespace trimmed", "  张三 \t", "张三"],
    ["several dots", "爱新觉罗·溥仪·某", "爱新觉罗·溥仪·某"],
    ["Extension A ideograph", "张㐀", "张㐀"],
    ["Extension B ideograph", "张𠀀", "张𠀀"],
    ["two characters", "王五", "王五"],
    ["exactly 30 characters", "张".repeat(30), "张".repeat(30)],
    ["two Latin letters", "Li", "Li"],
  ])("accepts %s", (_label, raw, expected) => {
    expect(parseUserName(raw)).toEqual({ ok: true, value: expected });
  });
});

describe("parseUserName: refused as 306 userName", () => {
  it.each([
    ["empty", ""],
    ["blank", "   "],
    ["one character", "张"],
    ["one Latin letter", "J"],
    ["31 characters", "张".repeat(31)],
    ["31 characters counting code points", "𠀀".repeat(31)],
    ["mixed Han and Latin", "张John"],
    ["mixed Han and Latin with a space", "张三 Smith"],
    ["ASCII dot", "阿依古丽.买买提"],
    ["dot at start", "·买买提"],
    ["dot at end", "阿依古丽·"],
    ["doubled dot", "阿依古丽··买买提"],
    ["dot variant doubled", "阿依古丽•・买买提"],
    ["space inside a Han name", "张 三"],
    ["dot in a Latin name", "John·Smith"],
    ["digits", "张三1"],
    ["digits only", "12345"],
    ["hyphen", "Jean-Pierre"],
    ["apostrophe", "O'Brien"],
    ["Roman numeral", "Henry Ⅷ"],
    ["Cyrillic", "Иван Петров"],
    ["emoji", "张三😀"],
    ["HTML", "<b>张三</b>"],
    ["full-width comma", "张，三"],
  ])("refuses %s", (_label, raw) => {
    expect(parseUserName(raw)).toEqual(BAD);
  });
});
