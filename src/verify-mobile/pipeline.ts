// The verifyMobile pipeline, in the contract's check order (docs/contract.md §4): parameters →
// token → account state → decrypt → logon fields → duplicate → quota → upstream. Each step returns
// an Outcome; the first failure is the answer.
import { checkAccount } from "../accounts/check.ts";
import { lookupAccount } from "../accounts/lookup.ts";
import { SERVICE } from "../accounts/record.ts";
import { currentBalance } from "../billing/gateway.ts";
import { decryptLogon } from "../crypto/logon.ts";
import { answerDuplicate } from "../duplicates/policy.ts";
import { duplicateKey, fingerprint } from "../duplicates/fingerprint.ts";
import { findDuplicate } from "../duplicates/store.ts";
import { parseLogonFields } from "../identity/logon-fields.ts";
import type { Background } from "../platform/background.ts";
import { readConfig } from "../platform/config.ts";
import { chinaDay } from "../platform/time.ts";
import type { UpstreamCall } from "../upstream/router.ts";
import type { Verified } from "../wire/envelope.ts";
import { fail, ok, type Outcome } from "../wire/outcome.ts";
import { billableCall } from "./billable-call.ts";
import { readFields } from "./request/body.ts";
import { parseParams, REQUEST_ID_HEADER } from "./request/params.ts";

/** Facts gathered along the way for the log line and the ledger. */
export type Trace = {
  accountId: string | null;
  fingerprint: string | null;
  upstream: UpstreamCall | null;
  /** The account's object holds a reservation for this request: settling it writes the ledger row. */
  reserved: boolean;
};

export async function run(request: Request, env: Env, ctx: Background, orderNo: string, now: number, trace: Trace): Promise<Outcome<Verified>> {
  const config = readConfig(env);
  if (!config.ok) return fail("500");
  const secret = config.config.SERVICE_SECRET;

  const fields = await readFields(request);
  if (!fields.ok) return fields;
  const params = parseParams(fields.value, request.headers.get(REQUEST_ID_HEADER));
  if (!params.ok) return params;
  const { token, iv, logon, logonText } = params.value;

  const account = await lookupAccount(env.ACCOUNTS, secret, token, now);
  if (!account.ok) return account;
  const { record, logonKey } = account.value;
  trace.accountId = record.id;
  const state = checkAccount(record, SERVICE, chinaDay(now), await currentBalance(env, record, now));
  if (!state.ok) return state;

  const decrypted = await decryptLogon(logonKey, iv, logon, logonText, record.diagnostics);
  if (!decrypted.ok) return decrypted;
  const identity = parseLogonFields(decrypted.value, new Date(now));
  if (!identity.ok) return identity;

  const fp = await fingerprint(secret, record.id, identity.value);
  trace.fingerprint = fp;
  const key = duplicateKey(record.id, fp);
  const seen = await findDuplicate(env.DEDUP, key, now);
  if (seen) return answerDuplicate(seen, record.duplicatePolicy, orderNo);

  const answer = await billableCall({ env, ctx, config: config.config, record, identity: identity.value, fingerprint: fp, key, orderNo, now });
  switch (answer.kind) {
    case "refused":
      return answer.failure;
    case "duplicate":
      return answerDuplicate(answer.stored, record.duplicatePolicy, orderNo);
    case "answered": {
      trace.reserved = true;
      trace.upstream = answer.call;
      const result = answer.call.outcome;
      if (!result.ok) return result;
      return ok({ returnCode: result.value.returnCode, info: { orderNo, matchCode: result.value.matchCode, carrier: result.value.carrier, billable: true, duplicate: false } });
    }
    default:
      return answer satisfies never;
  }
}
