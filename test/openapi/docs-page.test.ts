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

  it("lets only this response's nonce-tagged script and style run (no 'unsafe-inline')", () => {
    const csp = response.headers.get("Content-Security-Policy") ?? "";
    const nonce = /script-src 'nonce-([\w-]+)'/.exec(csp)?.[1];
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain(`style-src 'nonce-${nonce}'`);
    const tagged = [...html.matchAll(/<(script|style)\b([^>]*)>/g)].filter(
      ([, , attributes]) => !attributes!.includes("application/json"),
    );
    expect(tagged.map(([, tag, attributes]) => [tag, attributes!.trim()])).toEqual([
      ["style", `nonce="${nonce}"`],
      ["script", `nonce="${nonce}"`],
    ]);
    expect(html).not.toMatch(/\sstyle="|\son\w+="/);
  });

  it("uses a new nonce for every response", async () => {
    const again = await exports.default.fetch("http://gateway.test/docs");
    expect(again.headers.get("Content-Security-Policy")).not.toBe(response.headers.get("Content-Security-Policy"));
  });

  it("contains the script that loads /openapi.json", () => {
    const script = html.match(/<script nonce="[\w-]+">([\s\S]*)<\/script>/)?.[1] ?? "";
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

// ?lang=zh shows the document's prose in Chinese too, not only the headings (issue 20, item 5).
describe("GET /docs in Chinese", () => {
  const CJK = /[\u4e00-\u9fff]/;
  let zh: {
    intro: string;
    summary: string;
    bodyNote: string;
    responseNote: string;
    fields: Record<string, string>;
    envelope: Record<string, string>;
    codes: string;
  };
  let schemas: Record<string, { properties: Record<string, unknown> }>;

  beforeAll(async () => {
    zh = JSON.parse(html.match(/<script type="application\/json" id="zh">([\s\S]*?)<\/script>/)?.[1] ?? "null");
    const document = await (await exports.default.fetch("http://gateway.test/openapi.json")).json<{
      components: { schemas: typeof schemas };
    }>();
    schemas = document.components.schemas;
  });

  it("has a Chinese meaning for every request field the document lists", () => {
    expect(Object.keys(zh.fields)).toEqual(Object.keys(schemas.VerifyMobileRequest!.properties));
    for (const [name, text] of Object.entries(zh.fields)) expect(text, name).toMatch(CJK);
  });

  it("has a Chinese meaning for every field of the response body, info's included", () => {
    expect(Object.keys(zh.envelope)).toEqual([
      ...Object.keys(schemas.Envelope!.properties),
      ...Object.keys(schemas.Info!.properties).map((name) => `info.${name}`),
    ]);
    for (const [name, text] of Object.entries(zh.envelope)) expect(text, name).toMatch(CJK);
  });

  it("says the overview, the endpoint, the body and the answer in Chinese", () => {
    for (const text of [zh.intro, zh.summary, zh.bodyNote, zh.responseNote]) expect(text).toMatch(CJK);
  });

  it("explains every code in Chinese", () => {
    const rows = zh.codes.split("\n").filter((line) => /^\| \d/.test(line));
    expect(rows.length).toBeGreaterThan(20);
    for (const row of rows) expect(row.split(" | ").at(-1), row).toMatch(CJK);
  });
});
