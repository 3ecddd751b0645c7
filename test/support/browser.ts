// Whether a browser test can run: the browser on PATH, or the reason it is skipped (a failure in CI,
// see toolchain.ts). Driving the browser is scripts/lib/browser.ts, shared with docs/check-docs-page.ts.
/// <reference types="node" />
import { BROWSER_NAMES, findBrowser } from "../../scripts/lib/browser.ts";
import { canRun } from "./toolchain.ts";

/** The browser to run, or null with the reason printed. */
export function browserFor(what: string): string | null {
  const found = findBrowser();
  return canRun(
    what,
    found ? null : `no browser on PATH (${BROWSER_NAMES.join(", ")}; apt-get install -y chromium fonts-noto-cjk)`,
  )
    ? found
    : null;
}
