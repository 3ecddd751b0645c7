// The console's script is TypeScript (src/admin/console/browser/) bundled into a committed module:
// this fails when the module is not what `npm run build:console` makes from the sources today.
/// <reference types="node" />
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONSOLE_GENERATED, consoleModule } from "../../scripts/build-console.ts";

describe("the console's bundled script", () => {
  it("is what npm run build:console makes from src/admin/console/browser/", async () => {
    expect(readFileSync(CONSOLE_GENERATED, "utf8")).toBe(await consoleModule());
  });
});
