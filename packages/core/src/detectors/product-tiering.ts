/**
 * Tiered products (分级产品): public products and open-ended private products may not be tiered; closed-end private
 * products may be, within a priority-to-subordinated ratio of 3:1 for fixed income, 1:1 for equity and 2:1 for
 * commodity, derivative and mixed products (银发〔2018〕106号 art. 21).
 */
import { decimalParam, defineParams } from "../rules/params.ts";
import { num } from "./params.ts";
import { fixed, rows, score, severityOf } from "./support.ts";
import { defineDetector, type FindingDraft } from "./types.ts";

export interface ProductTieringParams {
  fixed_income_ratio: string;
  equity_ratio: string;
  commodity_derivative_ratio: string;
  mixed_ratio: string;
}

const ratio = (d: string, en: string, zh: string) => decimalParam(d, { status: "confirmed", en, zh });
const params = defineParams({
  fixed_income_ratio: ratio(
    "3",
    "Largest priority/subordinated ratio, fixed-income products",
    "固定收益类产品分级比例上限",
  ),
  equity_ratio: ratio("1", "Largest priority/subordinated ratio, equity products", "权益类产品分级比例上限"),
  commodity_derivative_ratio: ratio(
    "2",
    "Largest priority/subordinated ratio, commodity and derivative products",
    "商品及金融衍生品类产品分级比例上限",
  ),
  mixed_ratio: ratio("2", "Largest priority/subordinated ratio, mixed products", "混合类产品分级比例上限"),
});

export interface TieredRow {
  product_id: string;
  manager_code: string;
  product_type: string;
  offering: string;
  open_ended: boolean;
  asset_class: string;
  priority_amount: number | null;
  subordinated_amount: number | null;
}

const tieredSql = `SELECT product_id, manager_code, product_type, offering, open_ended, asset_class,
    CAST(priority_amount AS DOUBLE) AS priority_amount, CAST(subordinated_amount AS DOUBLE) AS subordinated_amount
  FROM products WHERE tiered ORDER BY product_id`;

const classZh: Record<string, string> = {
  fixed_income: "固定收益类",
  equity: "权益类",
  commodity_derivative: "商品及金融衍生品类",
  mixed: "混合类",
};

/** Findings for tiered products that may not be tiered or exceed their class's ratio. */
export function tieringFindings(list: readonly TieredRow[], p: ProductTieringParams): FindingDraft[] {
  const limits: Record<string, number> = {
    fixed_income: num(p.fixed_income_ratio),
    equity: num(p.equity_ratio),
    commodity_derivative: num(p.commodity_derivative_ratio),
    mixed: num(p.mixed_ratio),
  };
  const out: FindingDraft[] = [];
  for (const r of list) {
    const sub = r.subordinated_amount ?? 0;
    const ratio = sub > 0 ? (r.priority_amount ?? 0) / sub : Number.POSITIVE_INFINITY;
    const limit = limits[r.asset_class] ?? limits.mixed!;
    const problem =
      r.offering === "public"
        ? "public_tiered"
        : r.open_ended
          ? "open_ended_tiered"
          : ratio > limit
            ? "ratio_above_limit"
            : null;
    if (!problem) continue;
    const ratioText = Number.isFinite(ratio) ? `${fixed(ratio, 2)}:1` : "no subordinated tranche";
    const s = score(problem === "ratio_above_limit" ? 45 + 20 * Math.min(2, ratio / limit - 1) : 65);
    const en =
      problem === "public_tiered"
        ? `${r.product_id} (${r.manager_code}) is a public product structured into tranches (ratio ${ratioText}); public products may not be tiered.`
        : problem === "open_ended_tiered"
          ? `${r.product_id} (${r.manager_code}) is an open-ended private product structured into tranches (ratio ${ratioText}); open-ended products may not be tiered.`
          : `${r.product_id} (${r.manager_code}), a ${r.asset_class.replace("_", " ")} product, has a priority-to-subordinated ratio of ${ratioText}, above the ${fixed(limit, 2)}:1 limit.`;
    const zh =
      problem === "public_tiered"
        ? `${r.product_id}（${r.manager_code}）为公募产品却进行了分级（分级比例 ${ratioText}），公募产品不得分级。`
        : problem === "open_ended_tiered"
          ? `${r.product_id}（${r.manager_code}）为开放式私募产品却进行了分级（分级比例 ${ratioText}），开放式产品不得分级。`
          : `${r.product_id}（${r.manager_code}）为${classZh[r.asset_class] ?? r.asset_class}产品，优先级与劣后级比例为 ${ratioText}，超过 ${fixed(limit, 2)}:1 的上限。`;
    out.push({
      subjectKind: "product",
      subjectId: r.product_id,
      memberKind: "product",
      members: [r.product_id],
      institutions: [r.manager_code],
      severity: severityOf(s),
      score: s,
      explanation: { en, zh },
      evidence: {
        problem,
        productType: r.product_type,
        offering: r.offering,
        openEnded: r.open_ended,
        assetClass: r.asset_class,
        priority: r.priority_amount,
        subordinated: r.subordinated_amount,
        ratio: Number.isFinite(ratio) ? ratio : null,
        limit,
      },
    });
  }
  return out;
}

export const productTiering = defineDetector<ProductTieringParams>({
  id: "product_tiering",
  version: "1.0.0",
  en: "Tiered products: forbidden tiering and ratios above the limits",
  zh: "分级产品违规分级与分级比例超限",
  description: {
    en: "Public or open-ended products structured into tranches, and closed-end private products above their class's tiering ratio.",
    zh: "公募或开放式产品进行分级，以及封闭式私募产品分级比例超过所属类别上限。",
  },
  leadUnit: "pbc_cq",
  datasets: [{ name: "products", window: "period" }],
  params,
  async run(ctx, p) {
    return tieringFindings(await rows<TieredRow>(ctx.duck, tieredSql), p);
  },
});
