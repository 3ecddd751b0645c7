// ARCHITECTURE.md's Layout names every file under src/ and nothing else; every src folder stands on
// a floor and has its tests' folder; no src file grows past the size a reader takes in at once.
/// <reference types="node" />
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { parseFloors } from "../../scripts/check-floors.ts";
import { ROOT } from "../../scripts/lib/paths.ts";

/** A file a reader takes in at once (CONTRIBUTING.md, "Naming and shape"). */
const MAX_LINES = 300;
const architecture = readFileSync(join(ROOT, "ARCHITECTURE.md"), "utf8");

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)).split(sep).join("/"))
    .sort();
}

/** The paths of the ```layout block: two spaces of indent per level, folders end in `/`. */
function layoutPaths(markdown: string): string[] {
  const block = /```layout\n([\s\S]*?)```/.exec(markdown);
  if (!block) throw new Error("ARCHITECTURE.md has no ```layout block");
  const folders: string[] = [];
  const files: string[] = [];
  for (const line of block[1]!.split("\n").filter((l) => l.trim())) {
    const depth = (line.length - line.trimStart().length) / 2;
    const name = line.trim().split(/\s+/)[0]!;
    folders.length = depth;
    if (name.endsWith("/")) folders.push(name.slice(0, -1));
    else files.push([...folders, name].join("/"));
  }
  return files.sort();
}

const SRC_FILES = filesUnder("src");
const SRC_FOLDERS = [...new Set(SRC_FILES.map((file) => file.split("/")[1]!))];

describe("ARCHITECTURE.md's Layout", () => {
  const listed = layoutPaths(architecture);

  it("lists every file under src/", () => {
    const missing = SRC_FILES.filter((file) => !listed.includes(file));
    expect(
      missing,
      "add each to the ```layout block of ARCHITECTURE.md, under its folder (two spaces per level), with what it holds",
    ).toEqual([]);
  });

  it("lists no file that is gone", () => {
    const gone = listed.filter((file) => !SRC_FILES.includes(file));
    expect(gone, "remove or rename these lines of the ```layout block of ARCHITECTURE.md").toEqual([]);
  });
});

describe("src/", () => {
  it("has a floor for every folder and root file (ARCHITECTURE.md, Floors)", () => {
    const floors = parseFloors(architecture);
    const without = SRC_FOLDERS.filter((name) => !floors.has(name));
    expect(without, "add a row for each to the Floors table of ARCHITECTURE.md").toEqual([]);
  });

  it("has its tests in the folder of the same name under test/", () => {
    const tested = new Set(readdirSync(join(ROOT, "test")));
    const untested = SRC_FOLDERS.filter((name) => !name.endsWith(".ts") && !tested.has(name));
    expect(untested, "each src/<folder> has its tests in test/<folder>/").toEqual([]);
  });

  it(`has no file over ${MAX_LINES} lines`, () => {
    const long = SRC_FILES.map((file) => ({
      file,
      lines: readFileSync(join(ROOT, file), "utf8").split("\n").length - 1,
    }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ file, lines }) => `${file}: ${lines} lines`);
    expect(long, `split these along their seams into files of at most ${MAX_LINES} lines`).toEqual([]);
  });
});

describe("the layout reader", () => {
  it("builds paths from the indentation", () => {
    expect(layoutPaths("```layout\nsrc/\n  index.ts   x\n  a/\n    b.ts  y\n    c/\n      d.ts\n  e.ts\n```")).toEqual([
      "src/a/b.ts",
      "src/a/c/d.ts",
      "src/e.ts",
      "src/index.ts",
    ]);
  });
});
