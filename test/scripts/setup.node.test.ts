// `npm run setup` and `npm run deploy`, offline: the dry run prints every command and touches
// nothing; a run against a fake wrangler writes the ids and the secrets' copy and puts the secrets;
// deploy refuses placeholder ids. wrangler.toml is read as text: checked against wrangler's reader.
/// <reference types="node" />
import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parseDotenv } from "../../scripts/dev-vars.ts";
import { deploySecret, deploySecretsPath } from "../../scripts/lib/deploy-secrets.ts";
import { ROOT } from "../../scripts/lib/paths.ts";
import { networksCovered, upstreamsVar } from "../../scripts/lib/upstream-choice.ts";
import {
  CONFIG_PATH,
  kvNamespaces,
  r2Buckets,
  withNamespaceId,
  workerName,
} from "../../scripts/lib/wrangler-config.ts";
import type { WranglerResult } from "../../scripts/lib/wrangler-run.ts";
import { setup } from "../../scripts/setup.ts";
import { parseUpstreams, VENDOR_SETTINGS } from "../../src/config/config.ts";

const run = promisify(execFile);
const ACCOUNTS_ID = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
const DEDUP_ID = "0f9e8d7c6b5a49382716059483726150";

/** A copy of the repo's wrangler.toml in a directory of its own. */
function configCopy(): string {
  const path = join(mkdtempSync(join(tmpdir(), "vm-setup-")), "wrangler.toml");
  copyFileSync(CONFIG_PATH, path);
  return path;
}

const expectedCommands = (config: string) => [
  `$ npx wrangler kv namespace create verify-mobile-gateway-ACCOUNTS --config ${config}`,
  `$ npx wrangler kv namespace create verify-mobile-gateway-DEDUP --config ${config}`,
  `$ npx wrangler r2 bucket create verify-mobile-ledger-archive --config ${config}`,
  `$ npx wrangler secret put SERVICE_SECRET --config ${config}    # the value on stdin, from ${join(config, "../.secrets.deploy")}`,
  `$ npx wrangler secret put ADMIN_TOKEN --config ${config}    # the value on stdin, from ${join(config, "../.secrets.deploy")}`,
];

/** A wrangler that answers like the real one, writing down each call and its stdin. */
function fakeWrangler(answers: (args: readonly string[]) => WranglerResult | undefined = () => undefined) {
  const calls: { args: string[]; input: string | undefined }[] = [];
  const wrangler = async (args: readonly string[], input?: string): Promise<WranglerResult> => {
    calls.push({ args: [...args], input });
    const answer = answers(args);
    if (answer) return answer;
    if (args[0] === "kv" && args[2] === "create") {
      const id = args[3]!.endsWith("ACCOUNTS") ? ACCOUNTS_ID : DEDUP_ID;
      return {
        code: 0,
        output: `✨ Success!\nTo access your new KV Namespace in your Worker, add the following snippet to your configuration file:\n[[kv_namespaces]]\nbinding = "X"\nid = "${id}"\n`,
      };
    }
    return { code: 0, output: "✨ Success!\n" };
  };
  return { calls, wrangler };
}

describe("npm run setup", () => {
  it("--dry-run prints every command it would run and touches nothing", async () => {
    const config = configCopy();
    const before = readFileSync(config, "utf8");
    const { stdout, stderr } = await run(
      process.execPath,
      [join(ROOT, "scripts/setup.ts"), "--dry-run", "--config", config],
      { cwd: ROOT },
    );
    expect(stderr).toBe("");
    expect(stdout.split("\n").filter((l) => l.startsWith("$ "))).toEqual(expectedCommands(config));
    expect(stdout).toMatch(/Next steps:[\s\S]*npm run deploy[\s\S]*create --remote/);
    expect([readdirSync(join(config, "..")), readFileSync(config, "utf8")]).toEqual([["wrangler.toml"], before]);
  });

  it("creates the namespaces, writes their ids, keeps the secrets owner-only and puts them", async () => {
    const config = configCopy();
    const before = readFileSync(config, "utf8");
    const printed: string[] = [];
    const { calls, wrangler } = fakeWrangler();
    await setup({ configPath: config, dryRun: false, wrangler, print: (line) => printed.push(line) });

    const after = readFileSync(config, "utf8");
    expect(kvNamespaces(after)).toEqual(
      new Map([
        ["ACCOUNTS", ACCOUNTS_ID],
        ["DEDUP", DEDUP_ID],
      ]),
    );
    // Only the two ids changed: comments and everything else kept.
    expect(
      after
        .replace(ACCOUNTS_ID, "00000000000000000000000000000001")
        .replace(DEDUP_ID, "00000000000000000000000000000002"),
    ).toBe(before);

    const secretsPath = join(config, "../.secrets.deploy");
    const secrets = parseDotenv(readFileSync(secretsPath, "utf8"));
    expect(statSync(secretsPath).mode & 0o777).toBe(0o600);
    expect([
      secrets.SERVICE_SECRET!.length >= 32,
      secrets.ADMIN_TOKEN!.length >= 32,
      secrets.SERVICE_SECRET !== secrets.ADMIN_TOKEN,
    ]).toEqual([true, true, true]);
    expect(calls.map((c) => `$ npx wrangler ${c.args.join(" ")}`)).toEqual(
      expectedCommands(config).map((l) => l.replace(/ {4}#.*/, "")),
    );
    expect(calls.slice(3).map((c) => c.input)).toEqual([secrets.SERVICE_SECRET, secrets.ADMIN_TOKEN]);
    expect(printed.filter((l) => l.startsWith("$ "))).toEqual(expectedCommands(config));
  });

  it("leaves the kept secrets where the account command's --remote verbs find them", async () => {
    const config = configCopy();
    await setup({ configPath: config, dryRun: false, wrangler: fakeWrangler().wrangler, print: () => {} });
    const path = deploySecretsPath(config);
    const kept = parseDotenv(readFileSync(path, "utf8"));
    expect([deploySecret("SERVICE_SECRET", {}, path), deploySecret("ADMIN_TOKEN", {}, path)]).toEqual([
      kept.SERVICE_SECRET,
      kept.ADMIN_TOKEN,
    ]);
    expect(deploySecret("ADMIN_TOKEN", { ADMIN_TOKEN: "from-env" }, path)).toBe("from-env");
  });

  it("keeps the secrets' copy out of git", async () => {
    await expect(run("git", ["check-ignore", "-q", ".secrets.deploy"], { cwd: ROOT })).resolves.toBeDefined();
  });

  it("run again, keeps what exists: the ids, the bucket and the secrets", async () => {
    const config = configCopy();
    await setup({ configPath: config, dryRun: false, wrangler: fakeWrangler().wrangler, print: () => {} });
    const kept = readFileSync(join(config, "../.secrets.deploy"), "utf8");
    const again = fakeWrangler((args) =>
      args[0] === "r2"
        ? { code: 1, output: "✘ [ERROR] The bucket you tried to create already exists, and you own it. [code: 10004]" }
        : undefined,
    );
    await setup({ configPath: config, dryRun: false, wrangler: again.wrangler, print: () => {} });
    const secrets = parseDotenv(kept);
    expect(again.calls.map((c) => [c.args.slice(0, 3).join(" "), c.input])).toEqual([
      ["r2 bucket create", undefined],
      ["secret put SERVICE_SECRET", secrets.SERVICE_SECRET],
      ["secret put ADMIN_TOKEN", secrets.ADMIN_TOKEN],
    ]);
    expect(readFileSync(join(config, "../.secrets.deploy"), "utf8")).toBe(kept);
  });

  it("finds a namespace an interrupted setup already created", async () => {
    const config = configCopy();
    const { wrangler } = fakeWrangler((args) => {
      if (args[2] === "create" && args[3] === "verify-mobile-gateway-DEDUP") {
        return {
          code: 1,
          output: '✘ [ERROR] A KV namespace with the title "verify-mobile-gateway-DEDUP" already exists.',
        };
      }
      if (args[2] === "list")
        return {
          code: 0,
          output: JSON.stringify([{ id: DEDUP_ID, title: "verify-mobile-gateway-DEDUP" }], null, "  "),
        };
      return undefined;
    });
    await setup({ configPath: config, dryRun: false, wrangler, print: () => {} });
    expect(kvNamespaces(readFileSync(config, "utf8")).get("DEDUP")).toBe(DEDUP_ID);
  });

  it("stops at the first failure with wrangler's own complaint", async () => {
    const config = configCopy();
    const { wrangler } = fakeWrangler((args) =>
      args[0] === "kv"
        ? { code: 1, output: "✘ [ERROR] You are not authenticated. Please run `wrangler login`." }
        : undefined,
    );
    await expect(setup({ configPath: config, dryRun: false, wrangler, print: () => {} })).rejects.toThrow(
      "wrangler kv namespace create verify-mobile-gateway-ACCOUNTS failed: You are not authenticated. Please run `wrangler login`. (log in first: npx wrangler login)",
    );
  });
});

// Issue 20 item 6 (docs/upstreams.md): the shipped list answers every network; setup asks which
// vendors the operator holds keys for and refuses a list that leaves a network out unless told so.
describe("npm run setup: the upstreams", () => {
  const ALL = "China Mobile (CMCC), China Unicom (CUCC), China Telecom (CTCC)";
  const shipped = () => readFileSync(CONFIG_PATH, "utf8");
  const quietSetup = (config: string, more: Partial<Parameters<typeof setup>[0]>) => {
    const printed: string[] = [];
    const fake = fakeWrangler();
    const done = setup({
      configPath: config,
      dryRun: false,
      wrangler: fake.wrangler,
      print: (l) => printed.push(l),
      ...more,
    });
    return { printed, calls: fake.calls, done };
  };

  it("wrangler.toml's default UPSTREAMS answers all three networks", () => {
    const parsed = parseUpstreams(upstreamsVar(shipped()) ?? "");
    expect(parsed.ok && networksCovered(parsed.config)).toEqual(["CMCC", "CUCC", "CTCC"]);
  });

  it("wrangler.toml [vars] shows vendors' vars only at their defaults, and no secret", () => {
    const named = [...VENDOR_SETTINGS].flatMap(([name, setting]) => {
      const value = new RegExp(`^${name} = "([^"]*)"`, "m").exec(shipped())?.[1];
      return value === undefined ? [] : [[name, value, setting.secret ? "secret" : setting.fallback]];
    });
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter(([, value, expected]) => value !== expected)).toEqual([]);
  });

  it("--dry-run says which networks the list answers", async () => {
    const config = configCopy();
    const { stdout } = await run(process.execPath, [join(ROOT, "scripts/setup.ts"), "--dry-run", "--config", config], {
      cwd: ROOT,
    });
    expect(stdout.split("\n").filter((l) => l.includes("answers"))).toEqual([
      `# UPSTREAMS="juhe:CTCC,juhe3,tencent" answers ${ALL}`,
    ]);
  });

  it("refuses a Telecom-only list before it creates anything", async () => {
    const config = configCopy();
    const { calls, done } = quietSetup(config, { upstreams: "juhe" });
    await expect(done).rejects.toThrow(
      'UPSTREAMS="juhe" answers China Telecom (CTCC) only: numbers of China Mobile (CMCC) and China Unicom (CUCC) would get 310. Add a vendor that covers them (e.g. juhe:CTCC,juhe3,tencent), or pass --partial-coverage to deploy it anyway',
    );
    expect([calls, readFileSync(config, "utf8")]).toEqual([[], shipped()]);
  });

  it("--dry-run --upstreams juhe exits 2 with the refusal", async () => {
    const config = configCopy();
    const refused = await run(
      process.execPath,
      [join(ROOT, "scripts/setup.ts"), "--dry-run", "--config", config, "--upstreams", "juhe"],
      { cwd: ROOT },
    ).catch((e: { code: number; stderr: string }) => e);
    expect(refused).toMatchObject({ code: 2 });
    expect((refused as { stderr: string }).stderr).toMatch(
      /^\{"error":"UPSTREAMS=\\"juhe\\" answers China Telecom \(CTCC\) only/,
    );
  });

  it("takes a Telecom-only list when told so explicitly, and writes it", async () => {
    const config = configCopy();
    const { printed, done } = quietSetup(config, { upstreams: "juhe", partialCoverage: true });
    await done;
    expect([upstreamsVar(readFileSync(config, "utf8")), printed[0]]).toEqual([
      "juhe",
      '# UPSTREAMS="juhe" answers China Telecom (CTCC) (not China Mobile (CMCC), China Unicom (CUCC): --partial-coverage)',
    ]);
  });

  it("asks which vendors the operator holds keys for, writes the answer and lists their secrets", async () => {
    const config = configCopy();
    const asked: string[] = [];
    const ask = async (question: string) => {
      asked.push(question);
      return "juhe3,tencent";
    };
    const { printed, done } = quietSetup(config, { ask });
    await done;
    expect(asked[0]).toMatch(/^Which vendors do you hold keys for\?[\s\S]*juhe3 +CMCC, CUCC, CTCC/);
    expect(upstreamsVar(readFileSync(config, "utf8"))).toBe("juhe3,tencent");
    expect(printed.join("\n").match(/secret put \w+/g)).toEqual([
      "secret put SERVICE_SECRET",
      "secret put ADMIN_TOKEN",
      "secret put JUHE3_KEY",
      "secret put JUHE_OPENID",
      "secret put TENCENT_SECRET_ID",
      "secret put TENCENT_SECRET_KEY",
    ]);
  });

  it("an empty answer keeps the list wrangler.toml names", async () => {
    const config = configCopy();
    const { done } = quietSetup(config, { ask: async () => "" });
    await done;
    expect(upstreamsVar(readFileSync(config, "utf8"))).toBe(upstreamsVar(shipped()));
  });

  it("refuses a list that does not parse, naming it", async () => {
    const { done } = quietSetup(configCopy(), { upstreams: "juhe,aliyun" });
    await expect(done).rejects.toThrow('UPSTREAMS="juhe,aliyun": unknown upstream or carrier in "aliyun"');
  });
});

describe("npm run deploy", () => {
  it("refuses the placeholder ids with a clear message", async () => {
    const config = configCopy();
    const refused = await run(process.execPath, [join(ROOT, "scripts/deploy.ts"), "--config", config], {
      cwd: ROOT,
    }).catch((e: { code: number; stderr: string }) => e);
    expect(refused).toMatchObject({ code: 1 });
    expect((refused as { stderr: string }).stderr).toBe(
      `deploy refused: ${config} still names placeholder KV namespaces (ACCOUNTS = "00000000000000000000000000000001", DEDUP = "00000000000000000000000000000002").\n` +
        "Run `npm run setup` first: it creates the namespaces, the R2 bucket and the secrets, and writes the real ids into wrangler.toml.\n",
    );
  });
});

describe("wrangler.toml read as text", () => {
  it("agrees with wrangler's own reader, before and after setup writes the ids", { timeout: 30_000 }, async () => {
    const { experimental_readRawConfig } = await import("wrangler");
    const shipped = readFileSync(CONFIG_PATH, "utf8");
    const written = withNamespaceId(withNamespaceId(shipped, "ACCOUNTS", ACCOUNTS_ID), "DEDUP", DEDUP_ID);
    for (const toml of [shipped, written]) {
      const path = join(mkdtempSync(join(tmpdir(), "vm-toml-")), "wrangler.toml");
      writeFileSync(path, toml);
      const { rawConfig } = experimental_readRawConfig({ config: path });
      expect({ kv: kvNamespaces(toml), r2: r2Buckets(toml), name: workerName(toml) }).toEqual({
        kv: new Map(rawConfig.kv_namespaces!.map((kv: { binding: string; id?: string }) => [kv.binding, kv.id])),
        r2: new Map(
          rawConfig.r2_buckets!.map((r2: { binding: string; bucket_name?: string }) => [r2.binding, r2.bucket_name]),
        ),
        name: rawConfig.name,
      });
    }
  });
});
