// The list, refusals, upstreams and alert-test verbs (docs/contract.md §10) against a stub of the
// admin API on 127.0.0.1: each asks its one route, with the token, and prints the answer.
/// <reference types="node" />
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCommand } from "../../scripts/account/args.ts";
import { callOverview, type OverviewCommand } from "../../scripts/account/overview.ts";
import { ensureDevVars } from "../../scripts/dev-vars.ts";

let server: Server;
let url: string;
const asked: { method: string; path: string; auth: string | undefined }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    asked.push({ method: request.method!, path: request.url!, auth: request.headers.authorization });
    response.setHeader("Content-Type", "application/json");
    response.end(JSON.stringify({ answered: request.url }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());

const run = (argv: string[]) => callOverview(parseCommand([...argv, "--local", "--url", url]) as OverviewCommand);

describe("account list, refusals, upstreams, alert-test", () => {
  it("asks each verb's admin route with the admin token", async () => {
    const answers = [
      await run(["list", "--search", "Acme Co"]),
      await run(["refusals", "--id", "acc_0123456789abcdef", "--code", "307", "--from", "2026-12-01"]),
      await run(["upstreams", "--to", "2026-12-02"]),
      await run(["alert-test"]),
    ];
    const token = `Bearer ${ensureDevVars().ADMIN_TOKEN}`;
    expect([asked, answers]).toEqual([
      [
        { method: "GET", path: "/admin/accounts?q=Acme+Co&limit=100", auth: token },
        { method: "GET", path: "/admin/accounts/acc_0123456789abcdef/refusals?code=307&from=2026-12-01", auth: token },
        { method: "GET", path: "/admin/upstreams?to=2026-12-02", auth: token },
        { method: "POST", path: "/admin/alerts/test", auth: token },
      ],
      asked.map((a) => ({ answered: a.path })),
    ]);
  });
});
