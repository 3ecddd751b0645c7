// A loopback HTTP proxy in front of the Worker that plays the network's faults, chosen by the first
// path segment of the client's baseUrl (`http://proxy/<mode>`), once per requestId:
//   pass          forwards every request;
//   fail501-once  answers the first attempt itself with a 501 envelope, forwards the rest;
//   fail503       answers every attempt itself with a 503 envelope (no upstream is made to fail:
//                 the Worker's circuit breaker stays out of the scenario);
//   drop-once     forwards the first attempt, lets the Worker answer (and bill), then cuts the
//                 connection half a second later so the caller never sees the answer; forwards the rest.
// It records what each attempt sent and the order number it was answered with.
/// <reference types="node" />
import { createServer, type Server } from "node:http";

export type Attempt = {
  mode: string;
  requestId: string | null;
  iv: string | null;
  sign: string | null;
  /** X-Order-No of the Worker's answer (null for the proxy's own 501 and for no answer). */
  orderNo: string | null;
  /** Whether the caller got the answer. */
  delivered: boolean;
};

export type FaultProxy = { base: string; attempts: Attempt[]; close(): Promise<void> };

const envelope = (errorCode: string, errorDetail: string) =>
  JSON.stringify({ errorCode, errorDetail, errorReason: null, info: null, returnCode: "0", returnDesc: null });
const OWN_ANSWERS: Record<string, string> = {
  "501": envelope("501", "查询超时"),
  "503": envelope("503", "接口未响应"),
};
/** The order number the proxy's own answers carry, in the service's format. */
export const PROXY_ORDER_NO = "VM20261207000000000a1b2c3d4e5f6";

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const attempts: Attempt[] = [];
  const seen = new Set<string>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", async () => {
      const body = Buffer.concat(chunks);
      const [, mode = "", ...rest] = (request.url ?? "/").split("/");
      const form = new URLSearchParams(body.toString("utf8"));
      const requestId = form.get("requestId");
      const first = !seen.has(`${mode}:${requestId}`);
      seen.add(`${mode}:${requestId}`);
      const attempt: Attempt = {
        mode,
        requestId,
        iv: form.get("iv"),
        sign: form.get("sign"),
        orderNo: null,
        delivered: true,
      };
      attempts.push(attempt);
      const own = mode === "fail503" ? "503" : mode === "fail501-once" && first ? "501" : null;
      if (own) {
        attempt.orderNo = PROXY_ORDER_NO;
        response
          .writeHead(200, { "Content-Type": "application/json; charset=utf-8", "X-Order-No": PROXY_ORDER_NO })
          .end(OWN_ANSWERS[own]);
        return;
      }
      let answer: Response;
      let text: string;
      try {
        answer = await fetch(`${target}/${rest.join("/")}`, {
          method: request.method,
          headers: { "Content-Type": request.headers["content-type"] ?? "" },
          body,
        });
        text = await answer.text();
      } catch {
        request.socket.destroy(); // the Worker is gone: so is the answer
        return;
      }
      attempt.orderNo = answer.headers.get("X-Order-No");
      if (mode === "drop-once" && first) {
        attempt.delivered = false;
        // The Worker settles the billed answer off the response path (docs/contract.md §7): give it
        // time, so the retry meets the stored answer rather than a request still in flight (309).
        await new Promise((resolve) => setTimeout(resolve, 500));
        request.socket.destroy();
        return;
      }
      const headers: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        if (name !== "content-length" && name !== "content-encoding" && name !== "transfer-encoding")
          headers[name] = value;
      });
      response.writeHead(answer.status, headers).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    base: `http://127.0.0.1:${port}`,
    attempts,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
