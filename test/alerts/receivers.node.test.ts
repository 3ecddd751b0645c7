// The receiver examples of docs/operations.md (docs/receivers/) accept what the Worker signs and
// refuse a replay, an altered body and another secret: the Node one in-process and over HTTP,
// the Java one with javac's single-file launcher. Signed here with the Worker's own signature().
/// <reference types="node" />
import { execFile } from "node:child_process";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain JavaScript example, without types
import { alertServer, verifyAlert } from "../../docs/receivers/receiver.mjs";
import { findCommand } from "../../scripts/lib/find-command.ts";
import { ROOT } from "../../scripts/lib/paths.ts";
import { signature } from "../../src/alerts/sign.ts";
import { canRun } from "../support/toolchain.ts";

const run = promisify(execFile);
const SECRET = "receiver-secret-0123456789abcdef-0123";
const BODY = JSON.stringify({
  id: "alt_0123456789abcdef",
  type: "balance.low",
  created: 1765090800,
  accountId: "acc_0123456789abcdef",
  upstream: null,
  data: { balanceFen: 70, thresholdFen: 100 },
});
const NOW = 1765090800;

/** [secret, header, body, now] → whether a receiver should accept. */
async function cases(): Promise<[string, string, string, number, boolean][]> {
  const header = await signature(SECRET, BODY, NOW);
  return [
    [SECRET, header, BODY, NOW + 10, true],
    [SECRET, header, BODY, NOW + 301, false],
    [SECRET, header, BODY.replace("70", "71"), NOW, false],
    [`${SECRET}x`, header, BODY, NOW, false],
    [SECRET, "t=abc,v1=00", BODY, NOW, false],
  ];
}

describe("the Node receiver example", () => {
  it("verifies as the Worker signs", async () => {
    const answers = (await cases()).map(([secret, header, body, now]) =>
      verifyAlert(secret, header, Buffer.from(body), now),
    );
    expect(answers).toEqual((await cases()).map((c) => c[4]));
  });

  describe("over HTTP", () => {
    let server: import("node:http").Server;
    let url: string;
    const alerts: unknown[] = [];
    beforeAll(async () => {
      server = alertServer(SECRET, (alert: unknown) => alerts.push(alert));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    });
    afterAll(() => server.close());

    it("takes a signed alert once, answers a retry 204 too, refuses an unsigned one", async () => {
      const post = async (headers: Record<string, string>) =>
        (await fetch(url, { method: "POST", headers, body: BODY })).status;
      const signed = { "X-Signature": await signature(SECRET, BODY, Math.floor(Date.now() / 1000)) };
      expect([await post(signed), await post(signed), await post({})]).toEqual([204, 204, 400]);
      expect(alerts).toEqual([JSON.parse(BODY)]);
    });
  });
});

const hasJava = canRun("Java receiver", findCommand("java") ? null : "java not installed");

describe.skipIf(!hasJava)("the Java receiver example", () => {
  it("verifies as the Worker signs", async () => {
    const answers: boolean[] = [];
    for (const [secret, header, body, now] of await cases()) {
      const child = run("java", [join(ROOT, "docs/receivers/AlertReceiver.java"), secret, header, String(now)]);
      child.child.stdin!.end(body);
      answers.push((await child).stdout.trim() === "valid");
    }
    expect(answers).toEqual((await cases()).map((c) => c[4]));
  }, 60_000);
});
