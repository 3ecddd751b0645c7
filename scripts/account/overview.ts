// The console's lists as verbs (docs/contract.md §10): accounts by search, an account's newest
// refusals, the upstreams' activity, and the alert test; each one admin route, printed as answered.
import { api, json, text } from "./admin-api.ts";
import type { Command } from "./args.ts";

export type OverviewCommand = Extract<Command, { verb: "list" | "refusals" | "upstreams" | "alert-test" }>;

/** The route and query of each verb. */
function route(command: OverviewCommand): string {
  const range = (query: URLSearchParams) => {
    if (command.verb !== "refusals" && command.verb !== "upstreams") return query;
    if (command.from !== null) query.set("from", command.from);
    if (command.to !== null) query.set("to", command.to);
    return query;
  };
  switch (command.verb) {
    case "list":
      return `/admin/accounts?${new URLSearchParams({ q: command.search, limit: "100" })}`;
    case "refusals":
      return `/admin/accounts/${command.id}/refusals?${range(new URLSearchParams(command.code === null ? {} : { code: command.code }))}`;
    case "upstreams":
      return `/admin/upstreams?${range(new URLSearchParams())}`;
    case "alert-test":
      return "/admin/alerts/test";
  }
}

export async function callOverview(command: OverviewCommand, fetcher: typeof fetch = fetch): Promise<object> {
  const worker = api(command, fetcher);
  const init = command.verb === "alert-test" ? { method: "POST" as const, body: "{}" } : undefined;
  return json(await text(worker, await worker.call(route(command), init))) ?? {};
}
