import { describe, expect, it } from "vitest";
import { fingerprint } from "../../src/duplicates/fingerprint.ts";
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
    ["a Roman numeral NFKC does not spell with letters", "Henry ↀ"],
    ["Cyrillic", "Иван Петров"],
    ["emoji", "张三😀"],
    ["HTML", "<b>张三</b>"],
    ["full-width comma", "张，三"],
  ])("refuses %s", (_label, raw) => {
    expect(parseUserName(raw)).toEqual(BAD);
  });
});

describe("parseUserName: NFKC, after the middle dots", () => {
  it.each([
    ["full-width Latin", "Ｊｏｈｎ", "John"],
    ["full-width Latin and an ideographic space", "Ｊｏｈｎ　Ｓｍｉｔｈ", "John Smith"],
    ["half-width Latin beside full-width", "Jｏhn Smith", "John Smith"],
    ["a Kangxi radical for its ideograph (U+2F08 ⼈)", "\u2F08民", "人民"],
    ["a CJK radical for its ideograph (U+2E9F ⺟)", "张\u2E9F", "张母"],
    ["a compatibility ideograph (U+F900 豈)", "张\uF900", "张\u8C48"],
    ["a compatibility ideograph of the supplement (U+2F800)", "张\u{2F800}", "张\u4E3D"],
    ["a Roman numeral spelled as letters", "Henry Ⅷ", "Henry VIII"],
    ["a Latin ligature", "Ｍaﬁa", "Mafia"],
    ["the full-width full stop as a middle dot, not as ASCII", "阿依古丽．买买提", "阿依古丽·买买提"],
    ["the half-width katakana middle dot", "阿依古丽･买买提", "阿依古丽·买买提"],
    ["the Greek ano teleia (NFKC's own U+00B7)", "阿依古丽\u0387买买提", "阿依古丽·买买提"],
    ["U+00B7 itself, unchanged", "阿依古丽·买买提", "阿依古丽·买买提"],
  ])("%s", (_label, raw, expected) => {
    expect(parseUserName(raw)).toEqual({ ok: true, value: expected });
  });

  it("gives one fingerprint to one person however the name is written", async () => {
    const identity = (userName: string) => ({ idCard: "110101199003074514", userName, loginphone: "13800138000" });
    const print = async (raw: string) => {
      const name = parseUserName(raw);
      if (!name.ok) throw new Error(`refused ${raw}`);
      return fingerprint("test-secret-0123456789abcdef-0123456789", "acc_0000000000000001", identity(name.value));
    };
    expect(new Set(await Promise.all(["John Smith", "Ｊｏｈｎ　Ｓｍｉｔｈ", " John  Smith "].map(print))).size).toBe(1);
    expect(new Set(await Promise.all(["人民", "\u2F08民"].map(print))).size).toBe(1);
  });
});
