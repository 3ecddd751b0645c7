// The floor check of `npm run lint` (scripts/check-floors.ts): what it refuses and what it lets by.
/// <reference types="node" />
import { describe, expect, it } from "vitest";
import { parseFloors, violations } from "../../scripts/check-floors.ts";

const FLOORS = parseFloors(
  "<!-- floors -->\n| floor | folders | what |\n|---|---|---|\n| 1 | `wire` | x |\n| 2 | `platform`, `crypto` | y |\n| 3 | `index.ts` | z |\n\nafter",
);

function check(file: string, source: string): string[] {
  return violations(new Map([[file, source]]), FLOORS);
}

describe("parseFloors", () => {
  it("reads each folder's floor from the table after the marker", () => {
    expect([...FLOORS]).toEqual([
      ["wire", 1],
      ["platform", 2],
      ["crypto", 2],
      ["index.ts", 3],
    ]);
  });
});

describe("violations", () => {
  it("refuses an import that runs up a floor, naming both", () => {
    expect(check("src/wire/order-number.ts", 'import { x } from "../platform/time.ts";')).toEqual([
      "src/wire/order-number.ts imports src/platform/time.ts: wire (floor 1) may not import platform (floor 2); " +
        "move what it needs down to where it is made (ARCHITECTURE.md, Floors)",
    ]);
  });

  it("refuses a type-only import that runs up", () => {
    expect(check("src/wire/a.ts", 'import type { T } from "../crypto/b.ts";')).toHaveLength(1);
  });

  it("lets an import down, across one floor, or within a folder by", () => {
    expect(check("src/index.ts", 'import "./wire/codes.ts"; import "./platform/log.ts";')).toEqual([]);
    expect(check("src/crypto/a.ts", 'import "../platform/log.ts"; import "./b.ts";')).toEqual([]);
  });

  it("names a folder that has no floor", () => {
    expect(check("src/wire/a.ts", 'import "../billing/b.ts";')).toEqual([
      "src/wire/a.ts imports src/billing/b.ts: src/billing has no floor; add it to the Floors table in ARCHITECTURE.md",
    ]);
  });

  it("refuses src importing from outside src", () => {
    expect(check("src/wire/a.ts", 'import "../../scripts/lib/paths.ts";')).toEqual([
      "src/wire/a.ts imports scripts/lib/paths.ts: a file under src/ imports only from src/",
    ]);
  });

  it("refuses test/ imported from outside test/, but lets the bench read the fixtures", () => {
    expect(check("docs/check-docs-page.ts", 'import "../test/support/browser.ts";')).toEqual([
      "docs/check-docs-page.ts imports test/support/browser.ts: only tests import from test/ (move what it needs to scripts/lib/)",
    ]);
    expect(check("bench/workload.ts", 'import "../test/fixtures/identities.ts";')).toEqual([]);
  });

  it("ignores packages", () => {
    expect(check("src/wire/a.ts", 'import { z } from "zod";')).toEqual([]);
  });
});
