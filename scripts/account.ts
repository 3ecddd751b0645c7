// `npm run --silent account -- <verb> (--local [--persist-to DIR] | --remote) ...` (CONTRACT.md §7).
// Prints one line of JSON on success; on failure one line {"error":...} on stderr, exit 2 for a
// wrong command line and 1 for anything else.
import { USAGE, parseCommand } from "./account/args.ts";
import { execute } from "./account/commands.ts";
import { CliError } from "./lib/errors.ts";

async function main(argv: string[]): Promise<number> {
  try {
    const command = parseCommand(argv);
    if (command.verb === "help") {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const result = await execute(command);
    process.stdout.write(typeof result === "string" ? result : `${JSON.stringify(result)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof CliError) {
      process.stderr.write(`${JSON.stringify({ error: e.message })}\n`);
      return e.exitCode;
    }
    process.stderr.write(`${JSON.stringify({ error: `unexpected failure: ${e instanceof Error ? e.message : String(e)}` })}\n`);
    if (process.env.DEBUG) console.error(e);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
