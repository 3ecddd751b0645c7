// Running wrangler with this same Node 22, for the scripts that need the real thing (setup, deploy).
import { spawn } from "node:child_process";
import { CliError } from "./errors.ts";
import { ROOT, WRANGLER } from "./paths.ts";

export type WranglerResult = { code: number; output: string };

/** Runs `wrangler ...args` with `input` on stdin; resolves with its exit code and everything it printed. */
export function runWrangler(args: readonly string[], input?: string): Promise<WranglerResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [WRANGLER, ...args], {
      cwd: ROOT,
      stdio: ["pipe", "pipe", "pipe"],
      env: process.env,
    });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (output += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (output += d));
    child.on("error", (e) => fail(new CliError(`could not start wrangler: ${e.message}`)));
    child.on("close", (code) => done({ code: code ?? 1, output }));
    child.stdin.end(input ?? "");
  });
}

const ESC = "\u001b"; // starts every ANSI escape sequence
const ANSI_ESCAPE = new RegExp(`${ESC}\\[[0-9;]*[A-Za-z]`, "g");
const stripAnsi = (s: string) => s.replace(ANSI_ESCAPE, "");

/** wrangler's complaint, without its banner, boxes and log-file pointers. */
export function complaint(output: string): string {
  const plain = stripAnsi(output);
  const errorLine = plain.match(/\[ERROR\]\s*(.+)/)?.[1]?.trim();
  const lines = plain
    .split("\n")
    .map((l) => l.trim())
    // 🪵 as the former class without the u flag read it: a line starting with either UTF-16 half
    .filter(
      (l) =>
        l && !/^(?:[⛅─▲✘]|\uD83E|\uDEB5)|^Resource location|^If you think this is a bug|Logs were written to/.test(l),
    );
  return (errorLine ?? lines.slice(-3).join(" ")).slice(0, 500) || "no output";
}

/** The value of a wrangler-style flag among `args` (`--flag V`, `--flag=V` or a short alias), last one wins. */
export function flagValue(args: readonly string[], ...names: string[]): string | null {
  let value: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const inline = names.find((n) => arg.startsWith(`${n}=`));
    if (inline) value = arg.slice(inline.length + 1);
    else if (names.includes(arg) && i + 1 < args.length) value = args[++i]!;
  }
  return value;
}
