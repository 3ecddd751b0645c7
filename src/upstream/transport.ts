// The HTTP exchange every adapter shares (docs/contract.md §5): one POST, answered within its
// time, at most 64 KiB read, parsed as JSON. Whatever goes wrong here is not about the person, so
// every transport failure fails over; all but a 4xx status count against the upstream's circuit
// (a 4xx other than 429 answers this request, not the upstream's health).
import { type FailureRow, failed, fault, pass, type Reply } from "./upstream.ts";

const HTTP_STATUS = "上游HTTP状态异常";

/** An upstream answer larger than this is not read further. */
export const MAX_ANSWER_BYTES = 64 * 1024;

/** Failures of the exchange itself, before the upstream's own code could be read. */
export const TRANSPORT_FAILURES = {
  timeout: fault("501", "上游查询超时"),
  unreachable: fault("503", "上游服务无法连接"),
  httpError: fault("502", HTTP_STATUS),
  httpRefused: pass("502", HTTP_STATUS),
  notJson: fault("502", "上游响应格式错误"),
  oversized: fault("502", "上游响应过大"),
  /** JSON, but not the upstream's shape: read by the adapter, which knows the shape. */
  malformed: fault("502", "上游响应内容无效"),
} as const satisfies Record<string, FailureRow>;

export type TransportFailure = keyof typeof TRANSPORT_FAILURES;

export function transportReply(kind: TransportFailure): Reply {
  return failed(TRANSPORT_FAILURES[kind], null);
}

export type Exchanged =
  | { readonly ok: true; readonly json: unknown }
  | { readonly ok: false; readonly kind: TransportFailure };

// Resolved per call, so a test that replaces global fetch after building a client still sees it.
export const network: typeof fetch = (input, init) => fetch(input, init);

const TIMED_OUT = Symbol("timed out");

/**
 * POST `init` to `url` and read the JSON answer within `timeoutMs`. The signal asks fetch to stop;
 * the race makes the time limit hold even for a fetcher (or a body) that ignores it.
 */
export async function exchange(
  send: typeof fetch,
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<Exchanged> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => {
      resolve(TIMED_OUT); // first, so the race answers 501 before the aborted fetch rejects
      controller.abort(new DOMException("upstream timeout", "TimeoutError"));
    }, timeoutMs);
  });
  try {
    const answer = await Promise.race([
      post(send, url, { ...init, method: "POST", signal: controller.signal }),
      deadline,
    ]);
    return answer === TIMED_OUT ? { ok: false, kind: "timeout" } : answer;
  } finally {
    clearTimeout(timer);
  }
}

async function post(send: typeof fetch, url: string, init: RequestInit): Promise<Exchanged> {
  let response: Response;
  try {
    response = await send(url, init);
  } catch {
    // After our time limit the race has already answered 501; otherwise the network failed.
    return { ok: false, kind: "unreachable" };
  }
  if (response.status < 200 || response.status > 299) {
    await response.body?.cancel().catch(() => {});
    const down = response.status >= 500 || response.status === 429;
    return { ok: false, kind: down ? "httpError" : "httpRefused" };
  }
  const text = await readCapped(response);
  if (text === null) return { ok: false, kind: "oversized" };
  try {
    return { ok: true, json: JSON.parse(text) };
  } catch {
    return { ok: false, kind: "notJson" };
  }
}

/** The body as text, or null past MAX_ANSWER_BYTES: a declared length is refused unread, a stream when it passes the cap. */
async function readCapped(response: Response): Promise<string | null> {
  const length = response.headers.get("Content-Length");
  if (length !== null && Number(length) > MAX_ANSWER_BYTES) {
    await response.body?.cancel().catch(() => {});
    return null;
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel().catch(() => {});
      return null;
    }
    text += decoder.decode(value, { stream: true });
  }
}
