import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { consoleResponse } from "./admin/console.ts";
import { admin } from "./admin/routes.ts";
import { ALERT_DEAD_QUEUE, deadAlerts, deliverAlerts } from "./alerts/deliver.ts";
import { scanExpiring } from "./alerts/expiring.ts";
import { health } from "./config/health.ts";
import { docsResponse, openApiResponse } from "./openapi/index.ts";
import { logEvent } from "./platform/log.ts";
import { securityHeaders } from "./platform/security-headers.ts";
import { newOrderNo } from "./verify-mobile/order-number.ts";
import { verifyMobile } from "./verify-mobile/route.ts";
import { envelopeResponse, toEnvelope } from "./wire/envelope.ts";
import { fail } from "./wire/outcome.ts";

const app = new Hono<{ Bindings: Env }>();

app.use(securityHeaders);

app.post("/api/personalInfo/verifyMobile", (c) => verifyMobile(c.req.raw, c.env, c.executionCtx));

// Everything under /api answers in the envelope (docs/contract.md §3), even a wrong method or path.
app.all("/api/personalInfo/verifyMobile", () => refuse("315", "仅支持POST"));
app.all("/api/*", () => refuse("305", "接口不存在"));

// The console page is public (it holds no data); everything it shows comes from /admin behind the token.
app.get("/admin/console", consoleResponse);
app.route("/admin", admin);

app.get("/", (c) => c.json({ service: "verifyMobile", api: "POST /api/personalInfo/verifyMobile" }));
app.get("/healthz", (c) => {
  const { status, body } = health(c.env);
  return c.json(body, status);
});

app.get("/openapi.json", () => openApiResponse());
app.get("/docs", () => docsResponse());

app.onError((error, c) => {
  if (error instanceof HTTPException) return error.getResponse();
  logEvent("error", "unhandled", { error: error.name });
  return c.req.path.startsWith("/api/") ? refuse("500") : c.json({ error: "internal error" }, 500);
});

function refuse(code: "305" | "315" | "500", reason?: string): Response {
  return envelopeResponse(toEnvelope(fail(code, reason)), newOrderNo(Date.now()));
}

export default {
  fetch: app.fetch,
  // Alerts (docs/operations.md): the alert queue's deliveries and its dead letters.
  queue: (batch, env) =>
    batch.queue === ALERT_DEAD_QUEUE ? Promise.resolve(deadAlerts(batch)) : deliverAlerts(batch, env),
  scheduled: (controller, env, ctx) => ctx.waitUntil(scanExpiring(env, controller.scheduledTime)),
} satisfies ExportedHandler<Env>;
export { AlertDesk } from "./alerts/desk.ts";
export { AccountObject } from "./billing/account-object.ts";
