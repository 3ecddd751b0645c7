// The two callers' toolkit routes: the OpenAPI document and the page that renders it.
import { randomBase64Url } from "../crypto/bytes.ts";
import { docsPage, NONCE } from "./docs-page.ts";
import { openApiJson } from "./document.ts";

export function openApiResponse(): Response {
  // Public and the same for everyone: any origin's tools (an editor, a client generator) may fetch it.
  return new Response(openApiJson(), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Access-Control-Allow-Origin": "*" },
  });
}

export function docsResponse(): Response {
  // The page runs only its own script and style (a fresh nonce per response) and talks only to
  // this origin; its form posts only here.
  const nonce = randomBase64Url(18);
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    "img-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
  return new Response(docsPage().replaceAll(NONCE, nonce), {
    headers: { "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": csp },
  });
}
