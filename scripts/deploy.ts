// `npm run deploy [-- wrangler deploy flags]`: `wrangler deploy`, refused while wrangler.toml still
// names the placeholder KV namespaces the repo ships (a dry run would accept them silently, and a
// deploy would bind namespaces that do not exist). `npm run setup` replaces them.
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { ROOT, WRANGLER } from "./lib/paths.ts";
import { CONFIG_PATH, isPlaceholder, kvNamespaces, readConfig } from "./lib/wrangler-config.ts";
import { flagValue } from "./lib/wrangler-run.ts";

const args = process.argv.slice(2);
const given = flagValue(args, "--config", "-c");
const configPath = given === null ? CONFIG_PATH : resolve(given);

let placeholders: [string, string][];
try {
  placeholders = [...kvNamespaces(readConfig(configPath))].filter(([, id]) => isPlaceholder(id));
} catch (e) {
  process.stderr.write(`deploy refused: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
if (placeholders.length > 0) {
  const list = placeholders.map(([binding, id]) => `${binding} = "${id}"`).join(", ");
  process.stderr.write(
    `deploy refused: ${configPath} still names placeholder KV namespaces (${list}).\n` +
      "Run `npm run setup` first: it creates the namespaces, the R2 bucket and the secrets, and writes the real ids into wrangler.toml.\n",
  );
  process.exit(1);
}

const child = spawn(process.execPath, [WRANGLER, "deploy", ...args], { cwd: ROOT, stdio: "inherit" });
child.on("exit", (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
