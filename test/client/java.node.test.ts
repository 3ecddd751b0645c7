// client/java's VerifyMobileClient, compiled for Java 11 with javac and run against the Worker
// under `wrangler dev` (sandbox upstream, accounts made by the account command): the same
// results, error families and retry rule as the TypeScript client (test/client/client.test.ts).
/// <reference types="node" />
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Vector } from "../../docs/recipes/make-vectors.ts";
import { findCommand } from "../../scripts/lib/find-command.ts";
import { freePort, type LocalWorker, startWorker } from "../../scripts/lib/local-worker.ts";
import { ROOT } from "../../scripts/lib/paths.ts";
import { SANDBOX_PEOPLE } from "../../src/sandbox/identities.ts";
import { canRun } from "../support/toolchain.ts";

const run = promisify(execFile);
const hasJava = canRun(
  "Java client",
  findCommand("javac") && findCommand("java")
    ? null
    : "javac/java not installed (apt-get install -y default-jdk-headless)",
);

const SOURCES = [
  join(ROOT, "client/java/src/main/java/verifymobile/VerifyMobileClient.java"),
  join(import.meta.dirname, "java/ClientCheck.java"),
];
const vectors: Vector[] = JSON.parse(readFileSync(join(ROOT, "docs/recipes/vectors.json"), "utf8"));
const [zhang, li] = SANDBOX_PEOPLE;
const ORDER_NO = expect.stringMatching(/^VM\d{17}[0-9a-f]{12}$/);
/** errorReason texts are the service's to improve (docs/contract.md §3); the client passes on whatever comes. */
const REASON = expect.toBeOneOf([null, expect.any(String)]);

let worker: LocalWorker;
let classes: string;

/** Runs the cases in one JVM; one parsed JSON object per case. */
function java(lines: string[][]): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    const child = spawn("java", [
      "-Xshare:auto",
      "-XX:TieredStopAtLevel=1",
      "-cp",
      classes,
      "verifymobile.ClientCheck",
    ]);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) =>
      status === 0
        ? resolve(
            stdout
              .trim()
              .split("\n")
              .map((l) => JSON.parse(l)),
          )
        : reject(new Error(`java exited ${status}: ${stderr}`)),
    );
    child.stdin.end(lines.map((l) => `${l.join("\t")}\n`).join(""));
  });
}

/** Today's requests of the account per code, from the admin API's usage report. */
async function requestsByCode(accountId: string): Promise<Record<string, number>> {
  const usage = await fetch(`${worker.base}/admin/accounts/${accountId}/usage`, {
    headers: { Authorization: `Bearer ${worker.adminToken}` },
  });
  const { rows } = (await usage.json()) as { rows: { errorCode: string; requests: number }[] };
  return Object.fromEntries(rows.map((r) => [r.errorCode, r.requests]));
}

const verify = (
  name: string,
  base: string,
  account: { token: string; logonKey: string },
  identity: readonly string[],
  retries = 0,
  timeoutMs = 10_000,
) => ["verify", name, base, account.token, account.logonKey, String(retries), String(timeoutMs), ...identity];

describe.skipIf(!hasJava)("Java client against the running Worker", () => {
  beforeAll(async () => {
    classes = mkdtempSync(join(tmpdir(), "java-client-"));
    // --release 11: the class must stay within what JDK 11 offers; -Werror keeps it free of warnings.
    const compiled = run("javac", [
      "--release",
      "11",
      "-encoding",
      "UTF-8",
      "-Xlint:all",
      "-Werror",
      "-d",
      classes,
      ...SOURCES,
    ]);
    [worker] = await Promise.all([
      startWorker({ java: [], java256: ["--key-length", "32"] }, { UPSTREAM_TIMEOUT_MS: "1500" }),
      compiled,
    ]);
  }, 120_000);

  afterAll(() => worker?.stop());

  it("encrypts every recipe vector as the recipes do", async () => {
    const out = await java(vectors.map((v) => ["encrypt", v.name, v.key, v.iv, v.json]));
    expect(out).toEqual(vectors.map((v) => ({ case: v.name, logon: v.logon })));
  });

  it("answers results and errors by family, and resends only 501–504", async () => {
    const account = worker.accounts.java!;
    const base = worker.base;
    const unused = `http://127.0.0.1:${await freePort()}`;
    const ZHANG = [zhang.idCard, zhang.name, zhang.phone];
    const out = await java([
      verify("consistent", base, account, ZHANG),
      verify("same identity again", base, account, ZHANG, 3),
      verify("name wrong", base, account, [li.idCard, "王二", li.phone]),
      verify("carrier cannot tell", base, account, [zhang.idCard, zhang.name, "13800138003"]),
      verify("unknown token", base, { ...account, token: `vmt_${"x".repeat(32)}` }, ZHANG, 3),
      verify("malformed name", base, account, [zhang.idCard, "Z", zhang.phone]),
      verify(
        "another account's key",
        base,
        { ...account, logonKey: worker.accounts.java256!.logonKey.slice(0, 16) },
        ZHANG,
      ),
      verify("upstream stopped", base, account, [zhang.idCard, zhang.name, "13900010020"], 2),
      verify("upstream refuses our key", base, account, [zhang.idCard, zhang.name, "13900010001"], 2),
      verify("nothing listens", unused, account, ZHANG, 2),
      verify("not the API", `${base}/nowhere`, account, ZHANG, 2),
      verify("short key", base, { ...account, logonKey: "short" }, ZHANG),
    ]);
    const request = (code: string, detail: string) => ({
      family: "REQUEST",
      code,
      detail,
      reason: REASON,
      orderNo: ORDER_NO,
      retryable: false,
      message: expect.stringMatching(`^${code} ${detail}`),
    });
    expect(out).toEqual([
      {
        case: "consistent",
        outcome: "CONSISTENT",
        matchCode: "11",
        orderNo: ORDER_NO,
        billable: true,
        duplicate: false,
      },
      { case: "same identity again", ...request("309", "请求重复的请求") },
      {
        case: "name wrong",
        outcome: "INCONSISTENT",
        matchCode: "21",
        orderNo: ORDER_NO,
        billable: true,
        duplicate: false,
      },
      {
        case: "carrier cannot tell",
        outcome: "UNKNOWN",
        matchCode: null,
        orderNo: ORDER_NO,
        billable: true,
        duplicate: false,
      },
      {
        case: "unknown token",
        family: "TOKEN",
        code: "105",
        detail: "无效token",
        reason: REASON,
        orderNo: ORDER_NO,
        retryable: false,
        message: expect.stringMatching(/^105 无效token/),
      },
      { case: "malformed name", ...request("306", "请求参数userName为空或格式错误") },
      { case: "another account's key", ...request("307", "请求验签失败"), reason: expect.any(String) },
      {
        case: "upstream stopped",
        family: "UPSTREAM",
        code: "503",
        detail: "接口未响应",
        reason: REASON,
        orderNo: ORDER_NO,
        retryable: true,
        message: expect.stringMatching(/^503 接口未响应/),
      },
      {
        case: "upstream refuses our key",
        family: "SERVER",
        code: "500",
        detail: "系统错误，服务器异常",
        reason: REASON,
        orderNo: ORDER_NO,
        retryable: false,
        message: expect.stringMatching(/^500 /),
      },
      {
        case: "nothing listens",
        family: "TRANSPORT",
        code: "network",
        detail: "the request failed before an answer arrived",
        reason: expect.any(String),
        orderNo: null,
        retryable: false,
        message: expect.stringMatching(/^network /),
      },
      {
        case: "not the API",
        family: "TRANSPORT",
        code: "bad-response",
        detail: "HTTP 404: the answer is not JSON",
        reason: null,
        orderNo: null,
        retryable: false,
        message: "bad-response HTTP 404: the answer is not JSON",
      },
      { case: "short key", illegalArgument: "logonKey must be 16 or 32 bytes in UTF-8 (AES-128/256), got 5" },
    ]);

    // What the Worker saw: the 503 three times (two resends), the 500 and the 309 once each.
    expect(await requestsByCode(account.accountId)).toEqual({
      "200": 3,
      "306": 1,
      "307": 1,
      "309": 1,
      "500": 1,
      "503": 3,
    });
  }, 60_000);

  it("encrypts with AES-256 for a 32-character logonKey", async () => {
    const out = await java([verify("AES-256", worker.base, worker.accounts.java256!, [li.idCard, li.name, li.phone])]);
    expect(out).toEqual([
      { case: "AES-256", outcome: "CONSISTENT", matchCode: "11", orderNo: ORDER_NO, billable: true, duplicate: false },
    ]);
  });

  it("gives up after the timeout and does not resend (the request may have been billed)", async () => {
    const account = worker.accounts.java256!;
    const out = await java([
      verify("no answer", worker.base, account, [zhang.idCard, zhang.name, "13900000408"], 2, 500),
    ]);
    expect(out).toEqual([
      {
        case: "no answer",
        family: "TRANSPORT",
        code: "timeout",
        detail: "no answer within 500 ms",
        reason: null,
        orderNo: null,
        retryable: false,
        message: "timeout no answer within 500 ms",
      },
    ]);
    // The Worker goes on and answers 501 after its UPSTREAM_TIMEOUT_MS (1.5 s): one request, not three.
    await new Promise((r) => setTimeout(r, 3000));
    expect(await requestsByCode(account.accountId)).toEqual({ "200": 1, "501": 1 });
  });
});
