// The queue consumers (docs/operations.md): each alert POSTed to ALERT_WEBHOOK_URL, signed at
// each delivery (a fresh `t`, so a retry is never outside the receiver's replay window); anything
// but a 2xx is retried after a delay that doubles from ALERT_RETRY_SECONDS; after the queue's
// max_retries the message goes to the dead-letter queue, whose consumer logs it for the operator.
import { logEvent } from "../platform/log.ts";
import { alertConfig } from "./config.ts";
import { Alert } from "./events.ts";
import { SIGNATURE_HEADER, signature } from "./sign.ts";

/** The dead-letter queue's name, as wrangler.toml declares it. */
export const ALERT_DEAD_QUEUE = "verify-mobile-alerts-dead";
/** A receiver gets this long to answer. */
const DELIVERY_TIMEOUT_MS = 10_000;
/** Queues delays a message by at most 12 hours. */
const MAX_DELAY_SECONDS = 43_200;

export async function deliverAlerts(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const config = alertConfig(env);
  for (const message of batch.messages) {
    const alert = Alert.safeParse(message.body);
    if (!alert.success) {
      // Nothing this Worker queues fails to parse; a retry would not make it deliverable.
      logEvent("error", "alert_unreadable", { messageId: message.id });
      message.ack();
      continue;
    }
    const base = config.kind === "on" ? config.settings.ALERT_RETRY_SECONDS : 30;
    const delaySeconds = Math.min(MAX_DELAY_SECONDS, base * 2 ** (message.attempts - 1));
    const status = config.kind === "on" ? await post(config.settings, alert.data) : config.kind;
    if (typeof status === "number" && status >= 200 && status < 300) {
      logEvent("info", "alert_delivered", { id: alert.data.id, type: alert.data.type, attempt: message.attempts });
      message.ack();
      continue;
    }
    logEvent("warn", "alert_delivery_failed", {
      id: alert.data.id,
      type: alert.data.type,
      attempt: message.attempts,
      status,
      retryInSeconds: delaySeconds,
    });
    message.retry({ delaySeconds });
  }
}

/** The receiver's HTTP status, or what kept it from answering. */
async function post(
  settings: { ALERT_WEBHOOK_URL: string; ALERT_WEBHOOK_SECRET: string },
  alert: Alert,
): Promise<number | string> {
  const body = JSON.stringify(alert);
  const header = await signature(settings.ALERT_WEBHOOK_SECRET, body, Math.floor(Date.now() / 1000));
  try {
    const response = await fetch(settings.ALERT_WEBHOOK_URL, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        [SIGNATURE_HEADER]: header,
        "User-Agent": "verifyMobile-alerts/1",
      },
      body,
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      redirect: "manual",
    });
    await response.body?.cancel();
    return response.status;
  } catch (error) {
    return error instanceof Error ? error.name : "network";
  }
}

/** What exhausted its retries: logged (type, id, account or upstream: no personal data), then dropped. */
export function deadAlerts(batch: MessageBatch<unknown>): void {
  for (const message of batch.messages) {
    const alert = Alert.safeParse(message.body);
    logEvent("error", "alert_dead_lettered", {
      id: alert.success ? alert.data.id : null,
      type: alert.success ? alert.data.type : null,
      accountId: alert.success ? alert.data.accountId : null,
      upstream: alert.success ? alert.data.upstream : null,
      messageId: message.id,
    });
    message.ack();
  }
}
