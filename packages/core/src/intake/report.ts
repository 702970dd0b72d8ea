/** One problem found in a submission: where it is and which rule it breaks. */
export interface Problem {
  file: string;
  /** Row as a spreadsheet shows it: the header is row 1, the first record row 2 (JSON and Parquet: record 1). */
  row: number | null;
  column: string | null;
  value: string | null;
  rule: string;
  message: string;
}

export interface ValidationReport {
  status: "accepted" | "rejected" | "unchanged";
  files: { file: string; dataset: string; format: string; rows: number; encoding?: string }[];
  skipped: string[];
  /** The first problems, in file and row order, up to the cap. */
  problems: Problem[];
  problemCount: number;
  /** Problems not listed because of the cap. */
  moreProblems: number;
  countsByRule: Record<string, number>;
  submissions: {
    institution: string;
    dataset: string;
    period: string;
    rows: number;
    status: "new" | "superseding" | "unchanged";
  }[];
  batchId: number | null;
}

/** Human-readable report: one line per problem, then a summary. */
export function renderReport(report: ValidationReport): string {
  const lines: string[] = [];
  if (report.status === "rejected") {
    lines.push(`REJECTED: ${report.problemCount} problem(s); nothing was stored.`);
    for (const p of report.problems) {
      const where = [p.file, p.row !== null ? `row ${p.row}` : null, p.column ? `column ${p.column}` : null]
        .filter(Boolean)
        .join(", ");
      const value = p.value !== null ? ` (value "${truncate(p.value)}")` : "";
      lines.push(`  ${where}: ${p.message}${value} [${p.rule}]`);
    }
    if (report.moreProblems > 0) lines.push(`  ... and ${report.moreProblems} more problem(s).`);
    lines.push(
      `By rule: ${Object.entries(report.countsByRule)
        .map(([r, n]) => `${r} ${n}`)
        .join(", ")}`,
    );
  } else {
    const rows = report.files.reduce((s, f) => s + f.rows, 0);
    const counts = { new: 0, superseding: 0, unchanged: 0 };
    for (const s of report.submissions) counts[s.status]++;
    lines.push(
      report.status === "unchanged"
        ? `UNCHANGED: identical to what is stored (${report.submissions.length} submission(s)); nothing changed.`
        : `ACCEPTED: batch ${report.batchId}, ${rows} row(s) in ${report.files.length} file(s); ${counts.new} new, ${counts.superseding} superseding, ${counts.unchanged} unchanged submission(s).`,
    );
  }
  for (const s of report.skipped) lines.push(`  skipped ${s}: not a dataset file`);
  return lines.join("\n");
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
