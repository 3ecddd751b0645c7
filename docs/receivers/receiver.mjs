// A webhook receiver for the gateway's alerts (docs/operations.md), in plain Node (18+), no packages.
// It checks X-Signature (t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">) against
// ALERT_WEBHOOK_SECRET, refuses a t more than 300 s away (a replayed delivery), and acknowledges
// each alert id once (a retried delivery carries the same id).
//   ALERT_WEBHOOK_SECRET=... PORT=9000 node docs/receivers/receiver.mjs
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";

export const REPLAY_WINDOW_SECONDS = 300;

/** Whether `header` signs `rawBody` (the exact bytes received) under `secret`, within the window. */
export function verifyAlert(secret, header, rawBody, nowSeconds = Math.floor(Date.now() / 1000)) {
  const parts = Object.fromEntries(
    String(header ?? "")
      .split(",")
      .map((part) => part.split("=", 2).map((s) => s.trim())),
  );
  if (!/^\d{1,12}$/.test(parts.t ?? "") || !/^[0-9a-f]{64}$/.test(parts.v1 ?? "")) return false;
  if (Math.abs(nowSeconds - Number(parts.t)) > REPLAY_WINDOW_SECONDS) return false;
  const expected = createHmac("sha256", secret).update(`${parts.t}.`).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(parts.v1, "hex"));
}

/** An HTTP server that verifies each POST and hands each new alert to `onAlert` once. */
export function alertServer(secret, onAlert) {
  const seen = new Set();
  return createServer((request, response) => {
    const chunks = [];
    let size = 0;
    request.on("data", (chunk) => {
      size += chunk.length;
      if (size <= 64 * 1024) chunks.push(chunk);
    });
    request.on("end", () => {
      const raw = Buffer.concat(chunks);
      if (request.method !== "POST" || size > 64 * 1024 || !verifyAlert(secret, request.headers["x-signature"], raw)) {
        response.writeHead(400).end();
        return;
      }
      const alert = JSON.parse(raw.toString("utf8"));
      // 2xx at once, even for a repeat: anything else makes the gateway retry.
      if (!seen.has(alert.id)) {
        seen.add(alert.id);
        onAlert(alert);
      }
      response.writeHead(204).end();
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const secret = process.env.ALERT_WEBHOOK_SECRET;
  if (!secret) throw new Error("set ALERT_WEBHOOK_SECRET");
  alertServer(secret, (alert) => console.log(JSON.stringify(alert))).listen(Number(process.env.PORT ?? 9000));
}
