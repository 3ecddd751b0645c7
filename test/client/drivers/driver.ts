// The TypeScript client under the conformance driver protocol (test/client/conformance.md): one
// case per stdin line of TAB-separated name=value pairs, one JSON line per case on stdout.
/// <reference types="node" />
import { createInterface } from "node:readline";
import {
  type Cipher,
  createClient,
  DEFAULT_DEADLINE_MS,
  DEFAULT_RETRIES,
  DEFAULT_TIMEOUT_MS,
  encryptLogon,
  importLogonKey,
  signRequest,
  VerifyMobileError,
} from "../../../client/index.ts";
import { hmacSm3, sm3, sm4Block } from "../../../client/sm.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

async function run(f: Record<string, string>): Promise<Record<string, unknown>> {
  const cipher = (f.cipher ?? "aes-cbc") as Cipher;
  switch (f.op) {
    case "defaults":
      return { timeoutMs: DEFAULT_TIMEOUT_MS, retries: DEFAULT_RETRIES, deadlineMs: DEFAULT_DEADLINE_MS };
    case "sm":
      return {
        sm4: hex(sm4Block(Buffer.from(f.key!, "hex"), Buffer.from(f.block!, "hex"))),
        sm3: hex(sm3(Buffer.from(f.message!, "hex"))),
        hmacSm3: hex(hmacSm3(Buffer.from(f.key!, "hex"), Buffer.from(f.message!, "hex"))),
      };
    case "encrypt":
      return { logon: await encryptLogon(crypto, importLogonKey(crypto, f.key!, cipher), f.iv!, f.json!) };
    case "sign":
      return { sign: await signRequest(crypto, importLogonKey(crypto, f.key!, cipher), f as never) };
  }
  let client: ReturnType<typeof createClient>;
  try {
    client = createClient({
      baseUrl: f.base!,
      token: f.token!,
      logonKey: f.key!,
      cipher,
      sign: f.sign === "true",
      ...(f.retries ? { retries: Number(f.retries) } : {}),
      ...(f.timeoutMs ? { timeoutMs: Number(f.timeoutMs) } : {}),
    });
  } catch (e) {
    return { invalid: (e as Error).message };
  }
  try {
    const identity = { idCard: f.idCard!, userName: f.userName!, loginphone: f.loginphone! };
    return { ...(await client.verify(identity, f.requestId ? { requestId: f.requestId } : {})) };
  } catch (e) {
    if (!(e instanceof VerifyMobileError)) return { invalid: (e as Error).message };
    const { family, code, detail, reason, orderNo, requestId, attempts, retryable } = e;
    return { family, code, detail, reason, orderNo, requestId, attempts, retryable };
  }
}

for await (const line of createInterface({ input: process.stdin })) {
  const fields = Object.fromEntries(
    line.split("\t").map((p) => [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)]),
  );
  console.log(JSON.stringify({ case: fields.case, ...(await run(fields)) }));
}
