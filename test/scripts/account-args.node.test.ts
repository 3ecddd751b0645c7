// The account command line (scripts/account/args.ts): node:util's parseArgs plus zod, in Node
// because parseArgs is Node's. The usage text is checked against the parser, verb by verb.
/// <reference types="node" />
import { describe, expect, it } from "vitest";
import { parseCommand, USAGE } from "../../scripts/account/args.ts";
import { CliError } from "../../scripts/lib/errors.ts";

const LOCAL = ["--local"];
const ID = ["--id", "acc_0123456789abcdef"];

function usage(argv: string[]): string {
  try {
    parseCommand(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(CliError);
    expect((e as CliError).exitCode).toBe(2);
    return (e as CliError).message;
  }
  throw new Error(`expected a usage error for ${argv.join(" ")}`);
}

describe("account alert thresholds", () => {
  it("sets and clears --alert-balance and --alert-quota on update", () => {
    expect([
      parseCommand(["update", ...LOCAL, ...ID, "--alert-balance", "5000", "--alert-quota", "0"]),
      parseCommand(["update", ...LOCAL, ...ID, "--alert-balance", "none"]),
    ]).toEqual([
      {
        verb: "update",
        target: { mode: "local", persistTo: null },
        id: "acc_0123456789abcdef",
        settings: { alertBalanceFen: 5000, alertQuota: 0 },
      },
      {
        verb: "update",
        target: { mode: "local", persistTo: null },
        id: "acc_0123456789abcdef",
        settings: { alertBalanceFen: null },
      },
    ]);
  });

  it("refuses a threshold out of range, naming the flag", () => {
    expect([
      usage(["update", ...LOCAL, ...ID, "--alert-balance", "-1"]),
      usage(["create", ...LOCAL, "--name", "A", "--alert-quota", "1000000000001"]),
      usage(["update", ...LOCAL, ...ID, "--alert-quota", "ten"]),
    ]).toEqual([
      "--alert-balance must be at least 0",
      "--alert-quota must be at most 1000000000000",
      "--alert-quota must be a whole number",
    ]);
  });
});

describe("account command line", () => {
  it("parses create with defaults and --flag=value", () => {
    expect(parseCommand(["create", "--local", "--persist-to=/tmp/x", "--name", "Foo"])).toEqual({
      verb: "create",
      target: { mode: "local", persistTo: "/tmp/x" },
      settings: { name: "Foo" },
      keyLength: 16,
    });
  });

  it("parses every create flag", () => {
    const c = parseCommand([
      "create",
      "--remote",
      "--name",
      " Foo ",
      "--status",
      "frozen",
      "--services",
      "verifyMobile, other,verifyMobile",
      "--contract-end",
      "2027-02-28",
      "--duplicate-policy",
      "replay",
      "--dedup-ttl",
      "86400",
      "--key-length",
      "32",
      "--price",
      "15",
      "--quota",
      "100",
      "--balance",
      "-5",
      "--rate-limit",
      "none",
      "--subject-budget",
      "3",
      "--diagnostics",
    ]);
    expect(c).toEqual({
      verb: "create",
      target: { mode: "remote" },
      keyLength: 32,
      settings: {
        name: "Foo",
        status: "frozen",
        services: ["verifyMobile", "other"],
        contractEnd: "2027-02-28",
        duplicatePolicy: "replay",
        dedupTtl: 86400,
        priceFen: 15,
        remaining: 100,
        balanceFen: -5,
        rateLimit: null,
        subjectBudget: 3,
        diagnostics: true,
      },
    });
  });

  it("sets the limits and diagnostics on update, --no-diagnostics turning it off", () => {
    expect(
      parseCommand(["update", ...LOCAL, ...ID, "--rate-limit", "20", "--subject-budget", "5", "--no-diagnostics"]),
    ).toEqual({
      verb: "update",
      target: { mode: "local", persistTo: null },
      id: "acc_0123456789abcdef",
      settings: { rateLimit: 20, subjectBudget: 5, diagnostics: false },
    });
    expect(parseCommand(["update", ...LOCAL, ...ID, "--rate-limit", "none"])).toMatchObject({
      settings: { rateLimit: null },
    });
    expect(usage(["update", ...LOCAL, ...ID, "--rate-limit", "0"])).toMatch(/--rate-limit must be at least 1/);
    expect(usage(["update", ...LOCAL, ...ID, "--subject-budget", "none"])).toMatch(
      /--subject-budget must be a whole number/,
    );
    expect(usage(["update", ...LOCAL, ...ID, "--diagnostics", "--no-diagnostics"])).toMatch(
      /--diagnostics given twice/,
    );
    expect(usage(["update", ...LOCAL, ...ID, "--diagnostics=on"])).toMatch(/does not take an argument/);
  });

  it('reads --services "" as no services and none as cleared', () => {
    expect(parseCommand(["create", ...LOCAL, "--name", "A", "--services", ""])).toMatchObject({
      settings: { services: [] },
    });
    expect(parseCommand(["update", ...LOCAL, ...ID, "--contract-end", "none"])).toMatchObject({
      settings: { contractEnd: null },
    });
  });

  it("leaves quota and balance to credit once the account exists, none included", () => {
    for (const value of ["5", "none"]) {
      expect(usage(["update", ...LOCAL, ...ID, "--quota", value])).toMatch(
        /update does not change --quota.*use credit/,
      );
      expect(usage(["update", ...LOCAL, ...ID, "--balance", value])).toMatch(
        /update does not change --balance.*use credit/,
      );
    }
    expect(parseCommand(["create", ...LOCAL, "--name", "A", "--quota", "none", "--balance", "none"])).toMatchObject({
      settings: { remaining: null, balanceFen: null },
    });
  });

  it("parses credit as changes to balance and counts", () => {
    expect(parseCommand(["credit", ...LOCAL, ...ID, "--balance", "5000", "--quota", "-2"])).toEqual({
      verb: "credit",
      target: { mode: "local", persistTo: null },
      id: "acc_0123456789abcdef",
      url: null,
      balanceFen: 5000,
      count: -2,
      start: false,
    });
    expect(parseCommand(["credit", ...LOCAL, ...ID, "--balance", "5000", "--start"])).toMatchObject({
      verb: "credit",
      balanceFen: 5000,
      start: true,
    });
    expect(usage(["credit", ...LOCAL, ...ID])).toMatch(/--balance FEN and\/or --quota N/);
    expect(usage(["credit", ...LOCAL, ...ID, "--balance", "none"])).toMatch(/--balance must be a whole number/);
  });

  it("parses usage and ledger ranges, leaving the defaults to the day the command runs", () => {
    expect(
      parseCommand([
        "ledger",
        "--remote",
        "--url",
        "https://w.example",
        ...ID,
        "--from",
        "2026-11-01",
        "--format",
        "csv",
        "--limit",
        "50",
      ]),
    ).toEqual({
      verb: "ledger",
      target: { mode: "remote" },
      id: "acc_0123456789abcdef",
      url: "https://w.example",
      from: "2026-11-01",
      to: null,
      format: "csv",
      limit: 50,
    });
    expect(usage(["usage", ...LOCAL, ...ID, "--format", "xml"])).toMatch(/json or csv/);
    expect(usage(["usage", ...LOCAL, ...ID, "--from", "2026-13-01"])).toMatch(/YYYY-MM-DD/);
    expect(usage(["usage", ...LOCAL, ...ID, "--from", "2026-11-02", "--to", "2026-11-01"])).toMatch(
      /--from must not be after --to/,
    );
  });

  it("refuses bad command lines with clear messages", () => {
    expect(usage(["create", "--name", "A"])).toMatch(/--local or --remote/);
    expect(usage(["create", "--local", "--remote", "--name", "A"])).toMatch(/--local or --remote/);
    expect(usage(["create", "--remote", "--persist-to", "d", "--name", "A"])).toMatch(/--persist-to/);
    expect(usage(["create", ...LOCAL])).toMatch(/create needs --name NAME/);
    expect(usage(["create", ...LOCAL, "--name", "A", "--dedup-ttl", "59"])).toMatch(/at least 60/);
    expect(usage(["create", ...LOCAL, "--name", "A", "--dedup-ttl", "86401"])).toMatch(/at most 86400/);
    expect(usage(["create", ...LOCAL, "--name", "A", "--dedup-ttl", "6e1"])).toMatch(/whole number/);
    expect(usage(["create", ...LOCAL, "--name", "A", "--contract-end", "2026-02-29"])).toMatch(/real date/);
    expect(usage(["create", ...LOCAL, "--name", "A", "--key-length", "24"])).toMatch(/16 or 32/);
    expect(usage(["create", ...LOCAL, "--name", "A", "--status", "closed"])).toMatch(/active, frozen, offline/);
    expect(usage(["create", ...LOCAL, "--name", "A", "--services", "", "--price", "1"])).toMatch(/has none/);
    expect(usage(["create", ...LOCAL, "--name", "A", "--services", "verify mobile"])).toMatch(/service names/);
    expect(usage(["create", ...LOCAL, "--name", "A", "--name", "B"])).toMatch(/--name given twice/);
    expect(usage(["create", ...LOCAL, "--name"])).toMatch(/Option '--name <value>' argument missing/);
    expect(usage(["create", ...LOCAL, "--name", "A", "--frob"])).toMatch(/Unknown option '--frob'/);
    expect(usage(["create", ...LOCAL, "--name", "A", "extra"])).toMatch(/unexpected argument "extra"/);
    expect(usage(["update", ...LOCAL, ...ID, "--key-length", "32"])).toMatch(/update does not take --key-length/);
    expect(usage(["update", ...LOCAL, ...ID])).toMatch(/at least one/);
    expect(usage(["show", ...LOCAL])).toMatch(/--id.*--token/);
    expect(usage(["show", ...LOCAL, "--token", "abc"])).toMatch(/vmt_/);
    expect(usage(["disable", ...LOCAL, "--id", "acc_1"])).toMatch(/16 hex/);
    expect(usage(["disable", ...LOCAL])).toMatch(/disable needs --id ACC/);
    expect(usage(["frob", ...LOCAL])).toMatch(/unknown verb/);
    expect(usage([])).toMatch(/missing verb/);
  });

  it("treats help, --help and -h anywhere as help", () => {
    expect(parseCommand(["create", "--help"])).toEqual({ verb: "help" });
    expect(parseCommand(["-h"])).toEqual({ verb: "help" });
    expect(parseCommand(["help"])).toEqual({ verb: "help" });
  });
});

describe("credential flags (docs/contract.md §9)", () => {
  it("creates an sm4-cbc account with a signature and an IP allowlist, its key 16 characters", () => {
    const argv = ["create", ...LOCAL, "--name", "Foo", "--cipher", "sm4-cbc", "--require-sign"];
    expect(parseCommand([...argv, "--allow-ip", " 203.0.113.0/24 ,2001:db8::/32,203.0.113.0/24"])).toEqual({
      verb: "create",
      target: { mode: "local", persistTo: null },
      settings: { name: "Foo", cipher: "sm4-cbc", requireSign: true, allowIps: ["203.0.113.0/24", "2001:db8::/32"] },
      keyLength: 16,
    });
  });

  it("refuses a key length the cipher cannot take", () => {
    expect(usage(["create", ...LOCAL, "--name", "Foo", "--cipher", "sm4-cbc", "--key-length", "32"])).toBe(
      "--cipher sm4-cbc takes --key-length 16",
    );
  });

  it("updates the cipher, turns the signature off and clears the allowlist", () => {
    const argv = ["update", ...LOCAL, ...ID, "--cipher", "aes-gcm", "--no-require-sign", "--allow-ip", "none"];
    expect(parseCommand(argv)).toMatchObject({ settings: { cipher: "aes-gcm", requireSign: false, allowIps: null } });
  });

  it.each([
    ["10.0.0.0/33", '--allow-ip: "10.0.0.0/33" is not an IPv4 or IPv6 CIDR'],
    ["10.0.0.1,example.com", '--allow-ip: "example.com" is not an IPv4 or IPv6 CIDR'],
    [",", "--allow-ip takes 1 to 64 networks, or none"],
  ])("refuses --allow-ip %s", (value, message) => {
    expect(usage(["update", ...LOCAL, ...ID, "--allow-ip", value])).toBe(message);
  });

  it("refuses an unknown cipher", () => {
    expect(usage(["update", ...LOCAL, ...ID, "--cipher", "des"])).toBe(
      "--cipher must be one of aes-cbc, aes-gcm, sm4-cbc",
    );
  });

  it.each([
    ["90", 90],
    ["90s", 90],
    ["30m", 1800],
    ["24h", 86_400],
    ["7d", 604_800],
    ["0", 0],
  ])("reads --grace %s as %i seconds", (grace, seconds) => {
    expect(parseCommand(["rotate-token", ...LOCAL, ...ID, "--grace", grace])).toMatchObject({ graceSeconds: seconds });
    expect(parseCommand(["rotate-key", ...LOCAL, ...ID, "--grace", grace])).toMatchObject({ graceSeconds: seconds });
  });

  it.each(["8d", "604801", "1.5h", "30x", "-5", "m"])("refuses --grace %s", (grace) => {
    expect(usage(["rotate-token", ...LOCAL, ...ID, "--grace", grace])).toBe(
      "--grace is seconds, or a number with s, m, h or d (30m, 24h), at most 7d",
    );
  });

  it("rotates without a grace unless one is given", () => {
    expect(parseCommand(["rotate-token", ...LOCAL, ...ID])).toMatchObject({ graceSeconds: 0 });
  });
});

describe("account usage text", () => {
  /** Each verb's flags as the usage text lists them: `--flag VALUE` or `[--flag VALUE]`. */
  const documented = new Map<string, string[]>();
  let verb = "";
  for (const line of USAGE.split("\n").slice(1)) {
    const head = /^ {2}([a-z-]+)( |$)/.exec(line);
    if (head) verb = head[1]!;
    else if (!/^ {3,}/.test(line)) verb = "";
    if (verb)
      documented.set(verb, [
        ...(documented.get(verb) ?? []),
        ...(line.match(/--[a-z-]+(?: [^\s\]|)]+(?:\|[^\s\]]+)*)?/g) ?? []),
      ]);
  }

  const SAMPLE: Record<string, string> = {
    ACC: "acc_0123456789abcdef",
    TOKEN: "vmt_demodemodemodemodemodemodemodemo",
    NAME: "Foo",
    FEN: "5",
    N: "5",
    SECONDS: "600",
    URL: "https://w.example",
    "YYYY-MM-DD": "2026-11-01",
    "verifyMobile,…": "verifyMobile,other",
    TEXT: "acme",
    CODE: "307",
    "CIDR,…": "203.0.113.0/24,2001:db8::/32",
    DURATION: "30m",
  };
  /** Each alternative a placeholder names (`N|none` → 5 and none). */
  const samples = (shown: string) =>
    SAMPLE[shown] !== undefined ? [SAMPLE[shown]] : shown.split("|").map((v) => SAMPLE[v] ?? v);
  /** A complete command line of each verb, as flag → value. */
  const BASE: Record<string, Record<string, string>> = {
    create: { "--name": "Foo" },
    show: {},
    update: { "--id": SAMPLE.ACC!, "--name": "Foo" },
    credit: { "--id": SAMPLE.ACC!, "--balance": "5" },
    spend: {},
    // reconcile's two arguments, spread as they are into the command line.
    reconcile: { juhe: "vendor.csv" },
    list: {},
    upstreams: {},
    "alert-test": {},
  };

  it("lists every verb", () => {
    expect([...documented.keys()]).toEqual([
      "create",
      "show",
      "update",
      "rotate-token",
      "rotate-key",
      "disable",
      "credit",
      "state",
      "usage",
      "ledger",
      "spend",
      "reconcile",
      "list",
      "refusals",
      "upstreams",
      "alert-test",
    ]);
  });

  it("documents only what the parser accepts, every value it names included", () => {
    const refused: string[] = [];
    let tried = 0;
    for (const [name, flags] of documented) {
      for (const flag of flags) {
        const [option, shown] = flag.split(" ") as [string, string | undefined];
        for (const value of shown === undefined ? [null] : samples(shown)) {
          const { [option]: _, ...base } = BASE[name] ?? { "--id": SAMPLE.ACC! };
          const argv = [name, "--local", ...Object.entries(base).flat(), option, ...(value === null ? [] : [value])];
          tried++;
          try {
            parseCommand(argv);
          } catch (e) {
            refused.push(`${argv.join(" ")}: ${(e as Error).message}`);
          }
        }
      }
    }
    expect({ tried, refused }).toEqual({ tried: 106, refused: [] });
  });

  it("does not offer update what update refuses", () => {
    expect(documented.get("update")!.filter((f) => /^--(quota|balance|key-length)\b/.test(f))).toEqual([]);
    expect(documented.get("update")).toEqual(
      expect.arrayContaining([
        "--contract-end YYYY-MM-DD|none",
        "--rate-limit N|none",
        "--diagnostics",
        "--no-diagnostics",
      ]),
    );
  });
});

describe("account spend and reconcile", () => {
  it("parses spend for every account or one, and reconcile with its vendor and file", () => {
    expect([
      parseCommand(["spend", ...LOCAL, "--from", "2026-12-01", "--format", "csv"]),
      parseCommand(["reconcile", ...LOCAL, "juhe", "juhe-2026-12.csv"]),
    ]).toEqual([
      {
        verb: "spend",
        target: { mode: "local", persistTo: null },
        id: null,
        url: null,
        from: "2026-12-01",
        to: null,
        format: "csv",
      },
      {
        verb: "reconcile",
        target: { mode: "local", persistTo: null },
        url: null,
        vendor: "juhe",
        csvPath: "juhe-2026-12.csv",
      },
    ]);
  });

  it("refuses reconcile without both arguments, with a third, or a vendor that is no name", () => {
    expect([
      usage(["reconcile", ...LOCAL, "juhe"]),
      usage(["reconcile", ...LOCAL, "juhe", "a.csv", "b.csv"]),
      usage(["reconcile", ...LOCAL, "../x", "a.csv"]),
      usage(["spend", ...LOCAL, "extra"]),
    ]).toEqual([
      "reconcile needs <vendor> <file.csv>",
      'unexpected argument "b.csv"',
      '"../x" is not an upstream name',
      'unexpected argument "extra"',
    ]);
  });
});
