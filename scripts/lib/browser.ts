// A headless Chromium driven over the DevTools protocol (Node's own WebSocket, no library): load a
// page, type into it, read it back, take screenshots. The browser is looked up on PATH, never at a
// fixed path (Debian's `chromium`, `chromium-browser` elsewhere, Google's `google-chrome`).
/// <reference types="node" />
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findCommand } from "./find-command.ts";

export const BROWSER_NAMES = ["chromium", "chromium-browser", "google-chrome"] as const;

/** The first browser on PATH, or null. */
export function findBrowser(): string | null {
  return findCommand(...BROWSER_NAMES);
}

/** Flags for a quiet, self-contained headless run (no sync, no updates, no calls home). */
export const HEADLESS_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--hide-scrollbars",
];

export type Page = {
  /** The value of a JavaScript expression in the page (awaited when it is a promise). */
  evaluate<T>(expression: string): Promise<T>;
  /** Polls the expression until it is truthy; its last value otherwise fails with `what`. */
  waitFor(expression: string, what: string, timeoutMs?: number): Promise<void>;
  /** Sets an input's value as typing would (input and change events fire). */
  type(selector: string, text: string): Promise<void>;
  click(selector: string): Promise<void>;
  screenshot(): Promise<Buffer>;
  /** Console errors, uncaught exceptions and CSP violations seen so far (not HTTP errors). */
  readonly problems: string[];
  close(): Promise<void>;
};

type Message = {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
};

export async function openPage(browser: string, url: string, size = { width: 1280, height: 1400 }): Promise<Page> {
  const profile = mkdtempSync(join(tmpdir(), "chromium-"));
  // Its own process group: closing stops the browser's helper processes too.
  const child = spawn(
    browser,
    [...HEADLESS_FLAGS, `--user-data-dir=${profile}`, "--remote-debugging-port=0", "about:blank"],
    {
      stdio: ["ignore", "ignore", "pipe"],
      detached: true,
    },
  );
  const close = async () => {
    const exited = new Promise((r) => (child.exitCode === null ? child.once("exit", r) : r(null)));
    if (child.pid && child.exitCode === null) process.kill(-child.pid, "SIGTERM");
    await exited;
    // A helper may still be writing the profile for a moment after the main process is gone.
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  };
  try {
    const socket = new WebSocket(await devToolsUrl(child));
    await new Promise((resolve, reject) => {
      socket.addEventListener("open", resolve, { once: true });
      socket.addEventListener("error", () => reject(new Error("cannot connect to the browser's DevTools")), {
        once: true,
      });
    });
    const pending = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
    const problems: string[] = [];
    let loaded: (() => void) | null = null;
    let nextId = 1;
    let sessionId: string | undefined;
    socket.addEventListener("message", (event) => {
      const message = JSON.parse(String(event.data)) as Message;
      if (message.id !== undefined) {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (message.error) waiter?.reject(new Error(message.error.message));
        else waiter?.resolve(message);
      } else if (message.method === "Page.loadEventFired") {
        loaded?.();
      } else if (message.method === "Runtime.exceptionThrown") {
        problems.push(
          `exception: ${JSON.stringify((message.params?.exceptionDetails as { exception?: { description?: string } })?.exception?.description)}`,
        );
      } else if (message.method === "Runtime.consoleAPICalled" && message.params?.type === "error") {
        problems.push(`console.error: ${JSON.stringify(message.params.args)}`);
      } else if (message.method === "Log.entryAdded") {
        // Network entries are HTTP errors the page handles itself (a 401 for a wrong token).
        const entry = message.params?.entry as { level: string; source: string; text: string };
        if (entry.level === "error" && entry.source !== "network") problems.push(`log ${entry.source}: ${entry.text}`);
      }
    });
    const send = (method: string, params: Record<string, unknown> = {}) =>
      new Promise<Message>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
      });

    const { result: targets } = await send("Target.getTargets");
    const page = (targets!.targetInfos as { targetId: string; type: string }[]).find((t) => t.type === "page")!;
    sessionId = (await send("Target.attachToTarget", { targetId: page.targetId, flatten: true })).result!
      .sessionId as string;
    for (const domain of ["Page", "Runtime", "Log"]) await send(`${domain}.enable`);
    await send("Emulation.setDeviceMetricsOverride", { ...size, deviceScaleFactor: 1, mobile: false });
    await new Promise<void>((resolve) => {
      loaded = resolve;
      void send("Page.navigate", { url });
    });

    const evaluate = async <T>(expression: string): Promise<T> => {
      const { result } = await send("Runtime.evaluate", { expression, awaitPromise: true, returnByValue: true });
      const details = result!.exceptionDetails as { exception?: { description?: string }; text?: string } | undefined;
      if (details) throw new Error(`in the page: ${details.exception?.description ?? details.text}`);
      return (result!.result as { value: T }).value;
    };
    return {
      evaluate,
      problems,
      async waitFor(expression, what, timeoutMs = 15_000) {
        for (const deadline = Date.now() + timeoutMs; ; await new Promise((r) => setTimeout(r, 100))) {
          const value = await evaluate<unknown>(expression);
          if (value) return;
          if (Date.now() > deadline)
            throw new Error(
              `timed out waiting for ${what} (${expression} is ${JSON.stringify(value)}); page problems: ${problems.join("; ") || "none"}`,
            );
        }
      },
      async type(selector, text) {
        await evaluate(`(() => {
          const input = document.querySelector(${JSON.stringify(selector)});
          input.focus();
          input.value = ${JSON.stringify(text)};
          input.dispatchEvent(new Event("input", { bubbles: true }));
          input.dispatchEvent(new Event("change", { bubbles: true }));
        })()`);
      },
      async click(selector) {
        await evaluate(`document.querySelector(${JSON.stringify(selector)}).click()`);
      },
      async screenshot() {
        const { result } = await send("Page.captureScreenshot", { format: "png", captureBeyondViewport: false });
        return Buffer.from(result!.data as string, "base64");
      },
      async close() {
        socket.close();
        await close();
      },
    };
  } catch (e) {
    await close();
    throw e;
  }
}

/** The browser prints its DevTools address on stderr once it listens. */
function devToolsUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`the browser did not start: ${seen}`)), 30_000);
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
      seen += chunk;
      const found = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    });
    child.once("exit", (code) => reject(new Error(`the browser exited (${code}): ${seen}`)));
  });
}
