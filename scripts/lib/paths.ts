import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The project root (where wrangler.toml and .dev.vars live). */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** wrangler's own entry point, run with this same Node 22 (process.execPath). */
export const WRANGLER =
  [join(ROOT, "node_modules/wrangler/bin/wrangler.js"), join(ROOT, "node_modules/.bin/wrangler")].find((p) =>
    existsSync(p),
  ) ?? "wrangler";
