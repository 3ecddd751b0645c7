// The two callers' toolkit routes: the OpenAPI document and the page that renders it.
import { DOCS_PAGE } from "./docs-page.ts";
import { openApiJson } from "./document.ts";

export function openApiResponse(): Response {
  // Public and the same for everyone: any origin's tools (an editor, a client generator) may fetch it.
  return new Response(openApiJson(), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Access-Control-Allow-Origin": "*" },
  });
}

// The page runs only its own inline script and talks only to this origin.
const DOCS_CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export function docsResponse(): Response {
  return new Response(DOCS_PAGE, {
    headers: { "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": DOCS_CSP },
  });
}
