// GET /admin/console: the operator's page over the /admin API (docs/contract.md §10). One
// self-contained document, served without authentication because it holds nothing: the operator
// pastes ADMIN_TOKEN into it, the token lives in a variable of that tab only (never a URL, cookie
// or storage) and goes out only as the Authorization header of same-origin fetches. The CSP lets
// nothing but this response's own script and style run, and forbids framing and form submission
// (a page that failed to script cannot post the token anywhere). The script is TypeScript in
// console/browser/, bundled into console/script.generated.ts (npm run build:console).
import { randomBase64Url } from "../crypto/bytes.ts";
import { consoleHtml } from "./console/markup.ts";
import { CONSOLE_SCRIPT } from "./console/script.generated.ts";

export function consoleResponse(): Response {
  // A fresh nonce per response: only the inline script and style carry it.
  const nonce = randomBase64Url(18);
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    "img-src 'self'",
    "form-action 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
  return new Response(consoleHtml(nonce, CONSOLE_SCRIPT), {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": csp,
      "Cache-Control": "no-store",
    },
  });
}
