// The client as a caller gets it: `npm pack` in client/, the tarball installed into a project
// outside the repository (offline: the package has no dependencies), then used with `import` and
// with `require` from plain Node against a node:http stand-in for the service, and type-checked
// from an .mts and a .cts file.
/// <reference types="node" />
import { execFile } from "node:child_process";
import { createDecipheriv } from "node:crypto";
import { lstatSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "../..");
const KEY = "demo-logon-key16";
const ORDER_NO = "VM20261126000000000abcdefabcdef";
const IDENTITY = { idCard: "110101199003071233", userName: "张三", loginphone: "13800138000" };

let project: string;
let server: Server;
let baseUrl: string;
const received: unknown[] = [];

/** The service's side: decrypt with node:crypto, answer 200 for 张三's phone and 503 for any other. */
function standIn(): Server {
  return createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      const form = new URLSearchParams(body);
      const decipher = createDecipheriv("aes-128-cbc", Buffer.from(KEY), Buffer.from(form.get("iv")!));
      const identity = JSON.parse(
        Buffer.concat([decipher.update(form.get("logon")!, "base64"), decipher.final()]).toString("utf8"),
      );
      received.push({ path: request.url, token: form.get("token"), identity });
      const envelope =
        identity.loginphone === IDENTITY.loginphone
          ? {
              errorCode: "200",
              errorDetail: "查询成功",
              errorReason: null,
              info: { orderNo: ORDER_NO, matchCode: "11", carrier: "CMCC", billable: true, duplicate: false },
              returnCode: "10000",
              returnDesc: "一致的",
            }
          : {
              errorCode: "503",
              errorDetail: "接口未响应",
              errorReason: null,
              info: null,
              returnCode: "0",
              returnDesc: null,
            };
      response
        .writeHead(200, { "Content-Type": "application/json; charset=utf-8", "X-Order-No": ORDER_NO })
        .end(JSON.stringify(envelope));
    });
  });
}

beforeAll(async () => {
  server = standIn();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

  const packed = mkdtempSync(join(tmpdir(), "client-pack-"));
  await run("npm", ["pack", "--silent", "--pack-destination", packed], { cwd: join(ROOT, "client") });
  const [tarball] = readdirSync(packed).filter((f) => f.endsWith(".tgz"));
  project = mkdtempSync(join(tmpdir(), "client-consumer-"));
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
  await run("npm", ["install", "--offline", "--no-audit", "--no-fund", join(packed, tarball!)], { cwd: project });
}, 120_000);

afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** One verify() of each identity from a script in the consumer project; prints what came back. */
const script = (load: string) => `
  ${load}
  const client = createClient({ baseUrl: process.env.BASE_URL, token: "vmt_pack", logonKey: ${JSON.stringify(KEY)}, retries: 1 });
  const result = await client.verify(${JSON.stringify(IDENTITY)});
  const out = [{ ...result, requestId: typeof result.requestId }];
  try { await client.verify(${JSON.stringify({ ...IDENTITY, loginphone: "13900010020" })}); }
  catch (e) { out.push({ isError: e instanceof VerifyMobileError, family: e.family, code: e.code, retryable: e.retryable, orderNo: e.orderNo, attempts: e.attempts }); }
  console.log(JSON.stringify(out));`;

async function consumer(args: string[]): Promise<unknown> {
  const { stdout } = await run(process.execPath, args, { cwd: project, env: { ...process.env, BASE_URL: baseUrl } });
  return JSON.parse(stdout);
}

const EXPECTED = [
  {
    result: "consistent",
    matchCode: "11",
    carrier: "CMCC",
    orderNo: ORDER_NO,
    billable: true,
    duplicate: false,
    requestId: "string",
    attempts: 1,
  },
  { isError: true, family: "upstream", code: "503", retryable: true, orderNo: ORDER_NO, attempts: 2 },
];

describe("the packed client, installed outside the repository", () => {
  it("is installed as files, not as a link into the clone", () => {
    const installed = join(project, "node_modules/@verify-mobile/client");
    expect(lstatSync(installed).isSymbolicLink()).toBe(false);
    expect(readdirSync(installed).sort()).toEqual(["README.md", "dist", "package.json"]);
  });

  it("works with import", async () => {
    received.length = 0;
    const out = await consumer([
      "--input-type=module",
      "-e",
      script(`import { createClient, VerifyMobileError } from "@verify-mobile/client";`),
    ]);
    expect(out).toEqual(EXPECTED);
    // The 503 is sent twice: retries: 1 resends only the upstream family.
    expect(received).toEqual([
      { path: "/api/personalInfo/verifyMobile", token: "vmt_pack", identity: IDENTITY },
      {
        path: "/api/personalInfo/verifyMobile",
        token: "vmt_pack",
        identity: { ...IDENTITY, loginphone: "13900010020" },
      },
      {
        path: "/api/personalInfo/verifyMobile",
        token: "vmt_pack",
        identity: { ...IDENTITY, loginphone: "13900010020" },
      },
    ]);
  });

  it("works with require", async () => {
    const load = `const { createClient, VerifyMobileError } = require("@verify-mobile/client");`;
    // CommonJS has no top-level await: the same script inside an async function.
    const out = await consumer([
      "--input-type=commonjs",
      "-e",
      `(async () => { ${script(load)} })().catch((e) => { console.error(e); process.exit(1); });`,
    ]);
    expect(out).toEqual(EXPECTED);
  });

  it("require gets the CommonJS build and import the ESM build", async () => {
    const out = await consumer([
      "--input-type=module",
      "-e",
      `import { createRequire } from "node:module";
       const require = createRequire(process.cwd() + "/");
       console.log(JSON.stringify([require.resolve("@verify-mobile/client"), import.meta.resolve("@verify-mobile/client")].map((p) => p.replace(/^.*node_modules\\//, ""))));`,
    ]);
    expect(out).toEqual(["@verify-mobile/client/dist/cjs/index.js", "@verify-mobile/client/dist/esm/index.js"]);
  });

  it("has types for both import (.mts) and require (.cts)", { timeout: 60_000 }, async () => {
    writeFileSync(
      join(project, "uses-import.mts"),
      `import { createClient, VerifyMobileError, type VerifyResult } from "@verify-mobile/client";
       const client = createClient({ baseUrl: "http://localhost", token: "vmt_x", logonKey: "demo-logon-key16" });
       export const result: Promise<VerifyResult> = client.verify({ idCard: "1", userName: "2", loginphone: "3" });
       export const family = (e: VerifyMobileError): "token" | "request" | "upstream" | "server" | "transport" => e.family;`,
    );
    writeFileSync(
      join(project, "uses-require.cts"),
      `import client = require("@verify-mobile/client");
       const c = client.createClient({ baseUrl: "http://localhost", token: "vmt_x", logonKey: "demo-logon-key16" });
       const result: Promise<client.VerifyResult> = c.verify({ idCard: "1", userName: "2", loginphone: "3" });
       // @ts-expect-error: the types know verify() takes an identity
       c.verify("110101199003071233");
       export = result;`,
    );
    const compilerOptions = {
      noEmit: true,
      strict: true,
      module: "nodenext",
      target: "es2022",
      lib: ["es2022", "dom"],
      types: [],
    };
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({ compilerOptions, files: ["uses-import.mts", "uses-require.cts"] }),
    );
    const tsc = await run(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", project]).then(
      () => "ok",
      (e: { stdout: string }) => e.stdout,
    );
    expect(tsc).toBe("ok");
  });

  it("names the builds in its exports map", () => {
    const manifest = JSON.parse(readFileSync(join(project, "node_modules/@verify-mobile/client/package.json"), "utf8"));
    expect(manifest.exports["."]).toEqual({
      import: { types: "./dist/esm/index.d.ts", default: "./dist/esm/index.js" },
      require: { types: "./dist/cjs/index.d.ts", default: "./dist/cjs/index.js" },
    });
  });
});
