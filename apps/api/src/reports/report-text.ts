import { institutionTypes, type Sector } from "@beacon/core/contract/institution-types";
import { institutionStatusNames, levelNames, lineNames, sectorNames } from "@beacon/core/reports/vocabulary";

export type Lang = "zh" | "en";
type Bi = { readonly en: string; readonly zh: string };

/** Every text of the report documents, in both languages (a missing language is a type error). */
const text = {
  title: { en: "Monthly supervisory report", zh: "月度监管报告" },
  province: { en: "Whole province", zh: "全市" },
  partialScope: {
    en: "Limited to the sectors and districts the requesting unit supervises.",
    zh: "仅含请求单位监管的行业和区县。",
  },
  generated: { en: "Generated", zh: "生成时间" },
  period: { en: "Month", zh: "月份" },
  scope: { en: "Scope", zh: "范围" },
  summary: { en: "Summary", zh: "概况" },
  institutions: { en: "Institutions", zh: "机构数" },
  reported: { en: "Reported this month", zh: "本月已报送" },
  expected: { en: "Expected to report", zh: "应报送" },
  regulatoryBreaches: { en: "Regulatory-line breaches", zh: "突破监管线" },
  warningBreaches: { en: "Warning-line breaches", zh: "突破预警线" },
  openCases: { en: "Open cases", zh: "办理中案件" },
  openEvents: { en: "Open major risk events", zh: "未结重大风险事件" },
  eventsThisMonth: { en: "Major risk events this month", zh: "本月发生重大风险事件" },
  riskGrid: { en: "Institutions by sector and warning level", zh: "各行业各预警等级机构数" },
  riskGridNote: {
    en: "Level from this month's rule outcomes: red = regulatory line crossed on a high or critical rule; orange = other regulatory-line breach; yellow = warning line; green = assessed, no breach.",
    zh: "等级依据本月规则结果：红色＝高或严重规则突破监管线；橙色＝其他突破监管线；黄色＝突破预警线；绿色＝已评估且无违规。",
  },
  levelTrend: { en: "Institutions at each level, by month", zh: "各预警等级机构数（按月）" },
  sectorStatus: { en: "Institutions by sector and status", zh: "各行业机构数（按状态）" },
  sector: { en: "Sector", zh: "行业" },
  total: { en: "Total", zh: "合计" },
  indicators: { en: "Key indicators against their lines", zh: "关键指标与预警线、监管线对照" },
  rule: { en: "Rule", zh: "规则" },
  median: { en: "Median", zh: "中位数" },
  assessed: { en: "Assessed", zh: "已评估" },
  warning: { en: "Warning", zh: "预警线" },
  regulatory: { en: "Regulatory", zh: "监管线" },
  legalBasis: { en: "Legal basis", zh: "法律依据" },
  breaches: { en: "Breaches", zh: "违规情况" },
  institution: { en: "Institution", zh: "机构" },
  code: { en: "Credit code", zh: "统一社会信用代码" },
  line: { en: "Line", zh: "界线" },
  value: { en: "Value", zh: "数值" },
  explanation: { en: "Explanation", zh: "说明" },
  severity: { en: "Severity", zh: "严重程度" },
  submissions: { en: "Submission status by institution", zh: "各机构报送情况" },
  missingReporters: { en: "Institutions that have not reported", zh: "未报送机构" },
  type: { en: "Type", zh: "类型" },
  district: { en: "District", zh: "区县" },
  level: { en: "Level", zh: "等级" },
  datasets: { en: "Datasets", zh: "数据集" },
  rows: { en: "Rows", zh: "行数" },
  lastReceived: { en: "Last received", zh: "最近接收" },
  submitted: { en: "Submitted", zh: "报送" },
  yes: { en: "Yes", zh: "是" },
  no: { en: "No", zh: "否" },
  none: { en: "None.", zh: "无。" },
  noRules: { en: "No returns were assessed for this month.", zh: "本月无可评估的报表。" },
  more: { en: "{count} more in the XLSX workbook.", zh: "其余 {count} 条见 XLSX 工作簿。" },
  page: { en: "Page {page} of {pages}", zh: "第 {page} 页，共 {pages} 页" },
  reportingByMonth: { en: "Institutions reporting, by month", zh: "报送机构数（按月）" },
  month: { en: "Month", zh: "月份" },
  reporting: { en: "Reporting", zh: "已报送" },
  trendSheet: { en: "Trend", zh: "趋势" },
  sectorsSheet: { en: "Sectors", zh: "行业" },
  indicatorsSheet: { en: "Indicators", zh: "关键指标" },
  submissionsSheet: { en: "Submissions", zh: "报送情况" },
  chartNote: {
    en: "Bars in the cells are Excel data bars drawn from the figures beside them.",
    zh: "单元格中的条形为按相应数值绘制的 Excel 数据条。",
  },
} as const satisfies Record<string, Bi>;

export type TextKey = keyof typeof text;

/** A report's vocabulary in one language. */
export function reportText(lang: Lang) {
  return {
    t: (key: TextKey, params: Record<string, string | number> = {}) =>
      text[key][lang].replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m)),
    sector: (s: string) => sectorNames[s as Sector]?.[lang] ?? s,
    level: (l: string) => levelNames[l as keyof typeof levelNames]?.[lang] ?? l,
    status: (s: string) => institutionStatusNames[s as keyof typeof institutionStatusNames]?.[lang] ?? s,
    lineName: (l: string) => lineNames[l as keyof typeof lineNames]?.[lang] ?? l,
    type: (ty: string) => (institutionTypes as Record<string, Bi>)[ty]?.[lang] ?? ty,
    pick: (b: Bi | null | undefined) => (b ? b[lang] || b.en : ""),
    name: (i: { nameZh: string; nameEn: string }) => (lang === "zh" ? i.nameZh : i.nameEn),
    num: (n: number | null, digits = 0) =>
      n === null || !Number.isFinite(n)
        ? "–"
        : new Intl.NumberFormat(lang === "zh" ? "zh-CN" : "en-GB", { maximumFractionDigits: digits }).format(
            n,
          ),
    value: (n: number | null, display: string | null) => {
      if (n === null || !Number.isFinite(n)) return "–";
      const f = (d: number) =>
        new Intl.NumberFormat(lang === "zh" ? "zh-CN" : "en-GB", { maximumFractionDigits: d }).format;
      if (display === "percent") return `${f(2)(n * 100)}%`;
      if (display === "multiple") return `${f(2)(n)}×`;
      if (display === "amount") return f(0)(n);
      return f(2)(n);
    },
  };
}

export type ReportText = ReturnType<typeof reportText>;
