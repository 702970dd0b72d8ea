import { type FindingPage, listFindings } from "@beacon/core/detectors/list-findings";
import { withBeacon } from "../beacon.ts";
import { defineCommand } from "../command.ts";

export const command = defineCommand<FindingPage>({
  name: "findings",
  summary: "List stored findings, highest score first (the ranked clue list)",
  usage: `Usage: beacon findings [--detector ID] [--period YYYY-MM] [--institution CODE] [--subject ID] [--severity low|medium|high|critical] [--run N] [--page N] [--page-size N] [--zh] [--json]

Shows the findings of each detector's latest run per period (or of --run), filtered, highest score first; e.g.
\`beacon findings --detector claim_ring\` is the anti-fraud centre's ranked list of rings.`,
  options: {
    detector: { type: "string" },
    period: { type: "string" },
    institution: { type: "string" },
    subject: { type: "string" },
    severity: { type: "string" },
    run: { type: "string" },
    page: { type: "string" },
    "page-size": { type: "string" },
    zh: { type: "boolean" },
  },
  async run({ values }, ctx) {
    const q: Record<string, unknown> = {};
    for (const k of ["detector", "period", "institution", "subject", "severity", "run", "page"] as const) {
      if (values[k] !== undefined) q[k] = values[k];
    }
    if (values["page-size"] !== undefined) q.pageSize = values["page-size"];
    const page = await withBeacon(ctx, (beacon) => listFindings(beacon.db, q));
    return values.zh ? { ...page, zh: true } : page;
  },
  render(p) {
    const zh = (p as FindingPage & { zh?: boolean }).zh === true;
    const lines = [
      `${p.total} finding(s); page ${p.page} of ${Math.max(1, Math.ceil(p.total / p.pageSize))}`,
    ];
    for (const f of p.items) {
      lines.push(
        `#${f.id} ${f.detector} ${f.period} ${f.severity} ${f.score.toFixed(1)}  ${f.subject.kind} ${f.subject.id}`,
      );
      lines.push(`    ${zh ? f.explanation.zh : f.explanation.en}`);
    }
    return lines.join("\n");
  },
});
