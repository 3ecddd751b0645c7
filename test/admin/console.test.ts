// GET /admin/console, statically (workerd has no DOM; console-browser.node.test.ts renders it):
// public, self-contained, locked down by its CSP, and no way around the token for the data.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

const CONSOLE = "http://gateway.test/admin/console";

async function load() {
  const response = await exports.default.fetch(CONSOLE);
  return { response, html: await response.text() };
}

const nonceOf = (csp: string | null) => /script-src 'nonce-([\w-]+)'/.exec(csp ?? "")?.[1];

describe("GET /admin/console", () => {
  it("answers the page without a token, not to be cached", async () => {
    const { response } = await load();
    expect([response.status, response.headers.get("Content-Type"), response.headers.get("Cache-Control")]).toEqual([
      200,
      "text/html; charset=utf-8",
      "no-store",
    ]);
  });

  it("runs only its own script and style, talks only to its origin, cannot be framed or submit forms", async () => {
    const { response, html } = await load();
    const nonce = nonceOf(response.headers.get("Content-Security-Policy"));
    expect(response.headers.get("Content-Security-Policy")).toBe(
      `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'`,
    );
    expect([...html.matchAll(/<(script|style)([^>]*)>/g)].map((m) => [m[1], m[2]])).toEqual([
      ["style", ` nonce="${nonce}"`],
      ["script", ` nonce="${nonce}"`],
    ]);
  });

  it("has a new nonce in every response", async () => {
    const [a, b] = await Promise.all([load(), load()]);
    const [first, second] = [a, b].map(({ response }) => nonceOf(response.headers.get("Content-Security-Policy")));
    expect(first).toMatch(/^[\w-]{24}$/);
    expect(first).not.toBe(second);
  });

  it("depends on nothing outside the Worker and keeps the token out of storage and URLs", async () => {
    const { html } = await load();
    expect(html).not.toMatch(/<script[^>]+src=|<link|@import|url\(|(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/localStorage|sessionStorage|document\.cookie|location\.(hash|search)|[?&]token=/);
    // One fetch, which sends the token as a header.
    expect(html.match(/fetch\(/g)).toHaveLength(1);
    expect(html).toContain(`headers = { Authorization: \`Bearer \${token}\` }`);
  });

  it("parses, and has every element its script looks up", async () => {
    const { html } = await load();
    const script = html.match(/<script[^>]*>([\s\S]*)<\/script>/)?.[1] ?? "";
    expect(() => new Function(script)).not.toThrow();
    const ids = new Set([...script.matchAll(/\b(?:byId|inputValue|say)\("([\w-]+)"/g)].map((m) => m[1]));
    expect(ids.size).toBeGreaterThan(40);
    for (const id of ids) expect(html, `#${id}`).toContain(`id="${id}"`);
  });

  it("leaves the data behind the token: the API beside it still answers 401", async () => {
    const response = await exports.default.fetch("http://gateway.test/admin/accounts/acc_0000000000000000");
    expect(response.status).toBe(401);
  });
});
