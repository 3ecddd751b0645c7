// docs/upstreams.md, the operator's guide to the vendors: its vendors table is what
// `node docs/make-upstreams.ts` makes from the descriptors now, and its links lead to files that exist.
/// <reference types="node" />
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { PAGE_PATH, renderPage } from "../../docs/make-upstreams.ts";

const page = readFileSync(PAGE_PATH, "utf8");

describe("docs/upstreams.md", () => {
  it("is up to date with the vendors' descriptors (node docs/make-upstreams.ts)", () => {
    expect(renderPage(page), "run `node docs/make-upstreams.ts` and commit docs/upstreams.md").toBe(page);
  });

  it("links only to files that exist", () => {
    const links = [...page.matchAll(/\]\(([^)#]+)\)/g)].map((m) => m[1]!).filter((l) => !/^https?:/.test(l));
    expect(links.filter((l) => !existsSync(join(dirname(PAGE_PATH), l)))).toEqual([]);
  });
});
