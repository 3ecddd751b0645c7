// Alert delivery end to end in workerd: the real queue (Miniflare's), the real consumer, the
// webhook faked at the HTTP boundary; retries, then the dead-letter queue (here max_retries 2).
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { newAlert } from "../../src/alerts/events.ts";
import { fakeWebhook, sleep } from "./webhook.ts";

const alert = () => newAlert("alert.test", {}, { note: "test" }, Date.now());

describe("alert delivery", () => {
  it("POSTs the alert as JSON with a valid X-Signature", async () => {
    const webhook = fakeWebhook();
    const sent = alert();
    await env.ALERTS.send(sent, { contentType: "json" });
    const received = await webhook.deliveries(1);
    expect(received).toEqual([{ alert: sent, signed: true }]);
  });

  it("retries a failed delivery and stops at the first 2xx", async () => {
    const webhook = fakeWebhook((delivery) => (delivery < 3 ? 503 : 204));
    const sent = alert();
    await env.ALERTS.send(sent, { contentType: "json" });
    const received = await webhook.deliveries(3);
    expect(received.map((r) => [r.alert.id, r.signed])).toEqual([
      [sent.id, true],
      [sent.id, true],
      [sent.id, true],
    ]);
  });

  it("dead-letters an alert after max_retries and logs it there, without personal data", async () => {
    const errors = vi.spyOn(console, "error");
    const webhook = fakeWebhook(() => 500);
    const sent = newAlert("balance.low", { accountId: "acc_0123456789abcdef" }, { balanceFen: 5 }, Date.now());
    await env.ALERTS.send(sent, { contentType: "json" });
    const received = await webhook.deliveries(3);
    for (let waited = 0; waited < 5_000 && !deadLine(errors.mock.calls); waited += 50) await sleep(50);
    expect([received.length, JSON.parse(deadLine(errors.mock.calls) ?? "null")]).toEqual([
      3,
      {
        level: "error",
        event: "alert_dead_lettered",
        id: sent.id,
        type: "balance.low",
        accountId: "acc_0123456789abcdef",
        upstream: null,
        messageId: expect.any(String),
      },
    ]);
  });
});

const deadLine = (calls: unknown[][]) =>
  calls.map((c) => String(c[0])).find((line) => line.includes('"alert_dead_lettered"'));
