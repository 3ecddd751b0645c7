// GET /docs: a self-contained page whose script renders /openapi.json. workerd has no DOM, so
// this checks what can be checked statically; docs/check-docs-page.ts renders it in Chromium.
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";

let response: Response;
let html: string;

beforeAll(async () => {
  response = await exports.default.fetch("http://gateway.test/docs");
  html = await response.clone().text();
});

describe("GET /docs", () => {
  it("answers 200 HTML that may only run its own inline script and talk to its own origin", () => {
    expect([response.status, response.headers.get("Content-Type")]).toEqual([200, "text/html; charset=utf-8"]);
    expect(response.headers.get("Content-Security-Policy")).toContain("connect-src 'self'");
  });

  it("contains the script that loads /openapi.json", () => {
    const script = html.match(/<script>([\s\S]*)<\/script>/)?.[1] ?? "";
    expect(script).toContain('fetch("/openapi.json")');
    expect(() => new Function(script)).not.toThrow(); // it parses
  });

  it("depends on nothing outside the Worker (no CDN, script, stylesheet or font from elsewhere)", () => {
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet|@import|url\(|(src|href)="(https?:)?\/\//);
  });

  it("has every element its script looks up", () => {
    const ids = [...html.matchAll(/\$\("([\w-]+)"\)/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(10);
    for (const id of new Set(ids)) expect(html, `#${id}`).toContain(`id="${id}"`);
  });

  it("never submits a form by GET, so token and logon cannot land in a URL even without its script", () => {
    const forms = [...html.matchAll(/<form\b[^>]*>/g)].map((m) => m[0]);
    expect(forms.map((tag) => tag.match(/\bid="([^"]+)"/)?.[1])).toEqual(["encrypt", "try"]);
    for (const tag of forms) expect(tag).toMatch(/\bmethod="post"/);
  });

  it("sends the Try-it form with fetch POST", () => {
    expect(html).toContain('fetch($("try").action, { method: "POST"');
  });
});
