// Headers every response carries (docs/contract.md §10): no MIME sniffing, no Referer leaving the
// page; the API's and the admin API's answers are never stored by a cache on the way.
import type { MiddlewareHandler } from "hono";

const NEVER_STORED = ["/api/", "/admin/"];

export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  c.header("X-Content-Type-Options", "nosniff");
  c.header("Referrer-Policy", "no-referrer");
  const path = `${c.req.path}/`;
  if (NEVER_STORED.some((prefix) => path.startsWith(prefix))) c.header("Cache-Control", "no-store");
};
