// The client (client/) on plain Node, outside workerd: its WebCrypto encryption gives the recipe
// vectors made by Node's own crypto, and a whole verify() works with Node's fetch types.
/// <reference types="node" />
import { spawnSync } from "node:child_process";
import { createDecipheriv } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { encryptLogon, importLogonKey } from "../../client/crypto.ts";
import { createClient, type FetchLike } from "../../client/index.ts";
import type { Vector } from "../../docs/recipes/make-vectors.ts";

const vectors: Vector[] = JSON.parse(readFileSync(new URL("../../docs/recipes/vectors.json", import.meta.url), "utf8"));

describe("client on Node", () => {
  it.for(vectors)("encrypts like the recipes: $name", async (vector, { expect }) => {
    const key = importLogonKey(crypto, vector.key, vector.mode);
    expect(await encryptLogon(crypto, key, vector.iv, vector.json)).toBe(vector.logon);
  });

  it("verifies through a fetch whose service decrypts with node:crypto", async () => {
    const [vector] = vectors;
    let received: unknown;
    const service: FetchLike = async (_url, init) => {
      const form = new URLSearchParams(String(init.body));
      const decipher = createDecipheriv(vector!.cipher, Buffer.from(vector!.key), Buffer.from(form.get("iv")!));
      received = JSON.parse(
        Buffer.concat([decipher.update(form.get("logon")!, "base64"), decipher.final()]).toString("utf8"),
      );
      const info = { orderNo: "VM20261126000000000abcdefabcdef", matchCode: "11", billable: true, duplicate: false };
      return new Response(
        JSON.stringify({
          errorCode: "200",
          errorDetail: "查询成功",
          errorReason: null,
          info,
          returnCode: "10000",
          returnDesc: "一致的",
        }),
      );
    };
    const client = createClient({
      baseUrl: "http://gateway.test",
      token: "vmt_node",
      logonKey: vector!.key,
      fetch: service,
    });
    const result = await client.verify(JSON.parse(vector!.json));
    expect([received, result]).toEqual([
      JSON.parse(vector!.json),
      {
        result: "consistent",
        matchCode: "11",
        carrier: null,
        orderNo: "VM20261126000000000abcdefabcdef",
        billable: true,
        duplicate: false,
        requestId: expect.any(String),
        attempts: 1,
      },
    ]);
  });
});

describe("client/dist, the JavaScript build", () => {
  const root = new URL("../../", import.meta.url).pathname;

  it("is in step with the TypeScript sources (npm run build:client)", { timeout: 60_000 }, () => {
    const out = mkdtempSync(join(tmpdir(), "client-dist-"));
    const build = spawnSync(process.execPath, [join(root, "client/build.ts"), "--out", out], { encoding: "utf8" });
    expect(build.status, build.stdout).toBe(0);
    const files = (dir: string) =>
      readdirSync(dir, { recursive: true, encoding: "utf8" })
        .filter((f) => statSync(join(dir, f)).isFile())
        .sort();
    expect(files(join(root, "client/dist"))).toEqual(files(out));
    for (const file of files(out)) {
      expect(readFileSync(join(out, file), "utf8"), file).toBe(readFileSync(join(root, "client/dist", file), "utf8"));
    }
  });

  // The machine's own Node (20 here) rather than the Node 22 the project's tools run on.
  const systemNode = ["/usr/bin/node", "/usr/local/bin/node"].find((p) => existsSync(p));
  if (!systemNode) console.warn("client/dist: no system Node found, skipping the run on it");

  it.skipIf(!systemNode)("encrypts every vector on the machine's own Node", () => {
    const script = `
      import { importLogonKey, encryptLogon } from ${JSON.stringify(join(root, "client/dist/esm/index.js"))};
      import { webcrypto } from "node:crypto";
      const vectors = ${JSON.stringify(vectors)};
      const out = [];
      for (const v of vectors) out.push(await encryptLogon(webcrypto, importLogonKey(webcrypto, v.key, v.mode), v.iv, v.json));
      console.log(JSON.stringify({ node: process.version, out }));`;
    const run = spawnSync(systemNode!, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const { node, out } = JSON.parse(run.stdout) as { node: string; out: string[] };
    console.log(`client/dist ran on Node ${node}`);
    expect(out).toEqual(vectors.map((v) => v.logon));
  });
});
