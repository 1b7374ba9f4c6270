/** Reading the repository's markdown: which files are docs, their fenced code blocks, links and headings. */
import * as fs from "fs";
import * as path from "path";

/** The repository root (tests run from dist/test/docs). */
export const ROOT = path.resolve(__dirname, "..", "..", "..");

/** Every markdown file a reader is sent to: README, CHANGELOG and everything under docs/. */
export function docFiles(): string[] {
  const files = ["README.md", "CHANGELOG.md"];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith(".md")) files.push(rel);
    }
  };
  walk("docs");
  return files.filter((f) => fs.existsSync(path.join(ROOT, f)));
}

/** The text of a repository file. */
export function readDoc(file: string): string {
  return fs.readFileSync(path.join(ROOT, file), "utf8");
}

export interface CodeBlock {
  /** Repository-relative markdown file. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The fence's info string (language), "" when none. */
  lang: string;
  code: string;
  /** Declarations a fragment assumes, from `<!-- ts-context: … -->` on the line before the fence. */
  context: string;
}

/** Fenced code blocks (``` at the start of a line, any indentation) of one markdown file, in order. */
export function codeBlocks(file: string): CodeBlock[] {
  const lines = readDoc(file).split("\n");
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\S*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const indent = open[1].length;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]); j++) body.push(lines[j].slice(Math.min(indent, /^\s*/.exec(lines[j])![0].length)));
    const before = /<!-- ts-context: ([\s\S]*?) -->/.exec(lines[i - 1] ?? "");
    blocks.push({ file, line: i + 1, lang: open[2], code: body.join("\n"), context: before?.[1] ?? "" });
    i = j;
  }
  return blocks;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, "")
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The anchors a markdown file offers: its headings' slugs (numbered when repeated) and explicit `<a id>`s. */
export function anchors(file: string): Set<string> {
  const text = readDoc(file).replace(/^```[\s\S]*?^```/gm, "");
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const [, heading] of text.matchAll(/^#{1,6} (.+)$/gm)) {
    const base = slug(heading);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const [, id] of text.matchAll(/<a id="([^"]+)">/g)) out.add(id);
  return out;
}

export interface Link {
  file: string;
  target: string;
}

/** Relative links (`[text](target)`, images included) outside code blocks; web and mail links left out. */
export function relativeLinks(file: string): Link[] {
  const text = readDoc(file).replace(/^```[\s\S]*?^```/gm, "");
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1])
    .filter((t) => !/^(https?:|mailto:)/.test(t))
    .map((target) => ({ file, target }));
}
