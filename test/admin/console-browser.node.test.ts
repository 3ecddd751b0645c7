// /admin/console in headless Chromium against the Worker under `wrangler dev`: an operator
// pastes the admin token, finds an account in the list that the TypeScript client has just used,
// opens it, reads its numbers, chart, refusals and ledger, searches and downloads the ledger,
// credits it after confirming, reads the upstreams' answers and the spend report, and leaves
// nothing of the token behind. The screenshot is kept in /tmp/console-test.png to look at.
/// <reference types="node" />
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type Identity, type VerifyMobileError } from "../../client/index.ts";
import { openPage, type Page } from "../../scripts/lib/browser.ts";
import { type LocalWorker, startWorker } from "../../scripts/lib/local-worker.ts";
import { inkOf } from "../../scripts/lib/png.ts";
import { SANDBOX_PEOPLE } from "../../src/sandbox/identities.ts";
import { browserFor } from "../support/browser.ts";

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
    worker = await startWorker(
      { console: ["--balance", "10000", "--price", "25", "--quota", "100"] },
      { UPSTREAM_PRICES: JSON.stringify({ juhe3: { "*": 10 } }) },
    );
    const { token, logonKey } = worker.accounts.console!;
    const client = createClient({ baseUrl: worker.base, token, logonKey });
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
    await page.type("#account-search", "CONS");
    await page.click("#account-search-go");
    await page.waitFor(`document.querySelectorAll("#accounts button").length === 1`, "the account list");
    const listed = await page.evaluate<string[]>(
      `[...document.querySelectorAll("#accounts tr td")].slice(0, 7).map((td) => td.textContent)`,
    );
    expect(listed).toEqual([worker.accounts.console!.accountId, "console", "active", "¥0.25", "¥99.50", "98", "-"]);
    await page.click("#accounts button");
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

  it("lists the account's refusals, all codes and one", async () => {
    const codes = () =>
      page.evaluate<string[]>(`[...document.querySelectorAll("#refusals tr")].map((tr) => tr.cells[2].textContent)`);
    const all = await codes();
    await page.type("#refusal-code", "503");
    await page.click("#refusal-go");
    await page.waitFor(`document.querySelectorAll("#refusals tr").length === 1`, "the filtered refusals");
    expect([all, await codes()]).toEqual([["503", "309"], ["503"]]);
  });

  it("asks for a confirmation before a credit, and changes nothing without it", async () => {
    await page.type("#credit-fen", "50");
    await page.type("#credit-count", "2");
    expect(await text("credit-preview")).toBe("= ¥0.50");
    await page.click("#credit");
    expect([
      await text("credit-state"),
      await page.evaluate<boolean>(`document.getElementById("credit-confirm").hidden`),
      await text("balance"),
    ]).toEqual(["确认入账 confirm: ¥0.50, 2 次?", false, "¥99.50"]);
  });

  it("credits the account once confirmed and shows the new state", async () => {
    await page.click("#credit-confirm");
    await page.waitFor(`document.getElementById("credit-state").className === "ok"`, "the credit");
    expect([await text("balance"), await text("remaining"), await text("credit-state")]).toEqual([
      "¥100.00",
      "100",
      "已入账 credited ¥0.50, 2 次",
    ]);
  });

  it("rotates the token with a grace after a confirmation: the new token works, and so does the old one", async () => {
    await page.type("#grace", "2h");
    await page.click("#rotate-token");
    expect(await text("rotate-state")).toMatch(
      /^确认轮换令牌 token？旧的保留到 kept until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/,
    );
    await page.click("#rotate-confirm");
    await page.waitFor(`document.getElementById("rotate-state").className === "ok"`, "the rotation");
    const token = await text("rotated");
    const { logonKey } = worker.accounts.console!;
    // Both tokens pass the token check (no 105): the answer itself may be a duplicate's 309.
    const codes = await Promise.all(
      [token, worker.accounts.console!.token].map((t) =>
        createClient({ baseUrl: worker.base, token: t, logonKey })
          .verify(ZHANG)
          .then(
            () => "200",
            (e: VerifyMobileError) => e.code,
          ),
      ),
    );
    expect([token, codes.map((c) => (c === "105" ? "refused" : "authenticated"))]).toEqual([
      expect.stringMatching(/^vmt_[\w-]{32}$/),
      ["authenticated", "authenticated"],
    ]);
  });

  it("refuses a grace over 7 days and changes nothing", async () => {
    await page.type("#grace", "8d");
    await page.click("#rotate-key");
    expect([
      await text("rotate-state"),
      await page.evaluate<boolean>(`document.getElementById("rotate-confirm").hidden`),
    ]).toEqual(["宽限期：秒数或 30m、24h，最多7天 grace: seconds or 30m, 24h, at most 7 days", true]);
  });

  it("shows each upstream's answers and faults", async () => {
    await page.click("#upstreams-go");
    await page.waitFor(`document.querySelectorAll("#upstreams tr td").length > 1`, "the upstreams");
    const upstreams = await page.evaluate<string[][]>(
      `[...document.querySelectorAll("#upstreams tr")].map((tr) => [...tr.cells].map((c) => c.textContent))`,
    );
    // The 503's fault phone failed over from juhe3 to tencent.
    expect(upstreams.map((u) => u.slice(0, 2))).toEqual([
      ["juhe3", "3"],
      ["tencent", "1"],
    ]);
  });

  it("asks for a test alert and says why none went (alerts are off here)", async () => {
    await page.click("#alert-test");
    await page.waitFor(`document.getElementById("alert-state").className === "bad"`, "the alert test's answer");
    expect(await text("alert-state")).toBe("400 alerts are off: set ALERT_WEBHOOK_URL and ALERT_WEBHOOK_SECRET");
  });

  it("shows the spend report: calls, cost, revenue and margin", async () => {
    await page.click("#spend-go");
    await page.waitFor(`document.getElementById("spend-total").textContent.startsWith("合计")`, "the spend report");
    const rows = await page.evaluate<string[][]>(
      `[...document.querySelectorAll("#spend tr")].map((tr) => [...tr.cells].map((c) => c.textContent))`,
    );
    expect(rows.filter((r) => r[1] === worker.accounts.console!.accountId).map((r) => r.slice(2))).toEqual([
      ["juhe3", "3", "0", "¥0.30", "¥0.50", "¥0.20"],
      ["tencent", "1", "0", "¥0.00", "¥0.00", "¥0.00"],
    ]);
    expect(await text("spend-total")).toMatch(/；未定价 unpriced: tencent$/);
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
