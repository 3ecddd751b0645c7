// The upstream for the peer comparison and the latency model: juhe's plain-mode query on
// 127.0.0.1, answering after the delay its base URL names (`<url>/delay/<ms>`). It answers like
// the sandbox's fixed phone (res 2, rescode 24 → our 200/10001) and says how long it took itself,
// so the bench can take the upstream's own time out of the end-to-end time.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { UPSTREAM_OWN_HEADER } from "./model/protocol.ts";

export const FAKE_JUHE_KEY = "bench-juhe-key";

export type FakeJuhe = { baseUrl: (delayMs: number) => string; close: () => Promise<void> };

export async function startFakeJuhe(): Promise<FakeJuhe> {
  let orders = 0;
  const server: Server = createServer((request, response) => {
    const started = performance.now();
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const match = /^\/delay\/(\d+)\/telecomCmcc\/query$/.exec(request.url ?? "");
      const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      const body =
        !match || request.method !== "POST" || form.get("key") !== FAKE_JUHE_KEY
          ? { reason: "错误的请求KEY", result: null, error_code: 10001 }
          : {
              reason: "查询成功",
              result: {
                realname: "***",
                mobile: "*****",
                idcard: "*****",
                orderid: `JB${++orders}`,
                res: 2,
                resmsg: "三要素身份验证不一致",
                rescode: "24",
              },
              error_code: 0,
            };
      setTimeout(
        () => {
          const text = JSON.stringify(body);
          response.writeHead(200, {
            "content-type": "application/json;charset=utf-8",
            "content-length": Buffer.byteLength(text),
            [UPSTREAM_OWN_HEADER]: (performance.now() - started).toFixed(3),
          });
          response.end(text);
        },
        Number(match?.[1] ?? 0),
      );
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: (delayMs) => `http://127.0.0.1:${port}/delay/${delayMs}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
