// Every encryption recipe has its Chinese twin (docs/recipes/<language>.zh-CN.md), and the twin's
// code is the English page's code, block for block: only the prose is translated, so a change to
// a recipe's code cannot leave the Chinese page behind.
/// <reference types="node" />
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/lib/paths.ts";

const RECIPES = join(ROOT, "docs/recipes");
const ENGLISH = readdirSync(RECIPES).filter((name) => name.endsWith(".md") && !name.endsWith(".zh-CN.md"));

const codeBlocks = (markdown: string) => [...markdown.matchAll(/```[^\n]*\n[\s\S]*?```\n/g)].map((found) => found[0]);
const read = (name: string) => readFileSync(join(RECIPES, name), "utf8");

describe("the Chinese recipe pages", () => {
  it("exist for every recipe, and for no other", () => {
    const twins = readdirSync(RECIPES).filter((name) => name.endsWith(".zh-CN.md"));
    expect(twins.sort()).toEqual(ENGLISH.map((name) => name.replace(/\.md$/, ".zh-CN.md")).sort());
  });

  it.each(ENGLISH)("show the code of %s, block for block", (name) => {
    const twin = name.replace(/\.md$/, ".zh-CN.md");
    expect(
      codeBlocks(read(twin)),
      `copy the changed code blocks of docs/recipes/${name} into docs/recipes/${twin}`,
    ).toEqual(codeBlocks(read(name)));
  });

  it.each(ENGLISH)("translate the prose of %s", (name) => {
    const prose = read(name.replace(/\.md$/, ".zh-CN.md")).replace(/```[\s\S]*?```/g, "");
    expect(prose.match(/[\u4e00-\u9fff]/g)?.length ?? 0).toBeGreaterThan(100);
  });
});
