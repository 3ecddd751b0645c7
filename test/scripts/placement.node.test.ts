// `npm run setup -- --placement … --object-hint …` (docs/benchmark.md "Placement"): what it accepts,
// what it writes into wrangler.toml (and nothing else), and that wrangler reads the result as meant.
/// <reference types="node" />
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { unstable_readConfig } from "wrangler";
import { parseObjectHint, parsePlacement, withObjectHint, withPlacement } from "../../scripts/lib/placement.ts";
import { CONFIG_PATH } from "../../scripts/lib/wrangler-config.ts";
import { setup } from "../../scripts/setup.ts";

const shipped = readFileSync(CONFIG_PATH, "utf8");

describe("--placement and --object-hint", () => {
  it.each([
    ["edge", { kind: "edge" }],
    ["hostname:v.juhe.cn", { kind: "hostname", value: "v.juhe.cn" }],
    ["host:db.example.com:5432", { kind: "host", value: "db.example.com:5432" }],
    ["region:aws:ap-east-1", { kind: "region", value: "aws:ap-east-1" }],
  ])("%s is understood", (text, placement) => {
    expect(parsePlacement(text)).toEqual(placement);
  });

  it.each(["smart", "hostname:", "hostname:https://v.juhe.cn/", "region:ap-east-1", "host:db.example.com"])(
    "%s is refused with exit code 2",
    (text) => {
      expect(() => parsePlacement(text)).toThrow(expect.objectContaining({ exitCode: 2 }));
    },
  );

  it("an object hint is one of Cloudflare's location hints or none", () => {
    expect([parseObjectHint("apac"), parseObjectHint("none")]).toEqual(["apac", "none"]);
    expect(() => parseObjectHint("cn-north")).toThrow(expect.objectContaining({ exitCode: 2 }));
  });

  it("the shipped config runs the Worker at the edge with no object hint (the mainland-China default)", () => {
    const config = unstable_readConfig({ config: CONFIG_PATH });
    expect([config.placement, config.vars.OBJECT_LOCATION_HINT]).toEqual([undefined, ""]);
  });

  it("writes [placement] and the hint that wrangler reads back; edge and none undo them, byte for byte", () => {
    const placed = withObjectHint(withPlacement(shipped, { kind: "hostname", value: "v.juhe.cn" }), "apac");
    const path = join(mkdtempSync(join(tmpdir(), "vm-placement-")), "wrangler.toml");
    copyFileSync(CONFIG_PATH, path);
    writeFileSync(path, placed);
    const config = unstable_readConfig({ config: path });
    expect([config.placement, config.vars.OBJECT_LOCATION_HINT]).toEqual([{ hostname: "v.juhe.cn" }, "apac"]);
    expect(withObjectHint(withPlacement(placed, { kind: "edge" }), "none")).toBe(shipped);
  });

  it("setup writes what it was asked for and says that existing objects stay where they are", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "vm-placement-")), "wrangler.toml");
    copyFileSync(CONFIG_PATH, path);
    const lines: string[] = [];
    await setup({
      configPath: path,
      dryRun: true,
      wrangler: async () => ({ code: 0, output: "" }),
      print: (line) => lines.push(line),
      placement: { worker: { kind: "region", value: "aws:ap-east-1" }, objectHint: "apac" },
    }).catch(() => {});
    expect(lines.filter((l) => l.includes("[placement]") || l.includes("OBJECT_LOCATION_HINT"))).toEqual([
      `# write ${path}: the Worker runs at [placement] region = "aws:ap-east-1"`,
      `# write ${path}: OBJECT_LOCATION_HINT: a new account's object is created in apac; existing objects stay where they are`,
    ]);
    expect(readFileSync(path, "utf8")).toBe(shipped); // a dry run writes nothing
  });
});
