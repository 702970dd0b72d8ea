import type { Column } from "./columns.ts";
import { datasets } from "./datasets.ts";
import { institutionTypes, sectorUnits, supervisoryUnits } from "./institution-types.ts";
import { itemConsistencyChecks, itemDictionary } from "./items.ts";

function typeText(c: Column): string {
  const t = c.type;
  switch (t.kind) {
    case "decimal":
      return `decimal(${t.precision ?? 18}, ${t.scale})${t.min !== undefined ? ` ≥ ${t.min}` : ""}${t.max !== undefined ? ` ≤ ${t.max}` : ""}${t.grades ? `, or a grade: ${t.grades.join(", ")}` : ""}`;
    case "integer":
      return `integer${t.min !== undefined ? ` ≥ ${t.min}` : ""}${t.max !== undefined ? ` ≤ ${t.max}` : ""}`;
    case "enum":
      return `one of: ${t.values.join(", ")}`;
    case "string":
      return `text${t.maxLength ? ` ≤ ${t.maxLength}` : ""}${t.patternHint ? ` (${t.patternHint})` : ""}`;
    case "text":
      return `free text${t.maxLength ? ` ≤ ${t.maxLength}` : ""}`;
    case "credit_code":
      return "credit code (GB 32100-2015)";
    case "personal_id":
      return `personal id: ${t.idKind} (pseudonymised)`;
    case "date":
      return "date YYYY-MM-DD";
    case "period":
      return "period YYYY-MM or YYYY-Qn";
    case "boolean":
      return "true / false";
  }
}

const cell = (s: string) => s.replaceAll("|", "\\|").replaceAll("\n", " ");

/** Renders docs/data-contract.md from the contract itself, so the document cannot drift from the code. */
export function renderDataContract(): string {
  const out: string[] = [
    "# Beacon data contract",
    "",
    "Generated from `packages/core/src/contract/` by `npm run docs`; do not edit by hand.",
    "",
    "## Files",
    "- Formats: CSV (UTF-8 or GBK, comma-separated, header row of column names), XLSX (first worksheet, header row), JSON (array of objects or one object per line), Parquet.",
    "- A file names its dataset by its own name (`institutions.csv`) or its folder (`loans/2026-09.csv`); a file named after a period must hold only that period.",
    "- Empty cells are missing values. Dates `YYYY-MM-DD`; periods `YYYY-MM` (monthly) or `YYYY-Qn` (quarterly); booleans `true`/`false` (also 1/0, yes/no, 是/否); money in yuan as exact decimals.",
    "- One submission is one reporting institution's rows of one dataset for one period. A later submission for the same three supersedes it; both stay queryable as of their dates. Identical content changes nothing.",
    "- No two rows delivered together may share their dataset's primary key. A snapshot (a book at period end, such as loans) has the period in its key, so one delivery may carry several periods of it; an event's id (a sale, a claim) is unique across periods, so a repeat in another period is a duplicate, whether in the same delivery or in the reporter's stored submission of that period (a resubmission of a period is checked against the other periods only).",
    "- Any problem rejects everything delivered together and stores nothing. The report gives file, row (header = row 1), column, value, rule and message.",
    "- Personal identifiers are checked, normalised and replaced by HMAC-SHA-256 at intake; raw values are never stored.",
    "",
    "## Institution types",
    "| code | 中文 | English | sector | leading units | coordinating units |",
    "|---|---|---|---|---|---|",
  ];
  for (const [code, t] of Object.entries(institutionTypes)) {
    const units = sectorUnits[t.sector];
    out.push(
      `| ${code} | ${t.zh} | ${t.en} | ${t.sector} | ${units.lead.map((u) => supervisoryUnits[u].en).join("; ")} | ${units.coordinate.map((u) => supervisoryUnits[u].en).join("; ")} |`,
    );
  }
  out.push("", "## Datasets");
  for (const d of datasets) {
    out.push(
      "",
      `### ${d.name}: ${d.en} (${d.zh})`,
      "",
      d.description,
      "",
      `- Stored in: ${d.kind === "granular" ? "the Parquet lake, partitioned by period" : d.kind === "returns" ? "PostgreSQL (facts)" : "PostgreSQL (registry)"}`,
      `- Primary key: ${d.primaryKey.join(", ")}`,
      d.reporter
        ? `- Reporter: \`${d.reporter}\`, licensed as one of: ${d.reporterTypes.join(", ")}`
        : "- Reporter: the registry itself",
      "",
      "| column | type | required | description |",
      "|---|---|---|---|",
    );
    for (const c of d.columns)
      out.push(
        `| ${c.name} | ${cell(typeText(c))} | ${c.required ? "yes" : "no"} | ${cell(c.description)}${c.references ? " Must be registered." : ""} |`,
      );
    if (d.crossField.length > 0) {
      out.push("", "Cross-field rules:");
      for (const r of d.crossField) out.push(`- ${r.message}`);
    }
  }
  out.push(
    "",
    "## Item dictionary of periodic returns",
    "",
    "| code | 中文 | English | unit | frequency | applies to | definition |",
    "|---|---|---|---|---|---|---|",
  );
  for (const i of itemDictionary)
    out.push(
      `| ${i.code} | ${i.zh} | ${i.en} | ${i.unit} | ${i.frequency} | ${i.appliesTo.join(", ")} | ${cell(i.definition)} |`,
    );
  out.push("", "## Cross-item consistency of returns", "", "| check | rule | tolerance |", "|---|---|---|");
  for (const c of itemConsistencyChecks) {
    out.push(
      `| ${cell(c.description)} | ${c.lhs.join(" + ")} ${c.relation === "eq" ? "=" : "≤"} ${c.rhs} | max(${c.tolerance.absolute}, ${c.tolerance.relative} × value) |`,
    );
  }
  return `${out.join("\n")}\n`;
}
