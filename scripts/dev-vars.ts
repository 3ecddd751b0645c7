// Local secrets for `wrangler dev` and the account command (docs/contract.md §9): `.dev.vars` in the
// project root. Whichever runs first creates it; both read the same SERVICE_SECRET afterwards.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { VENDOR_SETTINGS } from "../src/config/config.ts";
import { randomBase64Url } from "../src/crypto/bytes.ts";
import { CliError } from "./lib/errors.ts";
import { ROOT } from "./lib/paths.ts";

export const DEV_VARS_PATH = join(ROOT, ".dev.vars");

const HEADER = `# Local secrets for \`npm run dev\` (wrangler dev) and \`npm run account -- ... --local\`.
# Created automatically; never commit this file (it is in .gitignore). Edits are kept.
# SERVICE_SECRET seals the accounts' logon keys in local KV and keys the duplicate fingerprints:
#   change it and every local account needs \`account -- rotate-key\` (the demo account is re-seeded).
# ADMIN_TOKEN guards the local /admin API the account command's credit, state, usage and ledger use.
# UPSTREAMS=sandbox -> the built-in sandbox twins answer, offline. For real upstreams name them
#   (e.g. UPSTREAMS=juhe:CTCC,juhe3,tencent) and fill in their secrets below; docs/upstreams.md.
`;

/** Every vendor's secrets (src/upstream/vendors.ts): declared (empty) so wrangler sees every secret the Worker reads. */
export const UPSTREAM_SECRETS = [...VENDOR_SETTINGS].filter(([, s]) => s.secret).map(([name]) => name);

/** dotenv-style lines: KEY=VALUE, optional `export `, quotes, `#` comments. */
export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(raw);
    if (!m) continue;
    let value = m[2] ?? "";
    const q = value[0];
    if ((q === '"' || q === "'" || q === "`") && value.length >= 2 && value.endsWith(q)) {
      value = value.slice(1, -1);
      if (q === '"') value = value.replace(/\\n/g, "\n");
    } else {
      value = value.replace(/\s+#.*$/, "");
    }
    out[m[1]!] = value;
  }
  return out;
}

function readText(): string | null {
  try {
    return readFileSync(DEV_VARS_PATH, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
}

/** Secrets every local run needs; each is generated the first time it is missing or empty. */
const GENERATED = ["SERVICE_SECRET", "ADMIN_TOKEN"] as const;

/** Creates `.dev.vars` if missing, adds any absent or empty generated secret, and returns its values. */
export function ensureDevVars(): Record<string, string> {
  let text = readText();
  if (text === null) {
    try {
      const lines = [
        ...GENERATED.map((name) => `${name}=${randomBase64Url(32)}`),
        "UPSTREAMS=sandbox",
        ...UPSTREAM_SECRETS.map((name) => `${name}=`),
      ];
      writeFileSync(DEV_VARS_PATH, `${HEADER}${lines.join("\n")}\n`, { flag: "wx", mode: 0o600 });
    } catch (e) {
      // Another process (dev or account) won the race: use its file.
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    text = readText() ?? "";
  }
  for (const name of GENERATED) {
    if (parseDotenv(text)[name]) continue;
    const line = `${name}=${randomBase64Url(32)}`;
    const emptyLine = new RegExp(`^[ \\t]*(?:export[ \\t]+)?${name}[ \\t]*=[ \\t]*(?:""|'')?[ \\t]*$`, "m");
    text = emptyLine.test(text)
      ? text.replace(emptyLine, line)
      : `${text}${text === "" || text.endsWith("\n") ? "" : "\n"}${line}\n`;
    writeFileSync(DEV_VARS_PATH, text, { mode: 0o600 });
  }
  // A file from before UPSTREAMS existed meant "the sandbox" by an empty JUHE_KEY: say so explicitly.
  if (!("UPSTREAMS" in parseDotenv(text)) && !parseDotenv(text).JUHE_KEY) {
    text = `${text}${text === "" || text.endsWith("\n") ? "" : "\n"}UPSTREAMS=sandbox\n`;
    writeFileSync(DEV_VARS_PATH, text, { mode: 0o600 });
  }
  const vars = parseDotenv(text);
  for (const name of GENERATED) {
    if (vars[name]!.length < 32) {
      throw new CliError(
        `${name} in ${DEV_VARS_PATH} must be at least 32 characters (delete the line to get a new one)`,
      );
    }
  }
  return vars;
}
