// credit, state, usage and ledger go through the running Worker's /admin API: the account's
// Durable Object holds the money and the ledger, and only the Worker can reach it.
import { ensureDevVars } from "../dev-vars.ts";
import { CliError } from "../lib/errors.ts";
import type { Command } from "./args.ts";

type AdminCommand = Extract<Command, { verb: "credit" | "state" | "usage" | "ledger" }>;

const LOCAL_URL = "http://127.0.0.1:8787";

function endpoint(command: AdminCommand): { base: string; token: string } {
  if (command.target.mode === "local") return { base: command.url ?? LOCAL_URL, token: ensureDevVars().ADMIN_TOKEN! };
  if (!command.url) throw new CliError(`${command.verb} --remote needs --url https://<your worker>`, 2);
  const token = process.env.ADMIN_TOKEN ?? "";
  if (!token) throw new CliError("--remote needs the env var ADMIN_TOKEN: the value given to `wrangler secret put ADMIN_TOKEN`", 2);
  return { base: command.url, token };
}

function path(command: AdminCommand): string {
  const account = `/admin/accounts/${command.id}`;
  switch (command.verb) {
    case "credit":
      return `${account}/credit`;
    case "state":
      return account;
    case "usage":
    case "ledger": {
      const query = new URLSearchParams({ format: command.format });
      if (command.from) query.set("from", command.from);
      if (command.to) query.set("to", command.to);
      if (command.limit !== null) query.set("limit", String(command.limit));
      return `${account}/${command.verb}?${query}`;
    }
  }
}

/** The API's answer: parsed JSON, or the CSV text as it came. */
export async function callAdmin(command: AdminCommand): Promise<object | string> {
  const { base, token } = endpoint(command);
  const url = new URL(path(command), base);
  let response: Response;
  try {
    response = await fetch(url, {
      method: command.verb === "credit" ? "POST" : "GET",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: command.verb === "credit" ? JSON.stringify({ balanceFen: command.balanceFen, count: command.count }) : undefined,
    });
  } catch {
    throw new CliError(`no Worker answers at ${url.origin}: ${command.target.mode === "local" ? "start `npm run dev` first, or give --url" : "check --url"}`);
  }
  if (response.status === 401) throw new CliError(`the Worker at ${url.origin} refused ADMIN_TOKEN${command.target.mode === "local" ? " (restart npm run dev after changing .dev.vars)" : ""}`);
  const text = await response.text();
  if (!response.ok) {
    const message = safeJson(text)?.error;
    throw new CliError(typeof message === "string" && message !== "not found" ? message : `the Worker at ${url.origin} has no /admin API (ADMIN_TOKEN not configured)`);
  }
  return response.headers.get("Content-Type")?.startsWith("text/csv") ? text : (safeJson(text) ?? {});
}

function safeJson(text: string): Record<string, unknown> | null {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
}
