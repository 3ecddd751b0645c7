// `npm run lint` (part): the folder floors of ARCHITECTURE.md hold. A file under src/ imports from
// its own folder and from lower floors only; nothing under src/ imports from outside it; nothing
// outside test/ imports from test/ (but the bench reads test/fixtures/, the corpus it measures). The order is read from ARCHITECTURE.md's Floors table, so the
// documented order is the checked one. madge still checks for cycles between files.
//
//   node scripts/check-floors.ts        exits 1 listing every import that runs up
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export const ROOT = resolve(import.meta.dirname, "..");
const SKIPPED_DIRS = new Set(["node_modules", "dist", "out", ".wrangler", ".git"]);
const FLOORS_MARKER = "<!-- floors";

/** Folder (or root file) of src/ → its floor, from the table after the marker in ARCHITECTURE.md. */
export function parseFloors(architecture: string): Map<string, number> {
  const floors = new Map<string, number>();
  const start = architecture.indexOf(FLOORS_MARKER);
  if (start < 0) throw new Error(`ARCHITECTURE.md has no "${FLOORS_MARKER}" table`);
  for (const line of architecture.slice(start).split("\n").slice(1)) {
    const row = /^\|\s*(\d+)\s*\|([^|]+)\|/.exec(line);
    if (!row) {
      if (floors.size > 0 && !line.startsWith("|")) break;
      continue;
    }
    for (const name of row[2]!.matchAll(/`([^`]+)`/g)) floors.set(name[1]!, Number(row[1]));
  }
  return floors;
}

/** Repo-relative paths (with /) of the TypeScript files the checks cover. */
export function sourceFiles(root = ROOT): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(join(dir, entry.name));
      } else if (/\.(ts|mts)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) {
        found.push(relative(root, join(dir, entry.name)).split(sep).join("/"));
      }
    }
  };
  for (const top of ["src", "scripts", "bench", "client", "docs", "test"]) walk(join(root, top));
  return found.sort();
}

/** Relative imports of one file (static, type-only, re-exports and dynamic), repo-relative. */
export function importsOf(file: string, text: string): string[] {
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((imported) => imported.fileName)
    .filter((name) => name.startsWith("."))
    .map((name) => join(dirname(file), name).split(sep).join("/"));
}

/** The bench measures the tests' own corpus (identities, adversarial inputs), so it may read them. */
function isBenchReadingFixtures(file: string, target: string): boolean {
  return file.startsWith("bench/") && target.startsWith("test/fixtures/");
}

/** The floor name of a src path: its first folder, or the file itself at src's root. */
function unitOf(path: string): string {
  return path.split("/")[1]!;
}

/** Every broken rule, one line each, naming the file, the import and the rule. */
export function violations(files: ReadonlyMap<string, string>, floors: ReadonlyMap<string, number>): string[] {
  const found: string[] = [];
  for (const [file, text] of files) {
    for (const target of importsOf(file, text)) {
      const line = `${file} imports ${target}`;
      if (target.startsWith("test/") && !file.startsWith("test/") && !isBenchReadingFixtures(file, target)) {
        found.push(`${line}: only tests import from test/ (move what it needs to scripts/lib/)`);
      }
      if (!file.startsWith("src/")) continue;
      if (!target.startsWith("src/")) {
        found.push(`${line}: a file under src/ imports only from src/`);
        continue;
      }
      const [from, to] = [unitOf(file), unitOf(target)];
      const [fromFloor, toFloor] = [floors.get(from), floors.get(to)];
      if (fromFloor === undefined || toFloor === undefined) {
        const missing = fromFloor === undefined ? from : to;
        found.push(`${line}: src/${missing} has no floor; add it to the Floors table in ARCHITECTURE.md`);
      } else if (toFloor > fromFloor) {
        found.push(
          `${line}: ${from} (floor ${fromFloor}) may not import ${to} (floor ${toFloor}); ` +
            "move what it needs down to where it is made (ARCHITECTURE.md, Floors)",
        );
      }
    }
  }
  return found;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const floors = parseFloors(readFileSync(join(ROOT, "ARCHITECTURE.md"), "utf8"));
  const files = new Map(sourceFiles().map((file) => [file, readFileSync(join(ROOT, file), "utf8")] as const));
  const found = violations(files, floors);
  for (const problem of found) console.error(problem);
  if (found.length > 0) process.exit(1);
  console.log(`floors: ${files.size} files, every import runs down or across`);
}
