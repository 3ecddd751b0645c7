// /admin/console in headless Chromium against the Worker under `wrangler dev`: an operator
// pastes the admin token, loads an account that the TypeScript client has just used, reads its
// numbers, chart and ledger, searches and downloads the ledger, credits it, and leaves nothing
// of the token behind. The screenshot is kept in /tmp/console-test.png to look at.
/// <reference types="node" />
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type Identity, type VerifyMobileError } from "../../client/index.ts";
import { SANDBOX_PEOPLE } from "../../src/sandbox/identities.ts";
import { browserFor, openPage, type Page } from "../support/browser.ts";
import { type LocalWorker, startWorker } from "../support/local-worker.ts";
import { inkOf } from "../support/png.ts";

const browser = browserFor("console in headless Chromium");
const SCREENSHOT = "/tmp/console-test.png";
const [zhang, li] = SANDBOX_PEOPLE;
const ZHANG: Identity = { idCard: zhang.idCard, userName: zhang.name, loginphone: zhang.phone };

let worker: LocalWorker;
let page: Page;
const orderNos: string[] = [];

const text = (id: string) => page.evaluate<string>(`document.getElementById(${JSON.stringify(id)}).textContent`);

describe.skipIf(!browser)("/admin/console in headless Chromium", () => {
  beforeAll(async () => {
    worker = await startWorker({ console: ["--balance", "10000", "--price", "25", "--quota", "100"] });
    const { token, logonKey } = worker.accounts.console!;
    const client = createClient({ baseUrl: worker.base, token, logonKey, retries: 0 });
    // Two billed answers (25 fen each), a 309 and a 503: three codes on today's bar.
    for (const identity of [
      ZHANG,
      ZHANG,
      { ...ZHANG, idCard: li.idCard, loginphone: li.phone, userName: "王二" },
      { ...ZHANG, loginphone: "13900010020" },
    ]) {
      await client.verify(identity).then(
        (r) => orderNos.push(r.orderNo),
        (e: VerifyMobileError) => orderNos.push(e.orderNo!),
      );
    }
    page = await openPage(browser!, `${worker.base}/admin/console`);
  }, 120_000);

  afterAll(async () => {
    await page?.close();
    worker?.stop();
  });

  it("refuses a wrong token and says so", async () => {
    await page.type("#token", "not-the-admin-token-0123456789abcdef");
    await page.click("#token-form button[type=submit]");
    await page.waitFor(`document.getElementById("token-state").textContent.startsWith("401")`, "the refusal");
    expect(await text("token-state")).toBe("401 令牌无效 the token was refused");
  });

  it("shows the account's balance, remaining count and reservations", async () => {
    // The ledger API pages with a cursor (`next`); four rows fit one real page, so the page's
    // fetch splits the first answer in two to show that the console follows `next`.
    await page.evaluate(`(() => {
      const real = window.fetch;
      window.ledgerUrls = [];
      window.fetch = async (url, init) => {
        if (!url.includes("/ledger?") || url.includes("format=csv")) return real(url, init);
        window.ledgerUrls.push(url);
        const cursor = new URL(url, location.href).searchParams.get("cursor");
        const page = await (await real(url.replace(/&cursor=[^&]*/, ""), init)).json();
        const rows = cursor === "second-half" ? page.rows.slice(2) : page.rows.slice(0, 2);
        return Response.json({ ...page, rows, next: cursor ? null : "second-half" });
      };
    })()`);
    await page.type("#token", worker.adminToken);
    await page.click("#token-form button[type=submit]");
    await page.waitFor(
      `document.getElementById("token-state").textContent === "令牌可用 token accepted"`,
      "the token to be accepted",
    );
    await page.type("#account", worker.accounts.console!.accountId);
    await page.click("#load");
    await page.waitFor(`!document.getElementById("account-view").hidden`, "the account to load");
    expect([await text("balance"), await text("balance-fen"), await text("remaining"), await text("reserved")]).toEqual(
      ["¥99.50", "9,950 分 fen", "98", "0"],
    );
  });

  it("draws today's requests by code and totals them", async () => {
    const bars = await page.evaluate<string[]>(
      `[...document.querySelectorAll("#chart rect")].map((r) => r.dataset.code + ":" + r.querySelector("title").textContent.split(": ")[1])`,
    );
    expect(bars).toEqual(["200:2", "309:1", "503:1"]);
    const totals = await page.evaluate<string[][]>(
      `[...document.querySelectorAll("#usage-totals tr")].map((tr) => [...tr.cells].map((c) => c.textContent))`,
    );
    expect(totals).toEqual([
      ["200", "2", "2", "¥0.50"],
      ["309", "1", "0", "¥0.00"],
      ["503", "1", "0", "¥0.00"],
    ]);
  });

  it("lists the ledger and finds a row by order number", async () => {
    const listed = await page.evaluate<string[]>(
      `[...document.querySelectorAll("#ledger tr")].map((tr) => tr.cells[1].textContent + " " + tr.cells[2].textContent + " " + tr.cells[4].textContent)`,
    );
    expect(listed).toEqual([
      `${orderNos[0]} 200 ¥0.25`,
      `${orderNos[1]} 309 ¥0.00`,
      `${orderNos[2]} 200 ¥0.25`,
      `${orderNos[3]} 503 ¥0.00`,
    ]);
    const urls = await page.evaluate<string[]>("window.ledgerUrls.map((u) => u.replace(/^.*\\/ledger/, ''))");
    expect(urls.map((u) => u.replace(/from=[\d-]+&to=[\d-]+/, "RANGE"))).toEqual([
      "?RANGE",
      "?RANGE&cursor=second-half",
    ]);
    await page.type("#search", orderNos[3]!.slice(-12));
    const found = await page.evaluate<string[]>(
      `[...document.querySelectorAll("#ledger tr")].map((tr) => tr.cells[1].textContent)`,
    );
    expect([found, await text("ledger-count")]).toEqual([[orderNos[3]], "1 / 4 行 rows"]);
  });

  it("downloads the ledger as CSV through the admin API", async () => {
    await page.evaluate(`(() => {
      const create = URL.createObjectURL;
      URL.createObjectURL = (blob) => { blob.text().then((t) => (window.downloaded = t)); return create(blob); };
    })()`);
    await page.click("#csv");
    await page.waitFor("window.downloaded", "the CSV");
    const csv = await page.evaluate<string>("window.downloaded");
    const lines = csv.trim().split(/\r?\n/);
    expect([lines.length, lines[0]!.split(",")[0], ...orderNos.map((o) => csv.includes(o))]).toEqual([
      5,
      "orderNo",
      true,
      true,
      true,
      true,
    ]);
  });

  it("credits the account and shows the new state", async () => {
    await page.type("#credit-fen", "50");
    await page.type("#credit-count", "2");
    expect(await text("credit-preview")).toBe("= ¥0.50");
    await page.click("#credit");
    await page.waitFor(`document.getElementById("credit-state").className === "ok"`, "the credit");
    expect([await text("balance"), await text("remaining"), await text("credit-state")]).toEqual([
      "¥100.00",
      "100",
      "已入账 credited ¥0.50, 2 次",
    ]);
  });

  it("renders a page worth looking at (screenshot)", async () => {
    await page.type("#search", "");
    const png = await page.screenshot();
    writeFileSync(SCREENSHOT, png);
    const ink = inkOf(png);
    expect([ink.width, ink.height]).toEqual([1280, 1400]);
    expect(ink.inked).toBeGreaterThan(0.03);
    expect(ink.colours).toBeGreaterThan(50);
  });

  it("keeps the token out of the URL, storage, cookies and the document, and ran without errors", async () => {
    const traces = await page.evaluate<
      unknown[]
    >(`[location.href, localStorage.length, sessionStorage.length, document.cookie,
      document.documentElement.outerHTML.includes(${JSON.stringify(worker.adminToken)}), document.getElementById("token").value]`);
    expect(traces).toEqual([`${worker.base}/admin/console`, 0, 0, "", false, ""]);
    expect(page.problems).toEqual([]);
  });
});
