// README.md is the front page: short (the manual lives in docs/), and its "Where to go next" table leads to
// every page of the manual under docs/, so a new page cannot be left where nobody finds it.
/// <reference types="node" />
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/lib/paths.ts";

/** The front page's budget in bytes: what the manual's pages are for. */
const MAX_BYTES = 20_000;
const readme = readFileSync(join(ROOT, "README.md"), "utf8");
const PAGES = readdirSync(join(ROOT, "docs")).filter((name) => name.endsWith(".md"));

/** The "Where to go next" section, up to the next heading. */
const next = /## Where to go next\n([\s\S]*?)(?=\n## |$)/.exec(readme)?.[1] ?? "";

describe("README.md", () => {
  it(`stays under ${MAX_BYTES} bytes`, () => {
    expect(Buffer.byteLength(readme)).toBeLessThan(MAX_BYTES);
  });

  it("links every docs/ page from its Where to go next table", () => {
    expect(PAGES.length).toBeGreaterThan(10);
    expect(
      PAGES.filter((name) => !next.includes(`](docs/${name})`)),
      "add a row (or a link in a row) to README.md's Where to go next for each",
    ).toEqual([]);
  });
});
