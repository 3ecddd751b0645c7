// `npm run --silent account -- <verb> (--local [--persist-to DIR] | --remote) ...` (docs/contract.md §9).
// Prints one line of JSON on success; on failure one line {"error":...} on stderr, exit 2 for a
// wrong command line and 1 for anything else.
import { callAdmin } from "./account/admin-api.ts";
import { parseCommand, USAGE } from "./account/args.ts";
import { execute } from "./account/commands.ts";
import { callOverview } from "./account/overview.ts";
import { callSpend } from "./account/spend.ts";
import { openKv } from "./lib/accounts-kv.ts";
import { CliError } from "./lib/errors.ts";

async function run(argv: string[]): Promise<object | string> {
  const command = parseCommand(argv);
  switch (command.verb) {
    case "help":
      return `${USAGE}\n`;
    case "credit":
    case "state":
    case "usage":
    case "ledger":
      return callAdmin(command);
    case "spend":
    case "reconcile":
      return callSpend(command);
    case "list":
    case "refusals":
    case "upstreams":
    case "alert-test":
      return callOverview(command);
    default: {
      const kv = await openKv(command.target);
      try {
        return await execute(command, kv);
      } finally {
        await kv.close();
      }
    }
  }
}

async function main(argv: string[]): Promise<number> {
  try {
    const result = await run(argv);
    process.stdout.write(typeof result === "string" ? result : `${JSON.stringify(result)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof CliError) {
      process.stderr.write(`${JSON.stringify({ error: e.message })}\n`);
      return e.exitCode;
    }
    process.stderr.write(
      `${JSON.stringify({ error: `unexpected failure: ${e instanceof Error ? e.message : String(e)}` })}\n`,
    );
    if (process.env.DEBUG) console.error(e);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
