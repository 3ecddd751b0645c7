// Every client (TypeScript, Java, Python, Go, PHP) built or installed the way a caller installs it,
// behind one driver protocol (conformance.md): one case per stdin line of TAB-separated
// name=value pairs, one JSON line per case on stdout. A missing toolchain skips its client with
// the reason printed, and fails the run in CI (test/support/toolchain.ts).
/// <reference types="node" />
import { execFile, spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { findCommand } from "../../scripts/lib/find-command.ts";
import { ROOT } from "../../scripts/lib/paths.ts";
import { canRun } from "../support/toolchain.ts";

const run = promisify(execFile);
const DRIVERS = join(import.meta.dirname, "drivers");

export type Case = Record<string, string>;
export type Answer = Record<string, unknown>;

export type Driver = {
  readonly language: string;
  /** Runs the cases in order in one process; one answer per case. */
  run(cases: Case[]): Promise<Answer[]>;
};

type Recipe = {
  language: string;
  /** Why it cannot run here (and how to install it), or null. */
  missing: () => string | null;
  /** Builds or installs into `dir`; gives the command line of the driver. */
  build: (dir: string) => Promise<string[]>;
};

const succeeds = (command: string, args: string[]) => spawnSync(command, args, { stdio: "ignore" }).status === 0;
/**
 * A Python 3 with `cryptography`, venv and wheel (an offline `pip install --no-build-isolation` of
 * a setuptools project needs it; Debian: python3-venv python3-cryptography python3-wheel).
 */
const python = () =>
  ["python3", "/usr/bin/python3"].find(
    (p) => findCommand(p) && succeeds(p, ["-c", "import cryptography, venv, ensurepip, wheel"]),
  ) ?? null;

const RECIPES: Recipe[] = [
  {
    language: "typescript",
    missing: () => null,
    build: async () => [process.execPath, join(DRIVERS, "driver.ts")],
  },
  {
    language: "java",
    missing: () =>
      findCommand("javac") && findCommand("java") ? null : "no JDK (apt-get install default-jdk-headless)",
    build: async (dir) => {
      const sources = ["Json", "LogonCipher", "Sm", "VerifyMobileClient"].map((n) =>
        join(ROOT, `client/java/src/main/java/verifymobile/${n}.java`),
      );
      // --release 11: the client must stay within what JDK 11 offers; -Werror keeps it free of warnings.
      const flags = ["--release", "11", "-encoding", "UTF-8", "-Xlint:all", "-Werror", "-d", dir];
      await run("javac", [...flags, ...sources, join(DRIVERS, "ClientDriver.java")]);
      return ["java", "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", dir, "verifymobile.ClientDriver"];
    },
  },
  {
    language: "python",
    missing: () =>
      python()
        ? null
        : "no python3 with cryptography, venv and wheel (apt-get install python3-venv python3-cryptography python3-wheel)",
    build: async (dir) => {
      // pip install from a copy of the repository's folder, offline, as docs/clients.md shows.
      cpSync(join(ROOT, "client/python"), join(dir, "src"), { recursive: true });
      await run(python()!, ["-m", "venv", "--system-site-packages", join(dir, "venv")]);
      const pip = ["-m", "pip", "install", "-q", "--no-index", "--no-build-isolation", join(dir, "src")];
      await run(join(dir, "venv/bin/python"), pip);
      return [join(dir, "venv/bin/python"), join(DRIVERS, "driver.py")];
    },
  },
  {
    language: "go",
    missing: () => (findCommand("go") ? null : "no Go toolchain (apt-get install golang-go)"),
    build: async (dir) => {
      // The module is standard library only: build offline, with the client module by its replace path.
      const env = { ...process.env, GOFLAGS: "-mod=mod", GOPROXY: "off", GOTOOLCHAIN: "local" };
      await run("go", ["build", "-o", join(dir, "driver"), "."], { cwd: join(DRIVERS, "go"), env });
      return [join(dir, "driver")];
    },
  },
  {
    language: "php",
    missing: () =>
      !findCommand("php") || !findCommand("composer")
        ? "no php or composer (apt-get install php-cli composer)"
        : succeeds("php", ["-r", "exit(in_array('sm4-cbc', openssl_get_cipher_methods()) ? 0 : 1);"])
          ? null
          : "php's openssl has no sm4-cbc",
    build: async (dir) => {
      // A project that requires the package from the repository's folder, as docs/clients.md shows.
      const repositories = [
        { type: "path", url: join(ROOT, "client/php"), options: { symlink: false } },
        { "packagist.org": false },
      ];
      const manifest = { name: "test/consumer", repositories, require: { "verify-mobile/client": "*" } };
      writeFileSync(join(dir, "composer.json"), JSON.stringify(manifest));
      const env = { ...process.env, COMPOSER_HOME: join(dir, ".composer") };
      await run("composer", ["install", "--no-interaction", "--no-progress", "--quiet"], { cwd: dir, env });
      return ["php", join(DRIVERS, "driver.php"), join(dir, "vendor/autoload.php")];
    },
  },
];

/** The drivers that can run here, built concurrently. */
export async function buildDrivers(): Promise<Driver[]> {
  const usable = RECIPES.filter((r) => canRun(`${r.language} client`, r.missing()));
  return Promise.all(
    usable.map(async (recipe) => {
      const command = await recipe.build(mkdtempSync(join(tmpdir(), `client-${recipe.language}-`)));
      return { language: recipe.language, run: (cases: Case[]) => drive(command, cases) };
    }),
  );
}

function drive([command, ...args]: string[], cases: Case[]): Promise<Answer[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(command!, args, { env: { ...process.env, LC_ALL: "C.UTF-8" } });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => {
      if (status !== 0) return reject(new Error(`${command} exited ${status}: ${stderr}`));
      resolve(
        stdout
          .trim()
          .split("\n")
          .map((line) => JSON.parse(line) as Answer),
      );
    });
    child.stdin.end(
      cases
        .map(
          (c) =>
            `${Object.entries(c)
              .map(([k, v]) => `${k}=${v}`)
              .join("\t")}\n`,
        )
        .join(""),
    );
  });
}
