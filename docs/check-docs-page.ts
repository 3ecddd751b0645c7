// Renders /docs in headless Chromium: screenshots to look at, and the rendered page checked for
// what it promises (every code of the table, every request field, no load error, no script
// error), in English and, after pressing the language switch, in Chinese, its prose included.
// workerd has no DOM, so test/openapi/docs-page.test.ts can only check the page statically;
// docs-browser.node.test.ts runs this check.
//
//   npx node docs/check-docs-page.ts [--url http://127.0.0.1:8787] [--out /tmp/docs.png]
//
// Without --url it starts its own `wrangler dev` (temporary state, free port) and stops it after.
// The browser is looked up on PATH (chromium, chromium-browser, google-chrome); without one the
// check is skipped (exit 0) and says so.

import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { BROWSER_NAMES, findBrowser, openPage } from "../scripts/lib/browser.ts";
import { startWorker } from "../scripts/lib/local-worker.ts";
import { inkOf } from "../scripts/lib/png.ts";
import { RequestFields } from "../src/verify-mobile/request/params.ts";
import { ERROR_CODES } from "../src/wire/codes.ts";

/** One table row per field of the request schema the OpenAPI document is made from. */
const FIELDS = Object.keys(RequestFields.shape).length;

/** Chinese text has at least one CJK ideograph: in Chinese, every sentence from the document is. */
const CJK = /[\u4e00-\u9fff]/;

const HEADINGS = {
  en: ["Endpoint", "Request fields", "Response body", "Codes", "Try it"],
  zh: ["接口", "请求参数", "返回结构", "返回码", "在线调试"],
};

/**
 * What is wrong with /docs at `base`, in both languages (empty when nothing); screenshots of the
 * English page in `out` and of the Chinese one beside it (`-zh` before the extension).
 */
export async function checkDocsPage(browser: string, base: string, out: string): Promise<string[]> {
  const page = await openPage(browser, `${base}/docs?lang=en`, { width: 1200, height: 1600 });
  try {
    const problems: string[] = [];
    const look = async (lang: keyof typeof HEADINGS, screenshot: string) => {
      await page.waitFor(
        `document.querySelectorAll("#codes td").length > 0 || document.getElementById("error").textContent`,
        "the page to render",
      );
      const seen = await page.evaluate<{
        lang: string;
        error: string;
        fields: number;
        headings: string[];
        cells: string[];
        prose: string[];
      }>(`({
        lang: document.documentElement.lang,
        error: document.getElementById("error").textContent,
        fields: document.querySelectorAll("#fields tr").length,
        headings: [...document.querySelectorAll("h2")].map((h) => h.textContent),
        cells: [...document.querySelectorAll("#codes tr")].map((tr) => [...tr.cells].slice(0, 2).map((c) => c.textContent).join(" ")),
        prose: [...document.querySelectorAll("#intro p, #summary, #body-note, #response-note, #fields td:last-child, #envelope td:last-child, #codes td:last-child")].map((e) => e.textContent),
      })`);
      const png = await page.screenshot();
      writeFileSync(screenshot, png);
      const ink = inkOf(png);
      problems.push(
        ...[
          seen.lang === (lang === "zh" ? "zh-CN" : "en") ? "" : `${lang}: <html lang> is ${seen.lang}`,
          seen.error ? `${lang}: the page reports an error: ${seen.error}` : "",
          seen.fields === FIELDS ? "" : `${lang}: the request fields table has ${seen.fields} rows, want ${FIELDS}`,
          JSON.stringify(seen.headings) === JSON.stringify(HEADINGS[lang])
            ? ""
            : `${lang}: headings are ${JSON.stringify(seen.headings)}`,
          ink.inked > 0.03 && ink.colours > 50 ? "" : `${lang}: the screenshot looks blank (${JSON.stringify(ink)})`,
          ...(lang === "zh"
            ? seen.prose.filter((text) => !CJK.test(text)).map((text) => `zh: not Chinese: ${text}`)
            : []),
          ...Object.entries(ERROR_CODES).map(([code, { text }]) =>
            seen.cells.includes(`${code} ${text}`) ? "" : `${lang}: code ${code} is not shown`,
          ),
        ].filter(Boolean),
      );
    };
    await look("en", out);
    await page.click("#lang");
    await look("zh", out.replace(/(\.png)?$/, "-zh.png"));
    const address = await page.evaluate<string>("location.search");
    if (address !== "?lang=zh") problems.push(`the address says ${address} after switching to Chinese`);
    problems.push(...page.problems);
    return problems;
  } finally {
    await page.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name: string) => process.argv.find((_, i) => process.argv[i - 1] === name);
  const browser = findBrowser();
  if (!browser) {
    console.log(
      `skipped: no browser on PATH (${BROWSER_NAMES.join(", ")}; apt-get install -y chromium fonts-noto-cjk)`,
    );
    process.exit(0);
  }
  const out = arg("--out") ?? "/tmp/docs.png";
  const given = arg("--url");
  const worker = given ? null : await startWorker();
  try {
    const base = given ?? worker!.base;
    const problems = await checkDocsPage(browser, base, out);
    if (problems.length) throw new Error(problems.join("; "));
    console.log(
      `ok: ${base}/docs rendered every code and field in English and Chinese; screenshots in ${out} and ${out.replace(/(\.png)?$/, "-zh.png")}`,
    );
  } catch (e) {
    console.error(`failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  } finally {
    worker?.stop();
  }
}
