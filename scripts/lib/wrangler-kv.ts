// The ACCOUNTS namespace through wrangler's own KV commands, so `--local` state is exactly the
// state `wrangler dev` uses (and `--remote` the deployed namespace). Each wrangler start costs
// about a second, so reads and writes go in bulk: one call per direction.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { CliError } from "./errors.ts";
import { ROOT, WRANGLER } from "./paths.ts";

export type KvTarget = { mode: "local"; persistTo: string | null } | { mode: "remote" };

const BINDING = "ACCOUNTS";

export function targetArgs(target: KvTarget): string[] {
  if (target.mode === "remote") return ["--remote"];
  return target.persistTo === null ? ["--local"] : ["--local", "--persist-to", resolve(target.persistTo)];
}

const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");

/** wrangler's complaint, without its banner, boxes and log-file pointers. */
function complaint(output: string): string {
  const lines = stripAnsi(output)
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !/^[⛅─▲✘🪵]|^Resource location|^Use --remote|^If you think this is a bug|Logs were written to/.test(l));
  const errorLine = stripAnsi(output).match(/\[ERROR\]\s*(.+)/)?.[1]?.trim();
  return (errorLine ?? lines.slice(-3).join(" ")).slice(0, 500) || "no output";
}

function run(args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [WRANGLER, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: process.env });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
    child.on("error", (e) => fail(new CliError(`could not start wrangler: ${e.message}`)));
    child.on("close", (code) => {
      if (code === 0) done(out);
      else fail(new CliError(`wrangler ${args.slice(0, 3).join(" ")} failed: ${complaint(err + "\n" + out)}`));
    });
  });
}

function withTempFile<T>(content: string, use: (path: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "vm-kv-"));
  const path = join(dir, "kv.json");
  writeFileSync(path, content, { mode: 0o600 });
  return use(path).finally(() => rmSync(dir, { recursive: true, force: true }));
}

/** The values of `keys` (null where absent), in one wrangler call. */
export async function kvGet(target: KvTarget, keys: string[]): Promise<Map<string, string | null>> {
  const out = await withTempFile(JSON.stringify(keys), (file) =>
    run(["kv", "bulk", "get", file, "--binding", BINDING, ...targetArgs(target)]),
  );
  // The JSON object is the output; skip anything wrangler may print before it.
  const start = out.search(/^\{/m);
  let parsed: unknown;
  try {
    parsed = JSON.parse(out.slice(start < 0 ? 0 : start, out.lastIndexOf("}") + 1));
  } catch {
    throw new CliError(`unexpected output from wrangler kv bulk get: ${out.slice(0, 200)}`);
  }
  const values = new Map<string, string | null>();
  for (const key of keys) {
    // Local mode answers {key: {value}}; the API behind --remote answers {key: value}.
    const entry = (parsed as Record<string, unknown>)[key];
    const v = entry !== null && typeof entry === "object" ? (entry as { value?: unknown }).value : entry;
    values.set(key, typeof v === "string" ? v : null);
  }
  return values;
}

/** Writes all entries in one wrangler call. */
export async function kvPut(target: KvTarget, entries: { key: string; value: string }[]): Promise<void> {
  await withTempFile(JSON.stringify(entries), (file) => run(["kv", "bulk", "put", file, "--binding", BINDING, ...targetArgs(target)]));
}

export async function kvDelete(target: KvTarget, key: string): Promise<void> {
  await run(["kv", "key", "delete", key, "--binding", BINDING, ...targetArgs(target)]);
}
