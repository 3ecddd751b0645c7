// /docs rendered by a real browser (docs/check-docs-page.ts: headless Chromium against its own
// `wrangler dev`, every code and field checked, English and Chinese). The browser is looked up on
// PATH; without one the check is skipped with the reason printed, except in CI, where it fails.
/// <reference types="node" />
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkDocsPage } from "../../docs/check-docs-page.ts";
import { type LocalWorker, startWorker } from "../../scripts/lib/local-worker.ts";
import { browserFor } from "../support/browser.ts";

const browser = browserFor("/docs in headless Chromium");

describe.skipIf(!browser)("/docs in headless Chromium", () => {
  let worker: LocalWorker;
  beforeAll(async () => {
    worker = await startWorker();
  }, 120_000);
  afterAll(() => worker?.stop());

  it("renders every code and request field, in English and in Chinese", async () => {
    expect(await checkDocsPage(browser!, worker.base, "/tmp/docs-page-test.png")).toEqual([]);
  }, 60_000);
});
