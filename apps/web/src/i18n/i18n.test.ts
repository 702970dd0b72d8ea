import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, test } from "vitest";
import { translate } from "./i18n.ts";
import { en } from "./messages-en.ts";
import { zh } from "./messages-zh.ts";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("dictionaries", () => {
  test("every key exists in both languages, with text and the same placeholders", () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(en)) {
      const other = (zh as Record<string, string>)[key]!;
      expect(text.trim(), key).not.toBe("");
      expect(other.trim(), key).not.toBe("");
      expect(placeholders(other), key).toEqual(placeholders(text));
    }
  });

  test("Chinese messages are Chinese (apart from names, codes and the language switch)", () => {
    const latinOnly = Object.entries(zh).filter(([k, v]) => {
      const bare = v.replace(/\{\w+\}/g, "");
      return /[A-Za-z]/.test(bare) && !/[\u4e00-\u9fff]/.test(bare) && k !== "app.langEn";
    });
    expect(latinOnly).toEqual([]);
  });

  test("placeholders are filled, and a missing parameter stays visible", () => {
    expect(translate("en", "common.pageOf", { page: 2, pages: 5, total: 240 })).toBe(
      "Page 2 of 5 (240 in all)",
    );
    expect(translate("zh", "common.pageOf", { page: 2, pages: 5, total: 240 })).toBe(
      "第 2 / 5 页（共 240 条）",
    );
    expect(translate("en", "warnings.count", {})).toBe("{count} warnings");
  });
});

/** Text a person reads, in attributes that hold it. */
const textAttributes = new Set(["title", "aria-label", "placeholder", "alt", "label", "aria-description"]);
const hasWords = (s: string) => /\p{L}/u.test(s);

function tsxFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return tsxFiles(p);
    return e.name.endsWith(".tsx") ? [p] : [];
  });
}

/** Every literal with letters that a component would render, outside the dictionary. */
function literalTexts(file: string, source: string): string[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const where = (n: ts.Node) =>
    `${file.split("/src/")[1]}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
  const visit = (n: ts.Node) => {
    if (ts.isJsxText(n) && hasWords(n.text.trim())) found.push(`${where(n)} text "${n.text.trim()}"`);
    if (ts.isJsxAttribute(n) && n.initializer) {
      const name = n.name.getText(sf);
      const init = n.initializer;
      const literal = ts.isStringLiteral(init)
        ? init.text
        : ts.isJsxExpression(init) && init.expression && ts.isStringLiteralLike(init.expression)
          ? init.expression.text
          : null;
      if (literal !== null && textAttributes.has(name) && hasWords(literal))
        found.push(`${where(n)} ${name}="${literal}"`);
    }
    // A string literal written straight into a child position: <p>{"Text"}</p>.
    if (
      ts.isJsxExpression(n) &&
      n.expression &&
      ts.isStringLiteralLike(n.expression) &&
      ts.isJsxElement(n.parent) &&
      hasWords(n.expression.text)
    ) {
      found.push(`${where(n)} child "${n.expression.text}"`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

describe("components", () => {
  const src = fileURLToPath(new URL("..", import.meta.url));

  test("no component renders a literal string: every text goes through the dictionary", () => {
    const files = tsxFiles(src);
    expect(files.length).toBeGreaterThan(15);
    const found = files.flatMap((f) => literalTexts(f, readFileSync(f, "utf8")));
    expect(found).toEqual([]);
  });

  test("the check catches text, labelling attributes and literal children", () => {
    const sample = `export const A = () => <div title="Hello"><p>Plain words</p>{"Child"}<span aria-label={"Named"} className="x">–</span></div>;`;
    expect(literalTexts("/x/src/sample.tsx", sample)).toEqual([
      'sample.tsx:1 title="Hello"',
      'sample.tsx:1 text "Plain words"',
      'sample.tsx:1 child "Child"',
      'sample.tsx:1 aria-label="Named"',
    ]);
  });
});
