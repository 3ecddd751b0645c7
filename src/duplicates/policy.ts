import type { AccountRecord } from "../accounts/record.ts";
import type { Verified } from "../wire/envelope.ts";
import { fail, ok, type Outcome } from "../wire/outcome.ts";
import type { StoredResult } from "./stored-result.ts";

/** A repeat within the window (CONTRACT.md §5): `reject` → 309; `replay` → the stored answer, not billed. */
export function answerDuplicate(stored: StoredResult, policy: AccountRecord["duplicatePolicy"], orderNo: string): Outcome<Verified> {
  switch (policy) {
    case "reject":
      return fail("309");
    case "replay":
      return ok({ returnCode: stored.returnCode, info: { orderNo, matchCode: stored.matchCode, carrier: stored.carrier ?? null, billable: false, duplicate: true } });
    default:
      return policy satisfies never;
  }
}
