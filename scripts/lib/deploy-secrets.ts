// `.secrets.deploy`: the copy `npm run setup` keeps of the secrets it put into the deployed Worker
// (docs/contract.md §9), readable by its owner only and never committed. The account command's
// --remote verbs read it when the env var is not set.
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseDotenv } from "../dev-vars.ts";
import { CONFIG_PATH } from "./wrangler-config.ts";

/** The secrets setup generates; both at least 32 characters, as the Worker requires. */
export const DEPLOY_SECRET_NAMES = ["SERVICE_SECRET", "ADMIN_TOKEN"] as const;
export type DeploySecretName = (typeof DEPLOY_SECRET_NAMES)[number];

/** Beside the wrangler configuration it belongs to. */
export const deploySecretsPath = (configPath = CONFIG_PATH) => join(dirname(configPath), ".secrets.deploy");
export const DEPLOY_SECRETS_PATH = deploySecretsPath();

export function readDeploySecrets(path = DEPLOY_SECRETS_PATH): Partial<Record<DeploySecretName, string>> {
  try {
    return parseDotenv(readFileSync(path, "utf8"));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw e;
  }
}

/** The env var if set, else the kept copy. */
export function deploySecret(
  name: DeploySecretName,
  env: Readonly<Record<string, string | undefined>> = process.env,
  path = DEPLOY_SECRETS_PATH,
): string {
  return env[name] || readDeploySecrets(path)[name] || "";
}

const HEADER = `# Secrets \`npm run setup\` put into the deployed Worker (wrangler secret put). Keep this file:
# SERVICE_SECRET seals every account's logon key; ADMIN_TOKEN opens /admin. Never commit it.
`;

/** Written owner-only (0600) before the secrets are put, so a failed put never loses them. */
export function writeDeploySecrets(path: string, secrets: Record<DeploySecretName, string>): void {
  const lines = DEPLOY_SECRET_NAMES.map((name) => `${name}=${secrets[name]}`);
  writeFileSync(path, `${HEADER}${lines.join("\n")}\n`, { mode: 0o600 });
  chmodSync(path, 0o600); // `mode` applies only when the file is created
}
