// The client (client/) on plain Node, outside workerd: its WebCrypto encryption gives the recipe
// vectors made by Node's own crypto, and a whole verify() works with Node's fetch types.
/// <reference types="node" />
import { createDecipheriv } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { encryptLogon, importLogonKey } from "../../client/crypto.ts";
import { createClient, type FetchLike } from "../../client/index.ts";
import type { Vector } from "../../docs/recipes/make-vectors.ts";

const vectors: Vector[] = JSON.parse(readFileSync(new URL("../../docs/recipes/vectors.json", import.meta.url), "utf8"));

describe("client on Node", () => {
  it.for(vectors)("encrypts like the recipes: $name", async (vector, { expect }) => {
    const key = await importLogonKey(crypto, vector.key);
    expect(await encryptLogon(crypto, key, vector.iv, vector.json)).toBe(vector.logon);
  });

  it("verifies through a fetch whose service decrypts with node:crypto", async () => {
    const [vector] = vectors;
    let received: unknown;
    const service: FetchLike = async (_url, init) => {
      const form = new URLSearchParams(String(init.body));
      const decipher = createDecipheriv(vector!.cipher, Buffer.from(vector!.key), Buffer.from(form.get("iv")!));
      received = JSON.parse(Buffer.concat([decipher.update(form.get("logon")!, "base64"), decipher.final()]).toString("utf8"));
      const info = { orderNo: "VM20261126000000000abcdefabcdef", matchCode: "11", billable: true, duplicate: false };
      return new Response(JSON.stringify({ errorCode: "200", errorDetail: "查询成功", errorReason: null, info, returnCode: "10000", returnDesc: "一致的" }));
    };
    const client = createClient({ baseUrl: "http://gateway.test", token: "vmt_node", logonKey: vector!.key, fetch: service });
    const result = await client.verify(JSON.parse(vector!.json));
    expect([received, result]).toEqual([
      JSON.parse(vector!.json),
      { result: "consistent", matchCode: "11", orderNo: "VM20261126000000000abcdefabcdef", billable: true, duplicate: false },
    ]);
  });
});
