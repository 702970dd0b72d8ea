/**
 * Dual recording (双录): retail sales of wealth-management and agency products made at the counter or through
 * agents must carry an audio-video recording (CBRC 2017 No. 110 on banks' sales zones); online and mobile sales
 * are outside the requirement. One finding per unrecorded sale.
 */
import { defineParams } from "../rules/params.ts";
import { listParam } from "./params.ts";
import { saleEvidence } from "./suitability.ts";
import { rows, score, severityOf, sqlList, yuan } from "./support.ts";
import { defineDetector, type FindingDraft } from "./types.ts";

const salesChannels = ["counter", "online", "mobile", "agent"] as const;
type Channel = (typeof salesChannels)[number];

export interface DualRecordingParams {
  channels: Channel[];
}

const params = defineParams({
  channels: listParam(salesChannels, ["counter", "agent"], {
    status: "to_confirm",
    en: "Channels whose retail sales need a recording",
    zh: "零售销售须双录的渠道",
  }),
});

export interface UnrecordedRow {
  institution_code: string;
  seller_type: string;
  sale_id: string;
  customer_id: string;
  product_id: string;
  issuer_code: string;
  risk: number;
  sale_date: string;
  amount: number;
  channel: string;
  employee_id: string;
  branch_id: string;
}

/** SQL of retail sales in the covered channels without a recording reference. */
export function unrecordedSql(p: DualRecordingParams, periodEnd: string): string {
  return `SELECT s.institution_code, coalesce(r.type, 'unknown') AS seller_type, s.sale_id, s.customer_id, s.product_id, s.issuer_code,
      CAST(substr(s.product_risk, 2) AS INTEGER) AS risk, strftime(s.sale_date, '%Y-%m-%d') AS sale_date,
      CAST(s.amount AS DOUBLE) AS amount, s.channel, s.employee_id, s.branch_id
    FROM sales s LEFT JOIN registry r ON r.code = s.institution_code
    WHERE s.retail AND (s.recording_ref IS NULL OR trim(s.recording_ref) = '') AND s.channel IN (${sqlList(p.channels)})
      AND s.sale_date <= DATE '${periodEnd}'
    ORDER BY s.institution_code, s.sale_date, s.sale_id`;
}

/** One finding per unrecorded sale. */
export function unrecordedFindings(list: readonly UnrecordedRow[]): FindingDraft[] {
  return list.map((r) => {
    const s = score(40 + 5 * r.risk + Math.min(15, r.amount / 200_000));
    return {
      subjectKind: "sale",
      subjectId: r.sale_id,
      memberKind: "sale",
      members: [r.sale_id],
      institutions: [r.institution_code],
      severity: severityOf(s),
      score: s,
      explanation: {
        en: `Retail ${r.channel} sale ${r.sale_id} by ${r.institution_code} (employee ${r.employee_id}, branch ${r.branch_id}) of ${r.product_id} (R${r.risk}, RMB ${yuan(r.amount)}) on ${r.sale_date} has no audio-video recording.`,
        zh: `${r.institution_code} 于 ${r.sale_date} 通过${channelZh[r.channel] ?? r.channel}向零售客户销售 ${r.product_id}（R${r.risk}，${yuan(r.amount)} 元，销售 ${r.sale_id}，员工 ${r.employee_id}，网点 ${r.branch_id}），无录音录像。`,
      },
      evidence: { ...saleEvidence(r), sellerType: r.seller_type },
    };
  });
}

const channelZh: Record<string, string> = {
  counter: "柜台",
  online: "网上",
  mobile: "手机",
  agent: "代理渠道",
};

export const dualRecording = defineDetector<DualRecordingParams>({
  id: "dual_recording",
  version: "1.0.0",
  en: "Retail sales without dual recording",
  zh: "零售销售未双录",
  description: {
    en: "Retail sales at the counter or through agents without an audio-video recording reference.",
    zh: "柜台或代理渠道的零售销售无录音录像记录。",
  },
  leadUnit: "cbrc_cq",
  datasets: [{ name: "sales", window: "flow" }],
  params,
  async run(ctx, p) {
    return unrecordedFindings(await rows<UnrecordedRow>(ctx.duck, unrecordedSql(p, ctx.periodEnd)));
  },
});
