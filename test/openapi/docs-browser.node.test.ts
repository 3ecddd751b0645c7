// /docs rendered by a real browser: runs docs/check-docs-page.ts (its own wrangler dev, headless
// Chromium, the rendered DOM checked for every code and field). Chromium is not part of the
// toolchain, so without it the check is skipped with the reason printed.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`docs page: ${CHROMIUM} not installed, skipping the headless screenshot check`);

describe("/docs in headless Chromium", () => {
  it.skipIf(!hasChromium)("renders every code and request field", () => {
    const run = spawnSync(process.execPath, [join(import.meta.dirname, "../../docs/check-docs-page.ts"), "--out", "/tmp/docs-page-test.png"], {
      encoding: "utf8",
      timeout: 120_000,
    });
    expect([run.status, run.stdout.trim()]).toEqual([0, expect.stringMatching(/^ok: .* rendered every code and field/)]);
  }, 150_000);
});
