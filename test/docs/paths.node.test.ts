// Docs name only what exists: every repo path written in a Markdown file or in a code comment, and
// every relative Markdown link, leads to a file or folder of the repo. Templates (`src/upstream/<name>/`,
// `test/**/*.node.test.ts`) and what the tools write (git-ignored: `bench/out/`, `client/dist/`) are
// not paths to check.
/// <reference types="node" />
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/lib/paths.ts";

/** Tracked files and new ones not ignored, as after a merge. */
const FILES = git(["ls-files", "--cached", "--others", "--exclude-standard"]).filter((file) =>
  existsSync(join(ROOT, file)),
);
const TOP_FOLDERS = ["src", "test", "docs", "scripts", "bench", "client", ".ci"];
const REPO_PATH = new RegExp(
  `(?<![\\w./-])(?:${TOP_FOLDERS.map((t) => t.replace(".", "\\.")).join("|")})/[\\w./@-]*`,
  "g",
);
const CODE_COMMENTS: Record<string, RegExp> = {
  java: /\/\/(.*)|^\s*\*(.*)/,
  go: /\/\/(.*)/,
  php: /(?:\/\/|#)(.*)/,
  py: /#(.*)/,
  sh: /#(.*)/,
  toml: /#(.*)/,
};

function git(args: string[]): string[] {
  const listed = spawnSync("git", args, { cwd: ROOT, encoding: "utf8" });
  if (listed.status !== 0) throw new Error(`git ${args.join(" ")}: ${listed.stderr}`);
  return listed.stdout.split("\n").filter(Boolean);
}

/** Paths git would ignore (written by the tools, never committed). */
function ignored(paths: string[]): Set<string> {
  if (paths.length === 0) return new Set();
  const answer = spawnSync("git", ["check-ignore", "--no-index", "--stdin"], {
    cwd: ROOT,
    input: paths.join("\n"),
    encoding: "utf8",
  });
  return new Set(answer.stdout.split("\n").filter(Boolean));
}

/** Repo-root paths in free text: `src/…`, `docs/…`, with sentence punctuation cut off. */
function pathsIn(text: string): string[] {
  return [...text.matchAll(REPO_PATH)]
    .filter((found) => !/[<*…{]/.test(text.slice(found.index, found.index + found[0].length + 1)))
    .map((found) => found[0].replace(/[.,:;]+$/, ""));
}

/** The text of a TypeScript file's comments (the scanner's trivia, so strings are not read). */
function typescriptComments(text: string): string {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, text);
  const comments: string[] = [];
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === ts.SyntaxKind.SingleLineCommentTrivia || token === ts.SyntaxKind.MultiLineCommentTrivia) {
      comments.push(scanner.getTokenText());
    }
  }
  return comments.join("\n");
}

function commentsOf(file: string, text: string): string {
  const extension = file.slice(file.lastIndexOf(".") + 1);
  if (extension === "ts") return typescriptComments(text);
  const comment = CODE_COMMENTS[extension];
  if (!comment) return "";
  return text
    .split("\n")
    .map((line) => {
      const found = comment.exec(line);
      return found ? (found[1] ?? found[2] ?? "") : "";
    })
    .join("\n");
}

/** Relative link targets of a Markdown file, resolved from its folder (anchors and URLs dropped). */
function linksIn(file: string, text: string): string[] {
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((found) => found[1]!.replace(/#.*$/, ""))
    .filter((target) => target !== "" && !/^[a-z]+:/.test(target))
    .map((target) => normalize(join(dirname(file), decodeURI(target))).replace(/\/$/, ""));
}

/** Named paths that do not exist, as `path (how it is named)`. */
function missingIn(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const named = file.endsWith(".md")
    ? [
        ...pathsIn(text).map((path) => [path, "named"] as const),
        ...linksIn(file, text).map((p) => [p, "linked"] as const),
      ]
    : pathsIn(commentsOf(file, text)).map((path) => [path, "named in a comment"] as const);
  const absent = named.filter(([path]) => !existsSync(join(ROOT, path)));
  const generated = ignored(absent.map(([path]) => path));
  return [...new Set(absent.filter(([path]) => !generated.has(path)).map(([path, how]) => `${path} (${how})`))];
}

const MARKDOWN = FILES.filter((file) => file.endsWith(".md"));
const CODE = FILES.filter((file) => /\.(ts|java|go|php|py|sh|toml)$/.test(file) || file === ".ci/run");

describe("every repo path named in Markdown exists", () => {
  it.each(MARKDOWN)("%s", (file) => {
    expect(missingIn(file), `${file} names paths that do not exist: fix or remove them`).toEqual([]);
  });
});

describe("every repo path named in a code comment exists", () => {
  it.each(CODE)("%s", (file) => {
    expect(missingIn(file), `${file} names paths in comments that do not exist: fix or remove them`).toEqual([]);
  });
});

describe("the path finder", () => {
  it("reads paths out of prose, without the sentence's punctuation", () => {
    expect(pathsIn("see src/wire/codes.ts, and docs/contract.md.")).toEqual(["src/wire/codes.ts", "docs/contract.md"]);
  });

  it("skips templates", () => {
    expect(pathsIn("a folder src/upstream/<name>/ and test/**/*.node.test.ts")).toEqual([]);
  });

  it("reads comments, not strings, of TypeScript", () => {
    expect(pathsIn(typescriptComments('const a = "src/nowhere.ts"; // src/wire/codes.ts'))).toEqual([
      "src/wire/codes.ts",
    ]);
  });
});
