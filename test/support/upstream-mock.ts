// Fakes several upstreams at once at the HTTP boundary: global fetch answers requests under each
// base URL with that upstream's handler and refuses every other outbound request; an outbound
// request nobody mocked fails the test, even when the code under test swallows the rejection.
import { onTestFinished, vi } from "vitest";

export type Captured = {
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
  /** The body as text (a juhe form or Tencent's JSON). */
  readonly body: string;
  readonly signal: AbortSignal;
};

export type Handler = (request: Captured) => Response | Promise<Response>;

export type Network = {
  /** Every request that reached a handler, in order, with the base URL it matched. */
  readonly requests: { readonly base: string; readonly request: Captured }[];
  /** The base URLs asked, in order: which upstreams a request went to. */
  asked(): string[];
};

/** Replaces global fetch for the current test, one handler per base URL; restored when the test finishes. */
export function mockUpstreams(handlers: Readonly<Record<string, Handler>>): Network {
  const requests: Network["requests"] = [];
  const unmocked: string[] = [];
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    const base = Object.keys(handlers).find((b) => request.url.startsWith(`${b}/`));
    if (base === undefined) {
      const { origin, pathname } = new URL(request.url);
      unmocked.push(`${request.method} ${origin}${pathname}`);
      throw new Error(`outbound request nobody mocked: ${request.method} ${origin}${pathname}`);
    }
    const captured: Captured = {
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: new TextDecoder().decode(await request.arrayBuffer()),
      signal: init?.signal ?? request.signal,
    };
    requests.push({ base, request: captured });
    return handlers[base]!(captured);
  });
  onTestFinished(() => {
    spy.mockRestore();
    if (unmocked.length > 0) throw new Error(`outbound requests nobody mocked: ${unmocked.join(", ")}`);
  });
  return { requests, asked: () => requests.map((r) => r.base) };
}

/** A Tencent answer with a `Result`, as FaceID PhoneVerification sends it. */
export function tencentResult(result: string, isp = "", requestId = "9f3a6c1e-2b4d-4e8f-a1b2-c3d4e5f60718"): Response {
  return Response.json({ Response: { Result: result, Description: "描述", Isp: isp, RequestId: requestId } });
}

/** A Tencent answer with `Error.Code` instead of a result. */
export function tencentError(code: string): Response {
  return Response.json({
    Response: { Error: { Code: code, Message: "message" }, RequestId: "9f3a6c1e-0000-4e8f-a1b2-c3d4e5f60718" },
  });
}
