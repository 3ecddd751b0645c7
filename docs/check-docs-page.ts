// Renders /docs in headless Chromium: a screenshot to look at, and the rendered DOM checked for
// what the page promises (every code of the table, every request field, no load error).
// workerd has no DOM, so test/openapi/docs-page.test.ts can only check the page statically.
//
//   npx node docs/check-docs-page.ts [--url http://127.0.0.1:8787] [--out /tmp/docs.png]
//
// Without --url it starts its own `wrangler dev` (temporary state, free port) and stops it after.
// Chromium is not part of the toolchain: without /usr/bin/chromium the check is skipped (exit 0).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ERROR_CODES } from "../src/wire/codes.ts";
import { RequestFields } from "../src/verify-mobile/request/params.ts";

const CHROMIUM = "/usr/bin/chromium";
const ROOT = join(import.meta.dirname, "..");
const arg = (name: string) => process.argv.find((a, i) => process.argv[i - 1] === name);

if (!existsSync(CHROMIUM)) {
  console.log(`skipped: ${CHROMIUM} is not installed (apt-get install -y chromium)`);
  process.exit(0);
}

const out = arg("--out") ?? "/tmp/docs.png";
let server: ChildProcess | undefined;
try {
  let base = arg("--url");
  if (!base) {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const wrangler = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
    const state = mkdtempSync(join(tmpdir(), "docs-check-"));
    // Its own process group, so stopping it stops workerd too.
    server = spawn(process.execPath, [wrangler, "dev", "--ip", "127.0.0.1", "--port", String(port), "--persist-to", state], {
      cwd: ROOT, detached: true, stdio: "ignore", env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    });
    await waitFor(`${base}/docs`);
  }
  const url = `${base}/docs`;
  // The page renders after fetching /openapi.json; the virtual time budget lets that finish.
  const chromium = (...extra: string[]) => {
    const flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", `--user-data-dir=${mkdtempSync(join(tmpdir(), "chromium-"))}`, "--virtual-time-budget=10000"];
    const run = spawnSync(CHROMIUM, [...flags, ...extra, url], { encoding: "utf8", timeout: 60_000, maxBuffer: 16 << 20 });
    if (run.status !== 0) throw new Error(`chromium failed: ${run.stderr}`);
    return run.stdout;
  };
  chromium(`--screenshot=${out}`, "--window-size=1200,1600");
  const dom = chromium("--dump-dom");

  const FIELDS = Object.keys(RequestFields.shape).length;
  const fields = dom.match(/<tbody id="fields">([\s\S]*?)<\/tbody>/)?.[1].match(/<tr>/g)?.length ?? 0;
  const problems = [
    /<span id="error"><\/span>/.test(dom) ? "" : "the page reports an error loading /openapi.json",
    fields === FIELDS ? "" : `the request fields table has ${fields} rows, want ${FIELDS}`,
    ...Object.entries(ERROR_CODES).map(([code, { text }]) => (dom.includes(`<td>${code}</td><td>${text}</td>`) ? "" : `code ${code} is not shown`)),
  ].filter(Boolean);
  if (problems.length) throw new Error(problems.join("; "));
  console.log(`ok: ${url} rendered every code and field; screenshot in ${out}`);
} catch (e) {
  console.error(`failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
} finally {
  if (server?.pid) process.kill(-server.pid, "SIGTERM");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    }).on("error", reject);
  });
}

async function waitFor(url: string): Promise<void> {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 500))) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
  }
  throw new Error(`${url} did not answer within 60 s`);
}
