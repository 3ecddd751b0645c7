// `npm run dev` end to end, as a newcomer meets it: accounts made by the account command are there
// when wrangler dev starts on the same state, the demo request and a created account's request are
// answered, the admin verbs read the ledger, and the start prints no stack trace or network noise
// (this machine, like many, cannot reach Cloudflare).
/// <reference types="node" />
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/lib/paths.ts";

const run = promisify(execFile);
const node = (script: string, ...args: string[]) => run(process.execPath, [join(ROOT, script), ...args], { cwd: ROOT });

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

describe("npm run dev", () => {
  let dev: ChildProcess | null = null;
  afterAll(async () => {
    if (!dev?.pid || dev.exitCode !== null || dev.signalCode !== null) return;
    const exited = new Promise((done) => dev!.on("exit", done));
    process.kill(-dev.pid, "SIGTERM"); // dev.ts, wrangler and workerd: the group this test started
    await exited;
  });

  it("serves the accounts the account command made, quietly", { timeout: 180_000 }, async () => {
    const persistTo = mkdtempSync(join(tmpdir(), "vm-dev-"));
    const created = JSON.parse(
      (
        await node(
          "scripts/account.ts",
          "create",
          "--local",
          "--persist-to",
          persistTo,
          "--name",
          "Before dev",
          "--price",
          "15",
        )
      ).stdout,
    ) as {
      accountId: string;
      token: string;
      logonKey: string;
    };

    const [port, inspector] = [await freePort(), await freePort()];
    // A developer's shell: none of the switches dev.ts sets for wrangler, and not vitest's
    // NODE_ENV=test (under which Miniflare skips the Request.cf download by itself).
    const { CLOUDFLARE_CF_FETCH_ENABLED: _, WRANGLER_SEND_METRICS: __, NODE_ENV: ___, ...env } = process.env;
    const child = spawn(
      process.execPath,
      [
        join(ROOT, "scripts/dev.ts"),
        "--port",
        String(port),
        "--inspector-port",
        String(inspector),
        "--ip",
        "127.0.0.1",
        "--persist-to",
        persistTo,
      ],
      {
        cwd: ROOT,
        env,
        detached: true,
      },
    );
    dev = child;
    let output = "";
    await new Promise<void>((ready, fail) => {
      const timer = setTimeout(() => fail(new Error(`wrangler dev not ready after 120 s:\n${output}`)), 120_000);
      const read = (chunk: string) => {
        output += chunk;
        if (/Ready on/.test(output)) {
          clearTimeout(timer);
          ready();
        }
      };
      child.stdout!.setEncoding("utf8").on("data", read);
      child.stderr!.setEncoding("utf8").on("data", read);
      child.on("exit", (code) => fail(new Error(`wrangler dev exited (${code}):\n${output}`)));
    });

    const url = `http://127.0.0.1:${port}`;
    const demo = JSON.parse((await node("scripts/demo.ts", "--url", url)).stdout) as { errorCode: string };
    const ours = JSON.parse(
      (await node("scripts/demo.ts", "--url", url, "--token", created.token, "--logon-key", created.logonKey)).stdout,
    ) as { errorCode: string };
    expect([demo.errorCode, ours.errorCode]).toEqual(["200", "200"]);

    // The ledger row is written in the background: ask until it is there.
    let ledger: { rows: { chargedFen: number }[] } = { rows: [] };
    for (let tries = 0; ledger.rows.length === 0 && tries < 20; tries++) {
      await new Promise((r) => setTimeout(r, 250));
      ledger = JSON.parse(
        (await node("scripts/account.ts", "ledger", "--local", "--url", url, "--id", created.accountId)).stdout,
      );
    }
    expect(ledger.rows.map((row) => row.chargedFen)).toEqual([15]);

    const demoAccount = JSON.parse(
      (await node("scripts/account.ts", "show", "--local", "--persist-to", persistTo, "--id", "acc_00000000000000de"))
        .stdout,
    );
    expect(demoAccount).toMatchObject({ name: "Demo", diagnostics: true, tokenLive: true, logonKeyUnseals: true }); // docs/contract.md §9

    expect(output).toContain(`Ready on ${url}`);
    expect(output).not.toMatch(/ENOTFOUND|Error:|^\s+at |telemetry|Request\.cf/m);
  });
});
