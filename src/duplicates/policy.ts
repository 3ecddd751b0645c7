// Answers about earlier requests (docs/contract.md §6): repeats within the duplicate window, retries
// with a requestId, identical requests still in flight. Every 309 names the order that was first,
// so a caller can reconcile.
import type { AccountRecord } from "../accounts/record.ts";
import { chinaDateTime } from "../platform/time.ts";
import type { Verified } from "../wire/envelope.ts";
import { badParam, type Failure, fail, type Outcome, ok } from "../wire/outcome.ts";
import type { StoredResult } from "./stored-result.ts";

/**
 * A repeat within the window: `reject` → 309 naming the original order, the window and when the
 * identity may be asked again; `replay` → the stored answer under this order, not billed.
 */
export function answerDuplicate(
  stored: StoredResult,
  account: Pick<AccountRecord, "duplicatePolicy" | "dedupTtl">,
  orderNo: string,
): Outcome<Verified> {
  switch (account.duplicatePolicy) {
    case "reject":
      return fail(
        "309",
        `重复的请求：${account.dedupTtl}秒内已查询过相同身份（订单${stored.orderNo}），请使用原结果；` +
          `${chinaDateTime(stored.at + account.dedupTtl * 1000)}（北京时间）后可再查`,
      );
    case "replay":
      return ok({
        returnCode: stored.returnCode,
        info: {
          orderNo,
          matchCode: stored.matchCode,
          carrier: stored.carrier ?? null,
          billable: false,
          duplicate: true,
        },
      });
    default:
      return account.duplicatePolicy satisfies never;
  }
}

/** A retry with an answered requestId: the original answer, under the original order number, whatever the policy. */
export function answerRetry(stored: StoredResult): Outcome<Verified> {
  return ok({
    returnCode: stored.returnCode,
    info: {
      orderNo: stored.orderNo,
      matchCode: stored.matchCode,
      carrier: stored.carrier ?? null,
      billable: false,
      duplicate: true,
    },
  });
}

/**
 * An identical request, or one with the same requestId, holds a reservation right now: there is no
 * answer to give yet under either policy, so 309 naming that order; retrying later gets its answer.
 */
export const inFlight = (orderNo: string): Failure => fail("309", `相同请求正在处理中（订单${orderNo}），请稍后重试`);

export const requestIdReused = (): Failure => badParam("requestId", "requestId已用于另一身份的请求");
