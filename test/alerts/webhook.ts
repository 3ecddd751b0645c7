// The operator's webhook, faked at the HTTP boundary for test/alerts/: every POST it received,
// verified as a receiver would (docs/operations.md), answered with the status the test chooses.
import { expect } from "vitest";
import type { Alert } from "../../src/alerts/events.ts";
import { verifySignature } from "../../src/alerts/sign.ts";
import { type Handler, mockUpstreams } from "../support/upstream-mock.ts";

export const WEBHOOK = "https://alerts.example.test";
const SECRET = "test-alert-secret-0123456789abcdef-0123";

export type Received = { readonly alert: Alert; readonly signed: boolean };

/**
 * Fakes the webhook; `status` decides each answer (by delivery number, from 1). `upstreams` fakes
 * the vendors a test's requests reach, on the same network (one fetch is replaced per test).
 */
export function fakeWebhook(
  status: (delivery: number) => number = () => 200,
  upstreams: Readonly<Record<string, Handler>> = {},
) {
  const received: Received[] = [];
  mockUpstreams({
    ...upstreams,
    [WEBHOOK]: async (request) => {
      const signed = await verifySignature(
        SECRET,
        request.headers.get("X-Signature"),
        request.body,
        Math.floor(Date.now() / 1000),
      );
      received.push({ alert: JSON.parse(request.body) as Alert, signed });
      return new Response(null, { status: status(received.length) });
    },
  });
  return {
    received,
    /** Waits (bounded) until `n` deliveries arrived, then a moment more to catch any extra. */
    async deliveries(n: number, settleMs = 1_500): Promise<Received[]> {
      for (let waited = 0; received.length < n && waited < 5_000; waited += 50) await sleep(50);
      await sleep(settleMs);
      return received;
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An alert's stable part (id and created vary). */
export const shape = ({ alert, signed }: Received) => {
  expect(alert.id).toMatch(/^alt_[0-9a-f]{16}$/);
  return { type: alert.type, accountId: alert.accountId, upstream: alert.upstream, data: alert.data, signed };
};
