// The account verbs (CONTRACT.md §7): settings against KV, money and the ledger through the Worker.
// Each returns the one JSON object (or CSV text) to print.
import { accountKey, tokenKey, type AccountRecord } from "../../src/accounts/record.ts";
import { sha256Hex, unseal } from "../../src/crypto/secrets.ts";
import { ensureDevVars } from "../dev-vars.ts";
import { CliError } from "../lib/errors.ts";
import { kvDelete, kvGet, kvPut, type KvTarget } from "../lib/wrangler-kv.ts";
import { callAdmin } from "./admin-api.ts";
import type { Command, KeyLength, Target } from "./args.ts";
import { applySettings, buildAccount, parseRecord, parseTokenEntry, summary, withNewLogonKey, withNewToken } from "./records.ts";

/** The service secret that seals logon keys where `target` is served. */
export function serviceSecret(target: Target): string {
  if (target.mode === "local") return ensureDevVars().SERVICE_SECRET!;
  const secret = process.env.SERVICE_SECRET ?? "";
  if (!secret) {
    throw new CliError(
      "--remote needs the env var SERVICE_SECRET: the same value given to `wrangler secret put SERVICE_SECRET` (it cannot come from .dev.vars)",
      2,
    );
  }
  if (secret.length < 32) throw new CliError("SERVICE_SECRET must be at least 32 characters (as the Worker requires)", 2);
  return secret;
}

const entries = (record: AccountRecord, newToken = false) => [
  ...(newToken ? [{ key: tokenKey(record.tokenHash), value: JSON.stringify({ accountId: record.id }) }] : []),
  { key: accountKey(record.id), value: JSON.stringify(record) },
];

async function load(target: KvTarget, id: string): Promise<AccountRecord> {
  const key = accountKey(id);
  const text = (await kvGet(target, [key])).get(key);
  if (text == null) throw new CliError(`no account ${id} in the ${target.mode} ACCOUNTS namespace`);
  return parseRecord(text, key, id);
}

/** Whether the account's token entry exists and points back at it. */
async function tokenLive(target: KvTarget, record: AccountRecord): Promise<boolean> {
  const key = tokenKey(record.tokenHash);
  const text = (await kvGet(target, [key])).get(key);
  return text != null && parseTokenEntry(text, key).accountId === record.id;
}

/** null when no secret is at hand (remote without SERVICE_SECRET). */
async function logonKeyLength(target: Target, record: AccountRecord): Promise<number | null | "unsealable"> {
  const secret = target.mode === "local" ? ensureDevVars().SERVICE_SECRET : process.env.SERVICE_SECRET;
  if (!secret) return null;
  const key = await unseal(secret, record.id, record.sealedLogonKey);
  return key === null ? "unsealable" : key.length;
}

export async function execute(command: Exclude<Command, { verb: "help" }>, now = new Date()): Promise<object | string> {
  const { target } = command;
  switch (command.verb) {
    case "create": {
      const { record, token, logonKey } = await buildAccount({ ...command, secret: serviceSecret(target), now });
      await kvPut(target, entries(record, true));
      const { accountId, ...rest } = summary(record);
      return { accountId, token, logonKey, ...rest };
    }
    case "show": {
      let record: AccountRecord;
      let live: boolean;
      if (command.token !== null) {
        const hash = await sha256Hex(command.token);
        const text = (await kvGet(target, [tokenKey(hash)])).get(tokenKey(hash));
        if (text == null) throw new CliError("no such token (never issued, rotated or disabled)");
        record = await load(target, parseTokenEntry(text, tokenKey(hash)).accountId);
        live = record.tokenHash === hash;
      } else {
        record = await load(target, command.id!);
        live = await tokenLive(target, record);
      }
      const length = await logonKeyLength(target, record);
      return {
        ...summary(record),
        hasToken: true,
        tokenLive: live,
        hasLogonKey: true,
        ...(length === null ? {} : length === "unsealable"
          ? { logonKeyUnseals: false, note: "the logon key was sealed under another SERVICE_SECRET: run rotate-key" }
          : { logonKeyUnseals: true, keyLength: length }),
      };
    }
    case "update": {
      const before = await load(target, command.id);
      const record = applySettings(before, command.settings, now);
      await kvPut(target, entries(record));
      if (before.status === "offline" && record.status !== "offline" && !(await tokenLive(target, record))) {
        return { ...summary(record), tokenLive: false, note: "the token was revoked by disable: run rotate-token for a new one" };
      }
      return summary(record);
    }
    case "rotate-token": {
      const before = await load(target, command.id);
      const { record, token } = await withNewToken(before, now);
      await kvPut(target, entries(record, true));
      await kvDelete(target, tokenKey(before.tokenHash));
      return { accountId: record.id, token };
    }
    case "rotate-key": {
      const secret = serviceSecret(target);
      const before = await load(target, command.id);
      const oldKey = await unseal(secret, before.id, before.sealedLogonKey);
      const keyLength: KeyLength = command.keyLength ?? (oldKey?.length === 32 ? 32 : 16);
      const { record, logonKey } = await withNewLogonKey(before, secret, keyLength, now);
      await kvPut(target, entries(record));
      return { accountId: record.id, logonKey };
    }
    case "disable": {
      const before = await load(target, command.id);
      const record = applySettings(before, { status: "offline" }, now);
      // Offline first (103 from then on), then the token entry goes (105 from then on).
      await kvPut(target, entries(record));
      await kvDelete(target, tokenKey(before.tokenHash));
      return { ...summary(record), tokenLive: false };
    }
    case "credit":
    case "state":
    case "usage":
    case "ledger":
      return callAdmin(command);
  }
}
