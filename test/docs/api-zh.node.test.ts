// docs/api.zh-CN.md, the caller's guide in Chinese: its generated sections are what
// `npm run docs:zh` makes from the code now, every code has a cause and advice, and its links lead
// to files that exist.
/// <reference types="node" />
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { CODE_GUIDE, GUIDE_PATH, renderGuide } from "../../docs/make-api-zh.ts";
import { ERROR_CODES } from "../../src/wire/codes.ts";

const guide = readFileSync(GUIDE_PATH, "utf8");

describe("docs/api.zh-CN.md", () => {
  it("is up to date with the code (npm run docs:zh)", () => {
    expect(renderGuide(guide), "run `npm run docs:zh` and commit docs/api.zh-CN.md").toBe(guide);
  });

  it("has a cause and advice for every code, and no others", () => {
    expect(Object.keys(CODE_GUIDE).sort()).toEqual(Object.keys(ERROR_CODES).sort());
    for (const [code, { text }] of Object.entries(ERROR_CODES)) {
      const row = guide.split("\n").find((line) => line.startsWith(`| ${code} | \`${text}\` |`));
      const { 原因, 处理建议 } = CODE_GUIDE[code as keyof typeof CODE_GUIDE];
      expect(row, code).toContain(`| ${原因} | ${处理建议} |`);
    }
  });

  it("links only to files that exist", () => {
    const links = [...guide.matchAll(/\]\(([^)#]+)\)/g)].map((m) => m[1]!).filter((l) => !/^https?:/.test(l));
    expect(links.length).toBeGreaterThan(8);
    expect(links.filter((l) => !existsSync(join(dirname(GUIDE_PATH), l)))).toEqual([]);
  });
});
