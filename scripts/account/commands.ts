// The account verbs (docs/contract.md §9): settings against the ACCOUNTS namespace, money and the
// ledger through the Worker's /admin API. Each returns the one JSON object (or CSV text) to print.
import { type AccountRecord, accountKey, tokenEntry, tokenKey } from "../../src/accounts/record.ts";
import { type Rotated, rotateKey, rotateToken, saveRecord } from "../../src/accounts/rotate.ts";
import { KEY_LENGTHS } from "../../src/crypto/cipher.ts";
import { sha256Hex, unseal } from "../../src/crypto/secrets.ts";
import { ensureDevVars } from "../dev-vars.ts";
import type { KvStore } from "../lib/accounts-kv.ts";
import { DEPLOY_SECRETS_PATH, deploySecret } from "../lib/deploy-secrets.ts";
import { CliError } from "../lib/errors.ts";
import { findLocal } from "../lib/local-dev.ts";
import type { Command, KeyLength, Target } from "./args.ts";
import { applySettings, buildAccount, parseRecord, parseTokenEntry, summary } from "./records.ts";

/** The service secret that seals logon keys where `target` is served. */
export function serviceSecret(target: Target): string {
  if (target.mode === "local") return ensureDevVars().SERVICE_SECRET!;
  const secret = deploySecret("SERVICE_SECRET");
  if (!secret) {
    throw new CliError(
      `--remote needs SERVICE_SECRET, the value the deployed Worker has: \`npm run setup\` keeps it in ${DEPLOY_SECRETS_PATH}, or set the env var`,
      2,
    );
  }
  if (secret.length < 32)
    throw new CliError("SERVICE_SECRET must be at least 32 characters (as the Worker requires)", 2);
  return secret;
}

/** The verbs that read and write the ACCOUNTS namespace; the others go through the Worker. */
export type KvCommand = Extract<
  Command,
  { verb: "create" | "show" | "update" | "rotate-token" | "rotate-key" | "disable" }
>;

// The token entry carries a copy of the record, so a cold isolate finds the account in one read;
// `account:<id>` stays the source of truth (docs/contract.md §9).
const tokenEntryText = (record: AccountRecord) => JSON.stringify(tokenEntry(record));

async function load(kv: KvStore, target: Target, id: string): Promise<AccountRecord> {
  const key = accountKey(id);
  const text = await kv.get(key);
  if (text == null) {
    const where = target.mode === "local" ? ` (${findLocal({ persistTo: target.persistTo }).found})` : "";
    throw new CliError(`no account ${id} in the ${target.mode} ACCOUNTS namespace${where}`);
  }
  return parseRecord(text, key, id);
}

/** Whether the account's token entry exists and points back at it. */
async function tokenLive(kv: KvStore, record: AccountRecord): Promise<boolean> {
  const key = tokenKey(record.tokenHash);
  const text = await kv.get(key);
  return text != null && parseTokenEntry(text, key).accountId === record.id;
}

/** null when no secret is at hand (remote without SERVICE_SECRET). */
async function logonKeyLength(target: Target, record: AccountRecord): Promise<number | null | "unsealable"> {
  const secret = target.mode === "local" ? ensureDevVars().SERVICE_SECRET : deploySecret("SERVICE_SECRET");
  if (!secret) return null;
  const key = await unseal(secret, record.id, record.sealedLogonKey);
  return key === null ? "unsealable" : key.length;
}

function rotated<T>(rotation: Rotated<T>): T {
  if (!rotation.ok) throw new CliError(rotation.error, 2);
  return rotation.value;
}

/** A cipher change must fit the logonKey the account has (sm4-cbc: 16 characters, docs/contract.md §1). */
async function checkKeyFits(target: Target, before: AccountRecord, after: AccountRecord): Promise<void> {
  if (after.cipher === before.cipher) return;
  const length = await logonKeyLength(target, before);
  if (typeof length !== "number")
    throw new CliError(
      `--cipher needs SERVICE_SECRET to check the logonKey's length (the env var, else ${DEPLOY_SECRETS_PATH})`,
      2,
    );
  const fits: readonly number[] = KEY_LENGTHS[after.cipher];
  if (!fits.includes(length))
    throw new CliError(
      `${after.cipher} takes a logonKey of ${fits.join(" or ")} characters; this one has ${length}: run rotate-key --key-length ${fits[0]} first`,
      2,
    );
}

export async function execute(command: KvCommand, kv: KvStore, now = new Date()): Promise<object> {
  const { target } = command;
  switch (command.verb) {
    case "create": {
      const { record, token, logonKey } = await buildAccount({ ...command, secret: serviceSecret(target), now });
      // The token entry first: until the record exists it leads nowhere (105), never to a half account.
      await kv.put(tokenKey(record.tokenHash), tokenEntryText(record));
      await kv.put(accountKey(record.id), JSON.stringify(record));
      const { accountId, ...rest } = summary(record);
      return { accountId, token, logonKey, ...rest };
    }
    case "show": {
      let record: AccountRecord;
      let live: boolean;
      if (command.token !== null) {
        const hash = await sha256Hex(command.token);
        const text = await kv.get(tokenKey(hash));
        if (text == null) throw new CliError("no such token (never issued, rotated or disabled)");
        record = await load(kv, target, parseTokenEntry(text, tokenKey(hash)).accountId);
        live = record.tokenHash === hash;
      } else {
        record = await load(kv, target, command.id!);
        live = await tokenLive(kv, record);
      }
      const length = await logonKeyLength(target, record);
      return {
        ...summary(record),
        hasToken: true,
        tokenLive: live,
        hasLogonKey: true,
        ...(length === null
          ? {}
          : length === "unsealable"
            ? { logonKeyUnseals: false, note: "the logon key was sealed under another SERVICE_SECRET: run rotate-key" }
            : { logonKeyUnseals: true, keyLength: length }),
      };
    }
    case "update": {
      const before = await load(kv, target, command.id);
      const record = applySettings(before, command.settings, now);
      await checkKeyFits(target, before, record);
      await saveRecord(kv, record, now);
      if (before.status === "offline" && record.status !== "offline" && !(await tokenLive(kv, record))) {
        return {
          ...summary(record),
          tokenLive: false,
          note: "the token was revoked by disable: run rotate-token for a new one",
        };
      }
      return summary(record);
    }
    case "rotate-token": {
      const before = await load(kv, target, command.id);
      const { record, token } = rotated(await rotateToken(kv, before, command.graceSeconds, now));
      return {
        accountId: record.id,
        token,
        ...(record.previousToken && { previousTokenUntil: record.previousToken.until }),
      };
    }
    case "rotate-key": {
      const secret = serviceSecret(target);
      const before = await load(kv, target, command.id);
      const oldKey = await unseal(secret, before.id, before.sealedLogonKey);
      const keyLength: KeyLength = command.keyLength ?? (oldKey?.length === 32 ? 32 : 16);
      const rotation = await rotateKey(kv, before, secret, keyLength, command.graceSeconds, now);
      const { record, logonKey } = rotated(rotation);
      return {
        accountId: record.id,
        logonKey,
        ...(record.previousLogonKey && { previousLogonKeyUntil: record.previousLogonKey.until }),
      };
    }
    case "disable": {
      const before = await load(kv, target, command.id);
      // A rotation's grace ends with the account: no previous token or key outlives it.
      const record = {
        ...applySettings(before, { status: "offline" }, now),
        previousToken: null,
        previousLogonKey: null,
      };
      // Offline first (103 from then on), then the token entries go (105 from then on).
      await kv.put(accountKey(record.id), JSON.stringify(record));
      await kv.delete(tokenKey(before.tokenHash));
      if (before.previousToken) await kv.delete(tokenKey(before.previousToken.tokenHash));
      return { ...summary(record), tokenLive: false };
    }
  }
}
