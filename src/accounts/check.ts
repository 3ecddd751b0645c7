// Pure account checks at the token check (docs/contract.md §4). `today` is passed in: no clock here.
// Price and counts are checked by the account's Durable Object (billing/).
import { fail, type Outcome, ok } from "../wire/outcome.ts";
import type { AccountRecord } from "./record.ts";

/**
 * The order is the contract's: 103, 104, 304, 311, 305, 314 (302 is the lookup's). The balance is
 * the account's Durable Object's (billing/gateway.ts); null for an account that is not prepaid.
 */
export function checkAccount(
  record: AccountRecord,
  service: string,
  today: string,
  balanceFen: number | null,
): Outcome<void> {
  if (record.status === "offline") return fail("103");
  if (balanceFen !== null && balanceFen <= 0) return fail("104");
  if (record.status === "frozen") return fail("304");
  if (Object.keys(record.services).length === 0) return fail("311");
  if (!record.services[service]) return fail("305");
  // The contract end day is inclusive.
  if (record.contractEnd !== null && record.contractEnd < today)
    return fail("314", `账户合同已于${record.contractEnd}（北京时间）到期：请联系运营方续约`);
  return ok(undefined);
}
