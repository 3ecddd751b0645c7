// `npm run setup [-- --dry-run] [--config FILE] [--upstreams LIST] [--partial-coverage]`: everything
// a first deploy needs, in one go (docs/contract.md §9). Asks which vendors the operator holds keys
// for (on a terminal; --upstreams answers it), writes that list into [vars] UPSTREAMS and says which
// networks it answers, refusing one that leaves a network out unless --partial-coverage. Creates the KV namespaces whose ids in wrangler.toml are still the
// placeholders and writes the new ids there, creates the R2 bucket, generates SERVICE_SECRET and
// ADMIN_TOKEN (or reuses the kept copy), keeps them in .secrets.deploy (owner-only), puts them into
// the Worker and prints the next steps. Safe to run again: what exists is kept. --dry-run prints
// every command and write it would make and does none of them. --placement and --object-hint write
// where the Worker and new account objects run (scripts/lib/placement.ts, docs/benchmark.md).
import { existsSync } from "node:fs";
import { relative, resolve } from "node:path";
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { randomBase64Url } from "../src/crypto/bytes.ts";
import {
  DEPLOY_SECRET_NAMES,
  type DeploySecretName,
  deploySecretsPath,
  readDeploySecrets,
  writeDeploySecrets,
} from "./lib/deploy-secrets.ts";
import { CliError } from "./lib/errors.ts";
import { ROOT } from "./lib/paths.ts";
import {
  describePlacement,
  type ObjectHint,
  type Placement,
  parseObjectHint,
  parsePlacement,
  withObjectHint,
  withPlacement,
} from "./lib/placement.ts";
import { chooseUpstreams, upstreamsVar, withUpstreamsVar } from "./lib/upstream-choice.ts";
import {
  CONFIG_PATH,
  isPlaceholder,
  kvNamespaces,
  PLACEHOLDER_IDS,
  r2Buckets,
  readConfig,
  withNamespaceId,
  workerName,
  writeConfig,
} from "./lib/wrangler-config.ts";
import { complaint, runWrangler, type WranglerResult } from "./lib/wrangler-run.ts";

export type SetupOptions = {
  configPath: string;
  dryRun: boolean;
  wrangler: (args: readonly string[], input?: string) => Promise<WranglerResult>;
  print: (line: string) => void;
  /** Given only when asked for on the command line: otherwise wrangler.toml's placement is kept. */
  placement?: { worker?: Placement; objectHint?: ObjectHint };
  /** The vendors' list (--upstreams); without it `ask` is asked, else wrangler.toml's is kept. */
  upstreams?: string;
  /** Deploy a list that leaves a network out (--partial-coverage). */
  partialCoverage?: boolean;
  /** Asks the operator on a terminal; absent when there is none. */
  ask?: (question: string) => Promise<string>;
};

const NAMESPACE_ID = /\bid\s*=\s*"([0-9a-f]{32})"/;

/** wrangler's complaint, with the usual cure when it is about logging in. */
function failed(what: string, output: string): CliError {
  const hint = /login|CLOUDFLARE_API_TOKEN|authenticat/i.test(output) ? " (log in first: npx wrangler login)" : "";
  return new CliError(`${what} failed: ${complaint(output)}${hint}`);
}

/** Paths inside the project relative to it, others as they are. */
const shownPath = (path: string) => (path.startsWith(ROOT) ? relative(ROOT, path) : path);

// ---- placement (docs/benchmark.md "Placement") -----------------------------------------------------
/** Writes the asked-for placement into the config; a hint only places objects created from now on. */
function placementStep(
  configPath: string,
  asked: NonNullable<SetupOptions["placement"]>,
  dryRun: boolean,
  print: (line: string) => void,
) {
  let toml = readConfig(configPath);
  const shown = shownPath(configPath);
  if (asked.worker) {
    toml = withPlacement(toml, asked.worker);
    print(`# write ${shown}: the Worker runs at ${describePlacement(asked.worker)}`);
  }
  if (asked.objectHint) {
    toml = withObjectHint(toml, asked.objectHint);
    const where = asked.objectHint === "none" ? "near its first request" : `in ${asked.objectHint}`;
    print(
      `# write ${shown}: OBJECT_LOCATION_HINT: a new account's object is created ${where}; existing objects stay where they are`,
    );
  }
  if (!dryRun) writeConfig(toml, configPath);
}

export async function setup(options: SetupOptions): Promise<void> {
  const { configPath, dryRun, wrangler, print, placement } = options;
  const shown = shownPath(configPath);
  const configArgs = configPath === CONFIG_PATH ? [] : ["--config", configPath];
  const command = (args: readonly string[], note = "") =>
    print(`$ npx wrangler ${[...args, ...configArgs].join(" ")}${note}`);
  const run = async (args: readonly string[], input?: string) => {
    const result = await wrangler([...args, ...configArgs], input);
    if (result.code !== 0) throw failed(`wrangler ${args.slice(0, 3).join(" ")}`, result.output);
    return result.output;
  };
  if (dryRun) print("dry run: nothing below is created, written or put");
  if (placement) placementStep(configPath, placement, dryRun, print);

  let toml = readConfig(configPath);
  const name = workerName(toml);
  const upstreamSecrets = await upstreamsStep(options, toml);
  toml = readConfig(configPath);
  for (const binding of Object.keys(PLACEHOLDER_IDS)) {
    const current = kvNamespaces(toml).get(binding);
    if (current === undefined) throw new CliError(`${shown} binds no KV namespace ${binding}`);
    if (!isPlaceholder(current)) {
      print(`# ${binding}: ${shown} already names namespace ${current}; kept`);
      continue;
    }
    const title = `${name}-${binding}`;
    const create = ["kv", "namespace", "create", title];
    command(create);
    print(`# then write its id into ${shown} (binding ${binding})`);
    if (dryRun) continue;
    const created = await wrangler([...create, ...configArgs]);
    const id =
      created.code === 0 ? NAMESPACE_ID.exec(created.output)?.[1] : await existingNamespace(created, title, run);
    if (!id)
      throw new CliError(`wrangler kv namespace create ${title} printed no namespace id: ${complaint(created.output)}`);
    toml = withNamespaceId(toml, binding, id);
    writeConfig(toml, configPath);
  }

  for (const bucket of r2Buckets(toml).values()) {
    const create = ["r2", "bucket", "create", bucket];
    command(create);
    if (dryRun) continue;
    const created = await wrangler([...create, ...configArgs]);
    if (created.code !== 0 && !/already exists/i.test(created.output)) {
      throw failed(`wrangler r2 bucket create ${bucket}`, created.output);
    }
  }

  const secretsPath = deploySecretsPath(configPath);
  const kept = readDeploySecrets(secretsPath);
  const missing = DEPLOY_SECRET_NAMES.filter((n) => !kept[n]);
  const secrets = Object.fromEntries(DEPLOY_SECRET_NAMES.map((n) => [n, kept[n] || randomBase64Url(32)])) as Record<
    DeploySecretName,
    string
  >;
  const secretsShown = shownPath(secretsPath);
  if (missing.length > 0) {
    // Kept before they are put: a failed put must not leave the Worker with secrets nobody has.
    const rest = missing.length < DEPLOY_SECRET_NAMES.length ? ", the rest kept" : "";
    print(`# write ${secretsShown} (mode 0600) with ${missing.join(" and ")} newly generated${rest}`);
    if (!dryRun) writeDeploySecrets(secretsPath, secrets);
  } else {
    print(`# ${secretsShown} exists: its SERVICE_SECRET and ADMIN_TOKEN are put again, unchanged`);
  }
  for (const secret of DEPLOY_SECRET_NAMES) {
    command(["secret", "put", secret], `    # the value on stdin, from ${secretsShown}`);
    if (!dryRun) await run(["secret", "put", secret], secrets[secret]);
  }

  const puts = upstreamSecrets.map(
    (secret) => `       npx wrangler secret put ${secret}${configArgs.map((a) => ` ${a}`).join("")}`,
  );
  print(`
Next steps:
  1. Put the chosen vendors' secrets (docs/upstreams.md; JUHE_OPENID only in encrypted mode):
${puts.join("\n") || "       (none: the sandbox needs no secrets)"}
  2. npm run deploy
  3. Create an account in the deployed namespace (keep the printed token and logonKey):
       CLOUDFLARE_API_TOKEN=… CLOUDFLARE_ACCOUNT_ID=… npm run --silent account -- create --remote --name "Customer"
     SERVICE_SECRET and ADMIN_TOKEN for --remote come from ${secretsShown}; keep that file safe.`);
}

/** The UPSTREAMS step: choose, say what it covers, write it into the config; the secrets it needs. */
async function upstreamsStep(options: SetupOptions, toml: string): Promise<readonly string[]> {
  const { configPath, dryRun, print } = options;
  const current = upstreamsVar(toml);
  const choice = await chooseUpstreams(current, options.upstreams, options.partialCoverage ?? false, options.ask);
  print(`# ${choice.covered}`);
  if (choice.upstreams === current) {
    print(`# ${shownPath(configPath)} already names it in [vars] UPSTREAMS; kept`);
  } else {
    print(`# write UPSTREAMS = "${choice.upstreams}" into ${shownPath(configPath)} [vars]`);
    if (!dryRun) writeConfig(withUpstreamsVar(toml, choice.upstreams), configPath);
  }
  return choice.secrets;
}

/** A namespace of that title from an earlier, interrupted setup: found by `kv namespace list`. */
async function existingNamespace(
  created: WranglerResult,
  title: string,
  run: (args: readonly string[]) => Promise<string>,
): Promise<string | undefined> {
  if (!/already exists/i.test(created.output)) throw failed(`wrangler kv namespace create ${title}`, created.output);
  const listed = await run(["kv", "namespace", "list"]);
  const namespaces = JSON.parse(listed.slice(listed.indexOf("["), listed.lastIndexOf("]") + 1)) as {
    id: string;
    title: string;
  }[];
  return namespaces.find((n) => n.title === title)?.id;
}

async function askOnTerminal(question: string): Promise<string> {
  const terminal = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await terminal.question(question);
  } finally {
    terminal.close();
  }
}

async function main(): Promise<number> {
  try {
    const { values } = parseArgs({
      options: {
        "dry-run": { type: "boolean", default: false },
        config: { type: "string", short: "c" },
        placement: { type: "string" },
        "object-hint": { type: "string" },
        upstreams: { type: "string" },
        "partial-coverage": { type: "boolean", default: false },
      },
    });
    const worker = values.placement === undefined ? undefined : parsePlacement(values.placement);
    const objectHint = values["object-hint"] === undefined ? undefined : parseObjectHint(values["object-hint"]);
    const configPath = values.config === undefined ? CONFIG_PATH : resolve(values.config);
    if (!existsSync(configPath)) throw new CliError(`no ${configPath}`, 2);
    await setup({
      configPath,
      dryRun: values["dry-run"],
      wrangler: runWrangler,
      print: (line) => process.stdout.write(`${line}\n`),
      ...(worker || objectHint
        ? { placement: { ...(worker ? { worker } : {}), ...(objectHint ? { objectHint } : {}) } }
        : {}),
      upstreams: values.upstreams,
      partialCoverage: values["partial-coverage"],
      ask: process.stdin.isTTY ? askOnTerminal : undefined,
    });
    return 0;
  } catch (e) {
    process.stderr.write(`${JSON.stringify({ error: e instanceof Error ? e.message : String(e) })}\n`);
    return e instanceof CliError ? e.exitCode : 1;
  }
}

if (process.argv[1] === import.meta.filename) process.exitCode = await main();
