/**
 * Late or missing periodic disclosures of listed and NEEQ companies (annual, semi-annual, quarterly reports
 * against their statutory due dates, as the sponsor brokers report them). One finding per company, listing each
 * report filed after its due date or still missing at the end of the period.
 */
import { defineParams } from "../rules/params.ts";
import { intParam } from "./params.ts";
import { distinct, rows, score, severityOf } from "./support.ts";
import { defineDetector, type FindingDraft } from "./types.ts";

export interface LateDisclosureParams {
  grace_days: number;
}

const params = defineParams({
  grace_days: intParam(0, 0, 90, {
    status: "to_confirm",
    en: "Days after the due date before a filing counts as late",
    zh: "超过法定披露期限多少天计为逾期",
  }),
});

export interface LateRow {
  company_code: string;
  reporter_code: string;
  market: string;
  report_type: string;
  fiscal_period: string;
  due_date: string;
  filed_date: string | null;
  days_late: number;
}

/** SQL of reports due by the period end and filed late or not at all (each report once). */
export function lateDisclosureSql(p: LateDisclosureParams, periodEnd: string): string {
  const end = `DATE '${periodEnd}'`;
  // A report filed after the period end was still missing at the period end. Disclosures are a snapshot, so a
  // report is in every period's file of the window: its latest period says what is known (missing, then filed).
  return `SELECT company_code, reporter_code, market, report_type, fiscal_period,
      strftime(due_date, '%Y-%m-%d') AS due_date, strftime(filed, '%Y-%m-%d') AS filed_date,
      CAST(date_diff('day', due_date, coalesce(filed, ${end})) AS INTEGER) AS days_late
    FROM (SELECT *, CASE WHEN filed_date <= ${end} THEN filed_date END AS filed FROM disclosures
      QUALIFY row_number() OVER (
        PARTITION BY reporter_code, company_code, report_type, fiscal_period ORDER BY period DESC) = 1)
    WHERE due_date <= ${end} AND date_diff('day', due_date, coalesce(filed, ${end})) > ${p.grace_days}
    ORDER BY company_code, fiscal_period, report_type`;
}

const typeZh: Record<string, string> = { annual: "年报", semiannual: "半年报", quarterly: "季报" };

/** One finding per company with its late and missing reports. */
export function lateDisclosureFindings(list: readonly LateRow[]): FindingDraft[] {
  const byCompany = new Map<string, LateRow[]>();
  for (const r of list) byCompany.set(r.company_code, [...(byCompany.get(r.company_code) ?? []), r]);
  const out: FindingDraft[] = [];
  for (const [company, reports] of byCompany) {
    const missing = reports.filter((r) => r.filed_date === null);
    const worst = Math.max(...reports.map((r) => r.days_late));
    const s = score(35 + 15 * missing.length + 5 * reports.length + Math.min(25, worst / 4));
    const en = reports.map((r) =>
      r.filed_date === null
        ? `${r.report_type} report for ${r.fiscal_period} due ${r.due_date} not filed (${r.days_late} days overdue)`
        : `${r.report_type} report for ${r.fiscal_period} due ${r.due_date} filed ${r.filed_date} (${r.days_late} days late)`,
    );
    const zh = reports.map((r) =>
      r.filed_date === null
        ? `${r.fiscal_period}${typeZh[r.report_type] ?? r.report_type}应于 ${r.due_date} 前披露，至今未披露（逾期 ${r.days_late} 天）`
        : `${r.fiscal_period}${typeZh[r.report_type] ?? r.report_type}应于 ${r.due_date} 前披露，${r.filed_date} 才披露（迟延 ${r.days_late} 天）`,
    );
    out.push({
      subjectKind: "enterprise",
      subjectId: company,
      memberKind: "enterprise",
      members: [company],
      institutions: distinct(reports.map((r) => r.reporter_code)),
      severity: severityOf(s),
      score: s,
      explanation: {
        en: `${reports[0]!.market === "neeq" ? "NEEQ" : "Listed"} company ${company}: ${en.join("; ")}.`,
        zh: `${reports[0]!.market === "neeq" ? "新三板挂牌" : "上市"}公司 ${company}：${zh.join("；")}。`,
      },
      evidence: {
        market: reports[0]!.market,
        late: reports.length - missing.length,
        missing: missing.length,
        reports: reports.map((r) => ({
          reporter: r.reporter_code,
          reportType: r.report_type,
          fiscalPeriod: r.fiscal_period,
          dueDate: r.due_date,
          filedDate: r.filed_date,
          daysLate: r.days_late,
        })),
      },
    });
  }
  return out.sort((a, b) => b.score - a.score || a.subjectId.localeCompare(b.subjectId));
}

export const lateDisclosure = defineDetector<LateDisclosureParams>({
  id: "late_disclosure",
  version: "1.1.0",
  en: "Late or missing periodic disclosures",
  zh: "定期报告逾期或未披露",
  description: {
    en: "Listed and NEEQ companies whose periodic reports were filed after the statutory due date or not at all.",
    zh: "上市公司和新三板挂牌公司定期报告晚于法定期限披露或未披露。",
  },
  leadUnit: "csrc_cq",
  datasets: [{ name: "disclosures", window: "flow" }],
  params,
  async run(ctx, p) {
    return lateDisclosureFindings(await rows<LateRow>(ctx.duck, lateDisclosureSql(p, ctx.periodEnd)));
  },
});
