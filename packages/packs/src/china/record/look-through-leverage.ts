/**
 * Asset-management products: leverage (total assets / net assets) with the total assets of the products a product
 * invests in looked through, as the 2018 Guiding Opinions require, against 140% / 200% by product kind. A holding of
 * another product counts for its share of that product's total assets instead of its market value:
 * LT(p) = TA(p) + Σ mv × (LT(held) / NA(held) − 1), iterated three layers deep.
 */
import { assetManagerTypes } from "@beacon/core/contract/items";
import { decimalParam, defineParams } from "@beacon/core/rules/index";
import { defineRecordRule, sqlNumber } from "@beacon/core/rules/record/record-rule";
import { confirmed } from "../common.ts";
import { art, docs } from "../legal-basis.ts";

const layers = 3;

export const lookThroughLeverage = defineRecordRule({
  id: "cn.amp.look_through_leverage",
  version: 1,
  zh: "资管产品穿透负债比例",
  en: "Look-through leverage of asset-management products",
  family: "asset_management",
  severity: "high",
  appliesTo: { types: [...assetManagerTypes] },
  effective: { from: "2018-04-27" },
  legalBasis: [art(docs.assetManagement, "Arts. 20-21", "第二十条至第二十一条")],
  leadUnit: "pbc_cq",
  params: defineParams({
    openEndedPublic: decimalParam("1.4", confirmed("Open-ended public products", "开放式公募产品")),
    closedPublicOrPrivate: decimalParam(
      "2",
      confirmed("Closed-ended public and non-tiered private products", "封闭式公募产品和非分级私募产品"),
    ),
    tieredPrivate: decimalParam("1.4", confirmed("Tiered private products", "分级私募产品")),
  }),
  notes: [
    `Held products are looked through ${layers} layers deep; a held product missing from the products data counts at market value.`,
    "Products with zero or negative net assets cannot give a ratio and are left out.",
  ],
  datasets: ["products", "product_holdings"],
  subject: { en: "product", zh: "产品", counter: "只" },
  measure: { en: "look-through leverage", zh: "穿透后负债比例（总资产/净资产）" },
  display: "percent",
  sql(p) {
    const steps: string[] = ["l0 AS (SELECT product_id, ta AS lt FROM p)"];
    for (let k = 1; k <= layers; k++) {
      steps.push(`l${k} AS (
        SELECT p.product_id, p.ta + coalesce(sum(CASE WHEN q.na > 0 THEN h.mv * (prev.lt / q.na - 1) END), 0) AS lt
        FROM p LEFT JOIN h ON h.holder = p.product_id LEFT JOIN p q ON q.product_id = h.held
          LEFT JOIN l${k - 1} prev ON prev.product_id = h.held
        GROUP BY p.product_id, p.ta)`);
    }
    return `WITH p AS (
        SELECT product_id, manager_code, product_type, offering, open_ended, tiered,
          CAST(total_assets AS DOUBLE) AS ta, CAST(net_assets AS DOUBLE) AS na FROM products),
      h AS (SELECT product_id AS holder, asset_product_id AS held, CAST(market_value AS DOUBLE) AS mv
            FROM product_holdings WHERE asset_kind = 'product'),
      held AS (SELECT holder, list(held ORDER BY held) AS held FROM h GROUP BY holder),
      ${steps.join(",\n")}
      SELECT p.manager_code AS institution, p.product_id AS subject, l.lt / p.na AS value, NULL AS warning,
        CASE WHEN p.offering = 'public' AND p.open_ended THEN ${sqlNumber(p.openEndedPublic)}
             WHEN p.offering = 'private' AND p.tiered THEN ${sqlNumber(p.tieredPrivate)}
             ELSE ${sqlNumber(p.closedPublicOrPrivate)} END AS regulatory,
        CASE WHEN p.offering = 'public' AND p.open_ended THEN 'openEndedPublic'
             WHEN p.offering = 'private' AND p.tiered THEN 'tieredPrivate'
             ELSE 'closedPublicOrPrivate' END AS param,
        json_object('productType', p.product_type, 'offering', p.offering, 'openEnded', p.open_ended, 'tiered', p.tiered,
          'totalAssets', p.ta, 'netAssets', p.na, 'ownLeverage', p.ta / p.na, 'lookThroughTotalAssets', l.lt,
          'heldProducts', coalesce(hp.held, [])) AS detail
      FROM p JOIN l${layers} l ON l.product_id = p.product_id LEFT JOIN held hp ON hp.holder = p.product_id
        JOIN registry g ON g.code = p.manager_code
      WHERE p.na > 0`;
  },
  qualifier(row) {
    const d = row.detail;
    if (d.offering === "public" && d.openEnded === true)
      return { en: "for an open-ended public product", zh: "开放式公募产品" };
    if (d.offering === "private" && d.tiered === true)
      return { en: "for a tiered private product", zh: "分级私募产品" };
    return d.offering === "public"
      ? { en: "for a closed-ended public product", zh: "封闭式公募产品" }
      : { en: "for a non-tiered private product", zh: "非分级私募产品" };
  },
});
