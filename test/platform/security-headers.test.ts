// Headers on every response (docs/contract.md §10), whatever the route, method or outcome.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SANDBOX_PEOPLE } from "../../src/sandbox/identities.ts";
import { API, createAccount, sendForm, verify } from "../support/caller.ts";

const ADMIN = "test-admin-token-0123456789abcdef-0123";
const [zhang] = SANDBOX_PEOPLE;

const get = (path: string, init?: RequestInit) =>
  exports.default.fetch(new Request(`http://gateway.test${path}`, init));
const headersOf = (response: Response) => ({
  nosniff: response.headers.get("X-Content-Type-Options"),
  referrer: response.headers.get("Referrer-Policy"),
  cache: response.headers.get("Cache-Control"),
});

describe("security headers", () => {
  it("are on a 200 answer of the API, with no-store", async () => {
    const { response, envelope } = await verify(await createAccount(), {
      idCard: zhang.idCard,
      userName: zhang.name,
      loginphone: zhang.phone,
    });
    expect(envelope.errorCode).toBe("200");
    expect(headersOf(response)).toEqual({ nosniff: "nosniff", referrer: "no-referrer", cache: "no-store" });
  });

  it.each([
    ["a refused API request", () => sendForm({ token: "x" }).then((s) => s.response)],
    ["a wrong method on the API", () => get(API.replace("http://gateway.test", ""))],
    ["an unknown API path", () => get("/api/nothing")],
    [
      "the admin API",
      () => get("/admin/accounts/acc_0000000000000000", { headers: { Authorization: `Bearer ${ADMIN}` } }),
    ],
    ["the admin API refusing a caller", () => get("/admin/accounts/acc_0000000000000000")],
  ])("are on %s, with no-store", async (_label, fetch) => {
    expect(headersOf(await fetch())).toEqual({ nosniff: "nosniff", referrer: "no-referrer", cache: "no-store" });
  });

  it.each(["/", "/healthz", "/openapi.json", "/docs", "/nothing", "/administrator", "/apis"])(
    "are on %s, which may be cached",
    async (path) => {
      expect(headersOf(await get(path))).toEqual({ nosniff: "nosniff", referrer: "no-referrer", cache: null });
    },
  );

  it("leave /docs its Content-Security-Policy", async () => {
    expect((await get("/docs")).headers.get("Content-Security-Policy")).toContain("form-action 'self'");
  });
});
