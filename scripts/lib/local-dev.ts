// Where `--local` is, the same way for every account verb: the state and the URL of the running
// `npm run dev`, which records them in .wrangler/dev-server.json while it runs; without one, the
// defaults `npm run dev` itself uses (.wrangler/state, port 8787). `--persist-to` and `--url` win.
// Every answer says where it looked, so a verb that finds nothing can say so.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { z } from "zod";
import { ROOT } from "./paths.ts";
import { flagValue } from "./wrangler-run.ts";

export const DEV_SERVER_FILE = join(ROOT, ".wrangler/dev-server.json");
const DEFAULT_STATE = join(ROOT, ".wrangler/state");
const DEFAULT_PORT = "8787";

const DevServer = z.object({ pid: z.number().int().positive(), url: z.url(), state: z.string().min(1) });
export type DevServer = z.infer<typeof DevServer>;

/** The local state and Worker a verb uses, and how they were found (for messages). */
export type Local = { readonly state: string; readonly url: string; readonly found: string };

/** The state directory `wrangler dev` with these flags keeps. */
export function devStateOf(devArgs: readonly string[]): string {
  const persistTo = flagValue(devArgs, "--persist-to");
  return persistTo === null ? DEFAULT_STATE : resolve(persistTo);
}

/** What `wrangler dev` with these flags serves: its URL on this machine and its state directory. */
export function devServerOf(devArgs: readonly string[], pid: number): DevServer {
  return { pid, url: `http://127.0.0.1:${flagValue(devArgs, "--port") ?? DEFAULT_PORT}`, state: devStateOf(devArgs) };
}

/**
 * Records the running dev server; the returned function removes the record when it stops, unless
 * another dev server started since has recorded itself (the latest one started is the one found).
 */
export function recordDevServer(server: DevServer, file = DEV_SERVER_FILE): () => void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(server)}\n`);
  return () => {
    const current = runningDevServer(file);
    if (!("server" in current) || current.server.pid === server.pid) rmSync(file, { force: true });
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The recorded dev server if its process still runs, or why there is none. */
export function runningDevServer(file = DEV_SERVER_FILE): { server: DevServer } | { none: string } {
  if (!existsSync(file)) return { none: `no running \`npm run dev\` recorded in ${file}` };
  const parsed = DevServer.safeParse(
    (() => {
      try {
        return JSON.parse(readFileSync(file, "utf8"));
      } catch {
        return null;
      }
    })(),
  );
  if (!parsed.success) return { none: `${file} is not a dev server record` };
  if (!alive(parsed.data.pid))
    return { none: `the \`npm run dev\` recorded in ${file} (pid ${parsed.data.pid}) has stopped` };
  return { server: parsed.data };
}

/** The local state and Worker for `--local`: the flags, else the running dev server, else the defaults. */
export function findLocal(flags: { persistTo: string | null; url?: string | null }, file = DEV_SERVER_FILE): Local {
  const running = runningDevServer(file);
  const server = "server" in running ? running.server : null;
  const state = flags.persistTo !== null ? resolve(flags.persistTo) : (server?.state ?? DEFAULT_STATE);
  const url = flags.url ?? server?.url ?? `http://127.0.0.1:${DEFAULT_PORT}`;
  const found = server
    ? `the running \`npm run dev\` (pid ${server.pid}) serves ${server.url} with state ${server.state}`
    : `${"none" in running ? running.none : ""}; the defaults of \`npm run dev\` are ${DEFAULT_STATE} and http://127.0.0.1:${DEFAULT_PORT}`;
  const given = [flags.persistTo !== null ? "--persist-to" : "", flags.url ? "--url" : ""].filter(Boolean);
  return { state, url, found: given.length ? `${given.join(" and ")} given; ${found}` : found };
}
