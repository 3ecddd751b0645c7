// A fixed demo account in local KV, so `npm run dev` + `npm run demo` work on a fresh clone.
// Its credentials are public by design: local use only, never on --remote.
import { type AccountRecord, accountKey, TOKEN_SHAPE, tokenEntry, tokenKey } from "../src/accounts/record.ts";
import { sha256Hex, unseal } from "../src/crypto/secrets.ts";
import { buildAccount, parseRecord } from "./account/records.ts";
import { ensureDevVars } from "./dev-vars.ts";
import { type KvStore, openLocalKv } from "./lib/accounts-kv.ts";
import { devStateOf } from "./lib/local-dev.ts";

export const DEMO = {
  accountId: "acc_00000000000000de",
  name: "Demo",
  token: "vmt_demodemodemodemodemodemodemodemo",
  logonKey: "demo-logon-key16",
} as const;

if (!TOKEN_SHAPE.test(DEMO.token) || DEMO.logonKey.length !== 16)
  throw new Error("demo credentials have the wrong shape");

/**
 * Writes the demo account into the local KV state wrangler dev will use when it is absent,
 * malformed, not the demo token's, without diagnostics (docs/contract.md §9) or sealed under another
 * SERVICE_SECRET; also restores its token entry unless it was disabled. Returns what it did.
 */
export async function ensureDemoAccount(devArgs: readonly string[]): Promise<"present" | "created" | "repaired"> {
  const kv = await openLocalKv(devStateOf(devArgs));
  try {
    return await ensureIn(kv);
  } finally {
    await kv.close();
  }
}

async function ensureIn(kv: KvStore): Promise<"present" | "created" | "repaired"> {
  const secret = ensureDevVars().SERVICE_SECRET!;
  const hash = await sha256Hex(DEMO.token);
  const [aKey, tKey] = [accountKey(DEMO.accountId), tokenKey(hash)];
  const text = await kv.get(aKey);
  let record: AccountRecord | null = null;
  try {
    record = text == null ? null : parseRecord(text, aKey, DEMO.accountId);
  } catch {
    record = null; // malformed: rewrite it
  }
  if (
    record?.diagnostics &&
    record.tokenHash === hash &&
    (await unseal(secret, record.id, record.sealedLogonKey)) === DEMO.logonKey
  ) {
    if ((await kv.get(tKey)) != null || record.status === "offline") return "present";
    await kv.put(tKey, JSON.stringify(tokenEntry(record)));
    return "repaired";
  }
  const { record: fresh } = await buildAccount({
    // Diagnostics on: the demo is where integrators meet their decryption mistakes (docs/contract.md §2).
    settings: {
      name: DEMO.name,
      services: ["verifyMobile"],
      duplicatePolicy: "reject",
      dedupTtl: 60,
      diagnostics: true,
    },
    keyLength: 16,
    secret,
    now: new Date(),
    id: DEMO.accountId,
    token: DEMO.token,
    logonKey: DEMO.logonKey,
  });
  await kv.put(tKey, JSON.stringify(tokenEntry(fresh)));
  await kv.put(aKey, JSON.stringify(fresh));
  return text == null ? "created" : "repaired";
}
