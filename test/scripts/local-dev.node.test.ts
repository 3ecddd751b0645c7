// `--local` finds the running `npm run dev` the same way for every account verb (issue 20 item 7):
// its recorded state and URL, else the defaults; flags win; every answer says where it looked.
/// <reference types="node" />
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { devServerOf, findLocal, recordDevServer, runningDevServer } from "../../scripts/lib/local-dev.ts";
import { ROOT } from "../../scripts/lib/paths.ts";

const recordFile = () => join(mkdtempSync(join(tmpdir(), "vm-dev-record-")), "dev-server.json");
/** A pid no process has (above Linux's pid_max, which is at most 2^22). */
const GONE = 2 ** 22 + 1;

describe("the dev server's record", () => {
  it("holds the URL and state that `npm run dev` with these flags serves", () => {
    expect(devServerOf(["--port", "8799", "--persist-to", "/tmp/state"], 42)).toEqual({
      pid: 42,
      url: "http://127.0.0.1:8799",
      state: "/tmp/state",
    });
    expect(devServerOf([], 42)).toEqual({
      pid: 42,
      url: "http://127.0.0.1:8787",
      state: join(ROOT, ".wrangler/state"),
    });
  });

  it("is written while the server runs and removed when it stops", () => {
    const file = recordFile();
    const forget = recordDevServer({ pid: process.pid, url: "http://127.0.0.1:8799", state: "/tmp/s" }, file);
    expect(runningDevServer(file)).toEqual({
      server: { pid: process.pid, url: "http://127.0.0.1:8799", state: "/tmp/s" },
    });
    forget();
    expect(runningDevServer(file)).toEqual({ none: `no running \`npm run dev\` recorded in ${file}` });
  });

  it("is left in place by a server that stops after another one recorded itself", () => {
    const file = recordFile();
    const forgetFirst = recordDevServer({ pid: GONE, url: "http://127.0.0.1:8787", state: "/tmp/a" }, file);
    recordDevServer({ pid: process.pid, url: "http://127.0.0.1:8799", state: "/tmp/b" }, file);
    forgetFirst();
    expect(runningDevServer(file)).toEqual({
      server: { pid: process.pid, url: "http://127.0.0.1:8799", state: "/tmp/b" },
    });
  });

  it("is ignored once its process has stopped, saying so", () => {
    const file = recordFile();
    writeFileSync(file, JSON.stringify({ pid: GONE, url: "http://127.0.0.1:8799", state: "/tmp/s" }));
    expect(runningDevServer(file)).toEqual({
      none: `the \`npm run dev\` recorded in ${file} (pid ${GONE}) has stopped`,
    });
  });
});

describe("findLocal", () => {
  it("uses the running dev server's state and URL", () => {
    const file = recordFile();
    recordDevServer({ pid: process.pid, url: "http://127.0.0.1:8799", state: "/tmp/s" }, file);
    expect(findLocal({ persistTo: null }, file)).toEqual({
      state: "/tmp/s",
      url: "http://127.0.0.1:8799",
      found: `the running \`npm run dev\` (pid ${process.pid}) serves http://127.0.0.1:8799 with state /tmp/s`,
    });
  });

  it("falls back to the defaults of `npm run dev`, saying where it looked", () => {
    const file = recordFile();
    expect(findLocal({ persistTo: null }, file)).toEqual({
      state: join(ROOT, ".wrangler/state"),
      url: "http://127.0.0.1:8787",
      found: `no running \`npm run dev\` recorded in ${file}; the defaults of \`npm run dev\` are ${join(ROOT, ".wrangler/state")} and http://127.0.0.1:8787`,
    });
  });

  it("lets --persist-to and --url win over the running server", () => {
    const file = recordFile();
    recordDevServer({ pid: process.pid, url: "http://127.0.0.1:8799", state: "/tmp/s" }, file);
    const local = findLocal({ persistTo: "rel/state", url: "http://127.0.0.1:9000" }, file);
    expect([local.state, local.url]).toEqual([resolve("rel/state"), "http://127.0.0.1:9000"]);
    expect(local.found).toMatch(/^--persist-to and --url given; the running `npm run dev`/);
  });
});
