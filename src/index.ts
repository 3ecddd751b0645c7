import { Hono } from "hono";
import { admin } from "./admin/routes.ts";
import { envelopeResponse, toEnvelope } from "./envelope.ts";
import type { Env } from "./env.ts";
import { health } from "./health.ts";
import { docsResponse, openApiResponse } from "./openapi/index.ts";
import { newOrderNo } from "./order-number.ts";
import { fail } from "./outcome.ts";
import { verifyMobile } from "./verify-mobile.ts";

const app = new Hono<{ Bindings: Env }>();

app.post("/api/personalInfo/verifyMobile", (c) => verifyMobile(c.req.raw, c.env, c.executionCtx));

// Everything under /api answers in the envelope (CONTRACT.md §2), even a wrong method or path.
app.all("/api/personalInfo/verifyMobile", () => refuse("315", "仅支持POST"));
app.all("/api/*", () => refuse("305", "接口不存在"));

app.route("/admin", admin);

app.get("/", (c) => c.json({ service: "verifyMobile", api: "POST /api/personalInfo/verifyMobile" }));
app.get("/healthz", (c) => {
  const { status, body } = health(c.env);
  return c.json(body, status);
});

app.get("/openapi.json", () => openApiResponse());
app.get("/docs", () => docsResponse());

app.onError((error, c) => {
  console.error(JSON.stringify({ level: "error", event: "unhandled", error: error.name }));
  return c.req.path.startsWith("/api/") ? refuse("500") : c.json({ error: "internal error" }, 500);
});

function refuse(code: "305" | "315" | "500", reason?: string): Response {
  return envelopeResponse(toEnvelope(fail(code, reason)), newOrderNo(Date.now()));
}

export default app;
export { AccountObject } from "./billing/account-object.ts";
