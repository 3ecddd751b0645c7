// Tools outside the Node toolchain (a browser, a JDK) are looked up on PATH, never at a fixed path.
import { spawnSync } from "node:child_process";

/** The first of the commands found on PATH, or null (`command -v`, as a shell looks it up). */
export function findCommand(...names: string[]): string | null {
  for (const name of names) {
    const found = spawnSync("sh", ["-c", 'command -v "$1"', "sh", name], { encoding: "utf8" });
    if (found.status === 0 && found.stdout.trim()) return found.stdout.trim();
  }
  return null;
}
