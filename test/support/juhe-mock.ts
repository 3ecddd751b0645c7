// Fakes juhe at the HTTP boundary: global fetch answers requests under the juhe base URL with the
// test's handler and refuses every other outbound request — an outbound request nobody mocked
// fails the test, even when the code under test swallows the rejected fetch.
import { onTestFinished, vi } from "vitest";

export type CapturedRequest = {
  readonly method: string;
  readonly url: string;
  readonly contentType: string | null;
  /** The decoded form body. */
  readonly form: URLSearchParams;
  readonly signal: AbortSignal;
};

export type JuheHandler = (request: CapturedRequest) => Response | Promise<Response>;

export type JuheMock = {
  /** Every request that reached the handler, in order. */
  readonly requests: CapturedRequest[];
  /** The single request of a one-call test. */
  only(): CapturedRequest;
};

/** Replaces global fetch for the current test; restored when the test finishes. */
export function mockJuhe(baseUrl: string, handler: JuheHandler): JuheMock {
  const requests: CapturedRequest[] = [];
  const unmocked: string[] = [];
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    if (!request.url.startsWith(`${baseUrl}/`)) {
      const { origin, pathname } = new URL(request.url);
      unmocked.push(`${request.method} ${origin}${pathname}`);
      throw new Error(`outbound request nobody mocked: ${request.method} ${origin}${pathname}`);
    }
    const captured: CapturedRequest = {
      method: request.method,
      url: request.url,
      contentType: request.headers.get("Content-Type"),
      form: new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer())),
      signal: init?.signal ?? request.signal,
    };
    requests.push(captured);
    return handler(captured);
  });
  onTestFinished(() => {
    spy.mockRestore();
    if (unmocked.length > 0) throw new Error(`outbound requests nobody mocked: ${unmocked.join(", ")}`);
  });
  return {
    requests,
    only() {
      if (requests.length !== 1) throw new Error(`expected exactly one juhe request, got ${requests.length}`);
      return requests[0]!;
    },
  };
}

/** A juhe-shaped JSON answer. */
export function juheJson(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json;charset=utf-8" } });
}

/** A successful juhe query result, as in juhe's documented example. */
export function juheMatch(
  res: number | string,
  rescode?: string | number,
  orderid = "J2732018111616502005782a",
): Response {
  const result = {
    realname: "***",
    mobile: "*****",
    idcard: "*****",
    orderid,
    res,
    resmsg: "三要素身份验证不一致",
    ...(rescode === undefined ? {} : { rescode }),
  };
  return juheJson({ reason: "查询成功", result, error_code: 0 });
}

export function juheError(errorCode: number | string, reason = "错误"): Response {
  return juheJson({ reason, result: null, error_code: errorCode });
}

/** A promise that never settles: a fetch that ignores its abort signal. */
export const never = <T>(): Promise<T> => new Promise<T>(() => {});
