/**
 * Look-through leverage of asset-management products: total assets, with every product held replaced by its share
 * of that product's own look-through total assets, over net assets, against 140% for public and tiered private
 * products and 200% for other private products (银发〔2018〕106号 art. 20); with the repo-financed part of it.
 */
import { decimalParam, defineParams } from "../rules/params.ts";
import { num } from "./params.ts";
import { loadProductStructure, type ProductStructure } from "./product-structure.ts";
import { pct, score, severityOf } from "./support.ts";
import { defineDetector, type FindingDraft } from "./types.ts";

export interface ProductLeverageParams {
  public_limit: string;
  tiered_private_limit: string;
  private_limit: string;
}

const params = defineParams({
  public_limit: decimalParam("1.4", {
    status: "confirmed",
    en: "Look-through total assets over net assets, public products",
    zh: "公募产品总资产/净资产上限",
  }),
  tiered_private_limit: decimalParam("1.4", {
    status: "confirmed",
    en: "Look-through total assets over net assets, tiered private products",
    zh: "分级私募产品总资产/净资产上限",
  }),
  private_limit: decimalParam("2", {
    status: "confirmed",
    en: "Look-through total assets over net assets, other private products",
    zh: "其他私募产品总资产/净资产上限",
  }),
});

/** One finding per product whose look-through leverage exceeds its limit. */
export function leverageFindings(ps: ProductStructure, p: ProductLeverageParams): FindingDraft[] {
  const out: FindingDraft[] = [];
  for (const r of ps.products) {
    if (!(r.net_assets > 0)) continue;
    const own = r.total_assets / r.net_assets;
    const lookThrough = r.idx === null ? own : ps.structure.leverage[r.idx]!;
    const [limitText, kind, kindZh] =
      r.offering === "public"
        ? [p.public_limit, "public product", "公募产品"]
        : r.tiered
          ? [p.tiered_private_limit, "tiered private product", "分级私募产品"]
          : [p.private_limit, "private product", "私募产品"];
    const limit = num(limitText);
    if (!(lookThrough > limit)) continue;
    const repo = r.repo_financing / r.net_assets;
    const s = score(50 + 60 * (lookThrough / limit - 1));
    const through = Math.abs(lookThrough - own) > 1e-9;
    out.push({
      subjectKind: "product",
      subjectId: r.product_id,
      memberKind: "product",
      members: [r.product_id],
      institutions: [r.manager_code],
      severity: severityOf(s),
      score: s,
      explanation: {
        en: `${r.product_id} (${kind}, ${r.manager_code}): look-through total assets are ${pct(lookThrough)} of net assets, above the ${pct(limit, 0)} limit${through ? ` (own balance sheet ${pct(own)})` : ""}; repo financing is ${pct(repo)} of net assets.`,
        zh: `${r.product_id}（${kindZh}，${r.manager_code}）：穿透后总资产为净资产的 ${pct(lookThrough)}，超过 ${pct(limit, 0)} 的上限${through ? `（自身资产负债表为 ${pct(own)}）` : ""}；正回购融资为净资产的 ${pct(repo)}。`,
      },
      evidence: {
        productType: r.product_type,
        offering: r.offering,
        tiered: r.tiered,
        openEnded: r.open_ended,
        totalAssets: r.total_assets,
        netAssets: r.net_assets,
        ownLeverage: own,
        lookThroughLeverage: lookThrough,
        limit,
        repoFinancing: r.repo_financing,
        repoToNetAssets: repo,
      },
    });
  }
  return out.sort((a, b) => b.score - a.score || a.subjectId.localeCompare(b.subjectId));
}

export const productLeverage = defineDetector<ProductLeverageParams>({
  id: "product_leverage",
  version: "1.0.0",
  en: "Look-through leverage of asset-management products",
  zh: "资管产品穿透杠杆",
  description: {
    en: "Products whose look-through total assets exceed 140% (public, tiered private) or 200% (other private) of net assets.",
    zh: "穿透后总资产超过净资产140%（公募、分级私募）或200%（其他私募）的产品。",
  },
  leadUnit: "pbc_cq",
  datasets: [
    { name: "products", window: "period" },
    { name: "product_holdings", window: "period" },
  ],
  params,
  async run(ctx, p) {
    return leverageFindings(await loadProductStructure(ctx.duck, "lev"), p);
  },
});
