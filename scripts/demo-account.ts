// A fixed demo account in local KV, so `npm run dev` + `npm run demo` work on a fresh clone.
// Its credentials are public by design: local use only, never on --remote.
import { accountKey, tokenKey, TOKEN_SHAPE, type AccountRecord } from "../src/accounts/record.ts";
import { sha256Hex, unseal } from "../src/crypto/secrets.ts";
import { buildAccount, parseRecord } from "./account/records.ts";
import { ensureDevVars } from "./dev-vars.ts";
import { kvGet, kvPut, type KvTarget } from "./lib/wrangler-kv.ts";

export const DEMO = {
  accountId: "acc_00000000000000de",
  name: "Demo",
  token: "vmt_demodemodemodemodemodemodemodemo",
  logonKey: "demo-logon-key16",
} as const;

if (!TOKEN_SHAPE.test(DEMO.token) || DEMO.logonKey.length !== 16) throw new Error("demo credentials have the wrong shape");

/** The local target named by wrangler-style args: `--persist-to DIR` / `--persist-to=DIR` if given. */
export function localTarget(persistArgs: readonly string[]): KvTarget {
  let persistTo: string | null = null;
  for (let i = 0; i < persistArgs.length; i++) {
    const arg = persistArgs[i]!;
    if (arg === "--persist-to" && i + 1 < persistArgs.length) persistTo = persistArgs[++i]!;
    else if (arg.startsWith("--persist-to=")) persistTo = arg.slice("--persist-to=".length);
  }
  return { mode: "local", persistTo };
}

/**
 * Writes the demo account into local KV when it is absent, malformed, not the demo token's, or
 * sealed under another SERVICE_SECRET; also restores its token entry unless it was disabled.
 * Returns what it did.
 */
export async function ensureDemoAccount(persistArgs: readonly string[]): Promise<"present" | "created" | "repaired"> {
  const target = localTarget(persistArgs);
  const secret = ensureDevVars().SERVICE_SECRET!;
  const hash = await sha256Hex(DEMO.token);
  const [aKey, tKey] = [accountKey(DEMO.accountId), tokenKey(hash)];
  const stored = await kvGet(target, [aKey, tKey]);
  const text = stored.get(aKey);
  let record: AccountRecord | null = null;
  try {
    record = text == null ? null : parseRecord(text, aKey, DEMO.accountId);
  } catch {
    record = null; // malformed: rewrite it
  }
  if (record && record.tokenHash === hash && (await unseal(secret, record.id, record.sealedLogonKey)) === DEMO.logonKey) {
    if (stored.get(tKey) != null || record.status === "offline") return "present";
    await kvPut(target, [{ key: tKey, value: JSON.stringify({ accountId: DEMO.accountId }) }]);
    return "repaired";
  }
  const { record: fresh } = await buildAccount({
    // Diagnostics on: the demo is where integrators meet their decryption mistakes (docs/contract.md §2).
    settings: { name: DEMO.name, services: ["verifyMobile"], duplicatePolicy: "reject", dedupTtl: 60, diagnostics: true },
    keyLength: 16,
    secret,
    now: new Date(),
    id: DEMO.accountId,
    token: DEMO.token,
    logonKey: DEMO.logonKey,
  });
  await kvPut(target, [
    { key: tKey, value: JSON.stringify({ accountId: DEMO.accountId }) },
    { key: aKey, value: JSON.stringify(fresh) },
  ]);
  return text == null ? "created" : "repaired";
}
