// A call to the account's Durable Object on the answer path (docs/contract.md §7). The object can
// be overloaded, reset (a deploy, a move) or slow; none of that is the caller's fault or a reason
// to hang: the request gets a 503 with Retry-After, and nothing is billed (nothing went upstream).
import { logEvent } from "../platform/log.ts";
import { type Outcome, ok, retryLater } from "../wire/outcome.ts";

/** The longest the answer path waits for one call to the account's object. */
export const OBJECT_DEADLINE_MS = 3_000;
/** When to come back after the account's object did not answer. */
export const OBJECT_RETRY_AFTER_SECONDS = 2;
export const OBJECT_BUSY_REASON = `账户服务暂时繁忙，请于${OBJECT_RETRY_AFTER_SECONDS}秒后重试`;

/** The call's answer, or the 503 when it throws or outlives OBJECT_DEADLINE_MS. Never rejects. */
export async function reachObject<T>(call: Promise<T>, method: string, orderNo: string): Promise<Outcome<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), OBJECT_DEADLINE_MS);
  });
  try {
    const answer = await Promise.race([call.then((value) => ({ value })), deadline]);
    if (answer !== "late") return ok(answer.value);
    logEvent("warn", "object_unavailable", { orderNo, method, error: "deadline" });
  } catch (error) {
    // Only the error's name and the platform's flags are logged, never its message.
    const flags = error instanceof Error ? (error as Error & { overloaded?: boolean; retryable?: boolean }) : null;
    logEvent("warn", "object_unavailable", {
      orderNo,
      method,
      error: flags ? flags.name : typeof error,
      overloaded: flags?.overloaded === true,
      retryable: flags?.retryable === true,
    });
  } finally {
    clearTimeout(timer);
  }
  return retryLater("503", OBJECT_BUSY_REASON, OBJECT_RETRY_AFTER_SECONDS);
}
