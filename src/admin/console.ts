// GET /admin/console: the operator's page over the /admin API (docs/contract.md §10). One
// self-contained document, served without authentication because it holds nothing: the operator
// pastes ADMIN_TOKEN into it, the token lives in a variable of that tab only (never a URL, cookie
// or storage) and goes out only as the Authorization header of same-origin fetches. The CSP lets
// nothing but this response's own script and style run, and forbids framing and form submission
// (a page that failed to script cannot post the token anywhere). The script is TypeScript in
// console/browser/, bundled into console/script.generated.ts (npm run build:console).
import { noncedPage } from "../platform/security-headers.ts";
import { consoleHtml } from "./console/markup.ts";
import { CONSOLE_SCRIPT } from "./console/script.generated.ts";

export function consoleResponse(): Response {
  return noncedPage((nonce) => consoleHtml(nonce, CONSOLE_SCRIPT), "'none'", { "Cache-Control": "no-store" });
}
