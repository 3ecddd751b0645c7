// The encryption recipes in docs/recipes/, run with their real toolchains (Node project, not
// workerd): each recipe file must turn every vector's key, iv and JSON into the vector's logon, for
// every cipher the recipe offers (the fourth argument; aes-cbc when absent).
// A toolchain that is not installed skips its recipe and says so; in CI it fails the run
// (test/support/toolchain.ts).
/// <reference types="node" />
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeVectors, render, type Vector } from "../../docs/recipes/make-vectors.ts";
import { canRun } from "../support/toolchain.ts";

const run = promisify(execFile);
const recipes = (relative: string) => fileURLToPath(new URL(`../../docs/recipes/${relative}`, import.meta.url));
const read = (relative: string) => readFileSync(recipes(relative), "utf8");
const vectors: Vector[] = JSON.parse(read("vectors.json"));

const succeeds = (command: string, args: string[]) => spawnSync(command, args, { stdio: "ignore" }).status === 0;
const has = (command: string) => succeeds("sh", ["-c", `command -v ${command}`]);

// Java decodes command-line arguments with the locale's charset: without a UTF-8 locale a
// Chinese name in the JSON argument would arrive as '?' (java.md says so too).
const UTF8_LOCALE = { ...process.env, LC_ALL: process.platform === "darwin" ? "en_US.UTF-8" : "C.UTF-8" };

type Recipe = {
  language: string;
  file: string;
  fence: string;
  /** The account ciphers it offers (docs/contract.md §1). */
  modes: Vector["mode"][];
  /** Why the recipe cannot run here, or null when it can. */
  missing: string | null;
  /** Builds once into `dir`, when the toolchain needs it. */
  build?: (dir: string) => Promise<unknown>;
  /** The command line that prints the logon for key, iv, json. */
  command: (dir: string, args: string[]) => [string, string[]];
};

const RECIPES: Recipe[] = [
  {
    language: "java",
    modes: ["aes-cbc", "aes-gcm"],
    file: "java/Logon.java",
    fence: "java",
    missing: has("javac") && has("java") ? null : "java/javac not installed",
    build: (dir) => run("javac", ["-encoding", "UTF-8", "-d", dir, recipes("java/Logon.java")]),
    command: (dir, args) => ["java", ["-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", dir, "Logon", ...args]],
  },
  {
    language: "python",
    modes: ["aes-cbc", "aes-gcm", "sm4-cbc"],
    file: "python/logon.py",
    fence: "python",
    missing: !has("python3")
      ? "python3 not installed"
      : succeeds("python3", ["-c", "import cryptography"])
        ? null
        : "python3 has no `cryptography` package",
    command: (_dir, args) => ["python3", [recipes("python/logon.py"), ...args]],
  },
  {
    language: "go",
    modes: ["aes-cbc", "aes-gcm"],
    file: "go/logon.go",
    fence: "go",
    missing: has("go") ? null : "go not installed",
    build: (dir) => run("go", ["build", "-o", join(dir, "logon"), recipes("go/logon.go")]),
    command: (dir, args) => [join(dir, "logon"), args],
  },
  {
    language: "php",
    modes: ["aes-cbc", "aes-gcm", "sm4-cbc"],
    file: "php/logon.php",
    fence: "php",
    missing: !has("php")
      ? "php not installed"
      : succeeds("php", ["-r", "exit(function_exists('openssl_encrypt') ? 0 : 1);"])
        ? null
        : "php has no openssl extension",
    command: (_dir, args) => ["php", [recipes("php/logon.php"), ...args]],
  },
  {
    language: "shell",
    modes: ["aes-cbc", "sm4-cbc"],
    file: "shell/logon.sh",
    fence: "sh",
    missing: has("openssl") && has("od") ? null : "openssl not installed",
    command: (_dir, args) => ["sh", [recipes("shell/logon.sh"), ...args]],
  },
];

describe("vectors.json", () => {
  it("is exactly what make-vectors.ts makes with Node's crypto", () => {
    expect(read("vectors.json")).toBe(render(makeVectors()));
  });

  it("covers every cipher with both AES key lengths, a Chinese name and a plaintext filling whole blocks", () => {
    const ciphers = new Set(vectors.map((v) => v.cipher));
    const utf8Lengths = vectors.map((v) => Buffer.byteLength(v.json, "utf8"));
    expect([...ciphers].sort()).toEqual(["aes-128-cbc", "aes-128-gcm", "aes-256-cbc", "aes-256-gcm", "sm4-cbc"]);
    expect(vectors.some((v) => /[\u4e00-\u9fff]/.test(v.json))).toBe(true);
    expect(utf8Lengths.some((n) => n % 16 === 0)).toBe(true);
  });
});

for (const recipe of RECIPES) {
  const { language, file, fence, missing, modes } = recipe;
  const runs = canRun(`${language} recipe`, missing);

  describe(`${language} recipe (${file})`, () => {
    let dir = "";
    beforeAll(async () => {
      if (!runs) return;
      dir = mkdtempSync(join(tmpdir(), `recipe-${language}-`));
      await recipe.build?.(dir);
    }, 120_000);
    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it(`${language}.md shows ${file} in full`, () => {
      const ticks = "```";
      expect(read(`${language}.md`)).toContain(`${ticks}${fence}\n${read(file)}${ticks}\n`);
    });

    it.skipIf(!runs).concurrent.for(vectors.filter((v) => modes.includes(v.mode)))(
      `prints the logon of: $name`,
      { timeout: 60_000 },
      async (vector, { expect }) => {
        const cipher = vector.mode === "aes-cbc" ? [] : [vector.mode];
        const [command, args] = recipe.command(dir, [vector.key, vector.iv, vector.json, ...cipher]);
        const { stdout } = await run(command, args, { env: UTF8_LOCALE });
        expect(stdout).toBe(`${vector.logon}\n`);
      },
    );
  });
}
