// `npm run build:client [-- --out DIR]`: the package's two builds, ESM in DIR/esm and CommonJS in
// DIR/cjs (default DIR: client/dist), each with its declarations. tsc twice, no bundler: the
// sources are two files without dependencies. The test that keeps client/dist in step with the
// sources builds into a temporary DIR and compares.
/// <reference types="node" />
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const CLIENT = import.meta.dirname;
const TSC = join(CLIENT, "../node_modules/typescript/bin/tsc");
const outIndex = process.argv.indexOf("--out");
const out = outIndex === -1 ? join(CLIENT, "dist") : resolve(process.argv[outIndex + 1] ?? "");

for (const [config, dir] of [
  ["tsconfig.json", "esm"],
  ["tsconfig.cjs.json", "cjs"],
] as const) {
  const tsc = spawnSync(process.execPath, [TSC, "-p", join(CLIENT, config), "--outDir", join(out, dir)], {
    stdio: "inherit",
  });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
}
// The package is "type": "module"; this marks the .js files under cjs/ (and their .d.ts) as CommonJS.
mkdirSync(join(out, "cjs"), { recursive: true });
writeFileSync(join(out, "cjs/package.json"), `${JSON.stringify({ type: "commonjs" })}\n`);
