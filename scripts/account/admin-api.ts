// credit, state, usage and ledger go through the running Worker's /admin API (docs/contract.md §10):
// the account's Durable Object holds the money and the ledger, and only the Worker can reach it.
import { z } from "zod";
import { chinaDay } from "../../src/platform/time.ts";
import { ensureDevVars } from "../dev-vars.ts";
import { DEPLOY_SECRETS_PATH, deploySecret } from "../lib/deploy-secrets.ts";
import { CliError } from "../lib/errors.ts";
import { findLocal } from "../lib/local-dev.ts";
import type { Command } from "./args.ts";
import { ledgerCsv } from "./ledger-csv.ts";

export type AdminCommand = Extract<Command, { verb: "credit" | "state" | "usage" | "ledger" }>;

/** One page of a report: `next` is the cursor of the following page, null (or absent) on the last. */
const Page = z.object({
  accountId: z.string(),
  from: z.string(),
  to: z.string(),
  rows: z.array(z.record(z.string(), z.unknown())),
  next: z.string().nullish(),
});
type Report = Omit<z.output<typeof Page>, "next">;

export type Api = {
  origin: string;
  /** For --local: where the Worker was looked for. */
  found: string | null;
  call(path: string, init?: { method: "POST"; body: string }): Promise<Response>;
};

export function api(
  command: { readonly verb: string; readonly target: AdminCommand["target"]; readonly url: string | null },
  fetcher: typeof fetch,
): Api {
  const { target } = command;
  let base: string;
  let token: string;
  let found: string | null = null;
  if (target.mode === "local") {
    ({ url: base, found } = findLocal({ persistTo: target.persistTo, url: command.url }));
    token = ensureDevVars().ADMIN_TOKEN!;
  } else {
    if (!command.url) throw new CliError(`${command.verb} --remote needs --url https://<your worker>`, 2);
    base = command.url;
    token = deploySecret("ADMIN_TOKEN");
    if (!token)
      throw new CliError(
        `--remote needs ADMIN_TOKEN: \`npm run setup\` keeps it in ${DEPLOY_SECRETS_PATH}, or set the env var`,
        2,
      );
  }
  const origin = new URL(base).origin;
  return {
    origin,
    found,
    async call(path, init) {
      const url = new URL(path, base);
      try {
        return await fetcher(url, {
          method: init?.method ?? "GET",
          headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
          body: init?.body,
        });
      } catch {
        throw new CliError(
          `no Worker answers at ${origin}: ${found ? `start \`npm run dev\` first, or give --url (${found})` : "check --url"}`,
        );
      }
    },
  };
}

/** The body of a successful answer; the Worker's complaint otherwise. */
export async function text(api: Api, response: Response): Promise<string> {
  if (response.status === 401) {
    throw new CliError(
      `the Worker at ${api.origin} refused ADMIN_TOKEN${api.found ? " (restart npm run dev after changing .dev.vars)" : ""}`,
    );
  }
  const body = await response.text();
  if (!response.ok) {
    const message = json(body)?.error;
    const known = typeof message === "string" && message !== "not found";
    throw new CliError(known ? message : `the Worker at ${api.origin} has no /admin API (ADMIN_TOKEN not configured)`);
  }
  return body;
}

export function json(body: string): Record<string, unknown> | null {
  try {
    return JSON.parse(body) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** Every page of a report, following `next` until it is null. */
async function allPages(api: Api, path: string, query: URLSearchParams): Promise<Report> {
  const rows: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  let first: Report | null = null;
  let cursor: string | null = null;
  for (;;) {
    const pageQuery = new URLSearchParams(query);
    if (cursor !== null) pageQuery.set("cursor", cursor);
    const page = Page.safeParse(json(await text(api, await api.call(`${path}?${pageQuery}`))));
    if (!page.success)
      throw new CliError(`the Worker at ${api.origin} answered ${path} with something other than a report page`);
    first ??= page.data;
    rows.push(...page.data.rows);
    cursor = page.data.next ?? null;
    if (cursor === null) return { accountId: first.accountId, from: first.from, to: first.to, rows };
    if (seen.has(cursor))
      throw new CliError(`the Worker at ${api.origin} repeated a cursor; stopped after ${rows.length} rows`);
    seen.add(cursor);
  }
}

/**
 * The verb's result: parsed JSON, or CSV text. `usage` and `ledger` cover --from..--to, each
 * defaulting to today in China time (so `--from D` alone means D up to today).
 */
export async function callAdmin(
  command: AdminCommand,
  now = new Date(),
  fetcher: typeof fetch = fetch,
): Promise<object | string> {
  const worker = api(command, fetcher);
  const account = `/admin/accounts/${command.id}`;
  switch (command.verb) {
    case "credit": {
      const body = JSON.stringify({ balanceFen: command.balanceFen, count: command.count, start: command.start });
      return json(await text(worker, await worker.call(`${account}/credit`, { method: "POST", body }))) ?? {};
    }
    case "state":
      return json(await text(worker, await worker.call(account))) ?? {};
    case "usage":
    case "ledger": {
      const today = chinaDay(now.getTime());
      const query = new URLSearchParams({ from: command.from ?? today, to: command.to ?? today });
      if (command.verb === "usage" && command.format === "csv") {
        // The Worker writes the usage CSV, header included: printed as it comes.
        query.set("format", "csv");
        return text(worker, await worker.call(`${account}/usage?${query}`));
      }
      if (command.limit !== null) query.set("limit", String(command.limit));
      const report = await allPages(worker, `${account}/${command.verb}`, query);
      return command.verb === "ledger" && command.format === "csv" ? ledgerCsv(report.rows) : report;
    }
  }
}
