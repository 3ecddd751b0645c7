// The two callers' toolkit routes: the OpenAPI document and the page that renders it.
import { noncedPage } from "../platform/security-headers.ts";
import { docsPage, NONCE } from "./docs-page.ts";
import { openApiJson } from "./document.ts";

export function openApiResponse(): Response {
  // Public and the same for everyone: any origin's tools (an editor, a client generator) may fetch it.
  return new Response(openApiJson(), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Access-Control-Allow-Origin": "*" },
  });
}

export function docsResponse(): Response {
  // The page's form posts only here.
  return noncedPage((nonce) => docsPage().replaceAll(NONCE, nonce), "'self'");
}
