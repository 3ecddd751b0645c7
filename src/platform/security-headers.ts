// Headers every response carries (docs/contract.md §10): no MIME sniffing, no Referer leaving the
// page; the API's and the admin API's answers are never stored by a cache on the way.
import type { MiddlewareHandler } from "hono";
import { randomBase64Url } from "../crypto/bytes.ts";

const NEVER_STORED = ["/api/", "/admin/"];

export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  c.header("X-Content-Type-Options", "nosniff");
  c.header("Referrer-Policy", "no-referrer");
  const path = `${c.req.path}/`;
  if (NEVER_STORED.some((prefix) => path.startsWith(prefix))) c.header("Cache-Control", "no-store");
};

/**
 * An HTML page that runs nothing but its own inline script and style, tagged with a fresh nonce
 * per response, and talks only to this origin (docs/contract.md §10); `formAction` says whether
 * its forms may post here.
 */
export function noncedPage(
  render: (nonce: string) => string,
  formAction: "'self'" | "'none'",
  headers: Record<string, string> = {},
): Response {
  const nonce = randomBase64Url(18);
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    "img-src 'self'",
    `form-action ${formAction}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
  return new Response(render(nonce), {
    headers: { "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": csp, ...headers },
  });
}
