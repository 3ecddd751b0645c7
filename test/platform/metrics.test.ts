import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import app from "../../src/index.ts";
import { SANDBOX_PEOPLE } from "../../src/sandbox/identities.ts";
import { API, createAccount, encryptLogon, IV } from "../support/caller.ts";

const zhang = SANDBOX_PEOPLE[0];

describe("Analytics Engine data point", () => {
  it("writes one non-personal point per request", async () => {
    const points: AnalyticsEngineDataPoint[] = [];
    const METRICS = { writeDataPoint: (p?: AnalyticsEngineDataPoint) => void points.push(p!) };
    const account = await createAccount();
    const logon = await encryptLogon(account.logonKey, {
      idCard: zhang.idCard,
      userName: zhang.name,
      loginphone: zhang.phone,
    });
    const request = new Request(API, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token: account.token, iv: IV, logon }),
    });
    await app.fetch(request, { ...env, METRICS }, createExecutionContext());
    expect(points).toEqual([
      {
        indexes: [account.record.id],
        blobs: [account.record.id, "200", "10000", "0"],
        doubles: [1, 0, expect.any(Number), expect.any(Number), 1],
      },
    ]);
  });
});
