/**
 * Insurance fraud rings for the anti-fraud centre: claimants linked by a shared phone, address, payee bank card or
 * vehicle (and, when asked, hospital), as connected components of the claimant-identifier graph, with hub values
 * (held by more claimants than a cap) left out. Each ring is scored on its claim patterns: claims soon after cover
 * starts, amounts just below the manual-review threshold, repeated claims. Findings sorted by score are the ranked
 * clue list.
 */
import { sharedAttributeComponents } from "../graph/index.ts";
import { decimalParam, defineParams } from "../rules/params.ts";
import { writeGroups } from "./lake-graph.ts";
import { intParam, listParam, num } from "./params.ts";
import { distinct, groupBy, groupId, pct, rows, score, severityOf, yuan } from "./support.ts";
import { defineDetector, type FindingDraft } from "./types.ts";

const linkable = ["phone", "address", "payee_account", "vehicle_plate", "hospital"] as const;
type Linkable = (typeof linkable)[number];
const columnOf: Record<Linkable, string> = {
  phone: "claimant_phone",
  address: "claimant_address",
  payee_account: "payee_account",
  vehicle_plate: "vehicle_plate",
  hospital: "hospital_id",
};

export interface ClaimRingParams {
  link_attributes: Linkable[];
  max_degree: number;
  hospital_max_degree: number;
  min_members: number;
  early_claim_days: number;
  review_threshold: string;
  below_threshold_band: string;
}

const params = defineParams({
  link_attributes: listParam(linkable, ["phone", "address", "payee_account", "vehicle_plate"], {
    status: "to_confirm",
    en: "Identifiers whose sharing links claimants (hospital is a natural hub: add it for small, targeted runs)",
    zh: "共用即关联理赔人的标识（医院天然为枢纽，仅在小范围排查时加入）",
  }),
  max_degree: intParam(12, 2, 1000, {
    status: "to_confirm",
    en: "A value shared by more claimants than this is a hub (a call centre, a garage) and links nobody",
    zh: "被超过该数量理赔人共用的标识视为枢纽（如客服电话、修理厂），不作关联",
  }),
  hospital_max_degree: intParam(5, 2, 1000, {
    status: "to_confirm",
    en: "Hub cap for hospitals, when hospitals link",
    zh: "医院作为关联标识时的枢纽上限",
  }),
  min_members: intParam(3, 2, 1000, {
    status: "to_confirm",
    en: "Smallest ring reported (households of two are common)",
    zh: "报告的最小团伙规模（两人家庭共用地址较常见）",
  }),
  early_claim_days: intParam(60, 1, 730, {
    status: "to_confirm",
    en: "A claim this many days or fewer after the policy starts is early",
    zh: "保单生效后该天数内的理赔视为短期出险",
  }),
  review_threshold: decimalParam("50000", {
    status: "to_confirm",
    en: "Claim amount from which claims go to manual review (yuan)",
    zh: "理赔人工审核起点金额（元）",
  }),
  below_threshold_band: decimalParam("0.12", {
    status: "to_confirm",
    en: "Band below the review threshold, as a share of it, counted as just below",
    zh: "低于审核起点该比例以内视为刻意压线",
  }),
});

interface LinkRow {
  e: string;
  attr: string;
  v: string;
}

export interface RingClaim {
  grp: number;
  claimant_id: string;
  claim_id: string;
  insurer_code: string;
  policy_id: string;
  days_to_claim: number;
  claim_date: string;
  amount: number;
  status: string;
}

export interface Ring {
  members: string[];
  links: { attribute: string; value: string; entities: string[] }[];
  claims: RingClaim[];
}

/** SQL of (claimant, attribute, value) rows whose value is shared by 2..cap claimants. */
export function sharedValuesSql(p: ClaimRingParams): string {
  const parts = p.link_attributes.map(
    (a) =>
      `SELECT claimant_id AS e, '${a}' AS attr, ${columnOf[a]} AS v FROM claims WHERE ${columnOf[a]} IS NOT NULL AND ${columnOf[a]} <> ''`,
  );
  return `WITH a AS (${parts.join(" UNION ALL ")}),
    d AS (SELECT attr, v, count(DISTINCT e) AS deg FROM a GROUP BY attr, v)
    SELECT DISTINCT a.e, a.attr, a.v FROM a JOIN d ON d.attr = a.attr AND d.v = a.v
    WHERE d.deg >= 2 AND d.deg <= CASE WHEN d.attr = 'hospital' THEN ${p.hospital_max_degree} ELSE ${p.max_degree} END
    ORDER BY a.e, a.attr, a.v`;
}

/** One finding per ring, scored on its size, its links and its claim patterns. */
export function claimRingFindings(rings: readonly Ring[], p: ClaimRingParams): FindingDraft[] {
  const threshold = num(p.review_threshold);
  const floor = threshold * (1 - num(p.below_threshold_band));
  const out = rings.map((r) => {
    const n = r.claims.length;
    const early = r.claims.filter((c) => c.days_to_claim <= p.early_claim_days).length;
    const below = r.claims.filter((c) => c.amount >= floor && c.amount < threshold).length;
    const perClaimant = groupBy(r.claims, (c) => c.claimant_id);
    const repeated = [...perClaimant.values()].filter((l) => l.length > 1).length;
    const attributes = distinct(r.links.map((l) => l.attribute));
    const total = r.claims.reduce((s, c) => s + c.amount, 0);
    const s = score(
      20 +
        4 * Math.min(10, r.members.length) +
        (n > 0 ? 25 * (early / n) + 25 * (below / n) : 0) +
        (repeated > 0 ? 5 : 0) +
        5 * Math.min(2, attributes.length - 1),
    );
    const insurers = distinct(r.claims.map((c) => c.insurer_code));
    return {
      subjectKind: "claim_ring",
      subjectId: groupId("CR", r.members),
      memberKind: "person",
      members: r.members,
      institutions: insurers,
      severity: severityOf(s),
      score: s,
      explanation: {
        en: `${r.members.length} claimants linked by shared ${attributes.join(", ")} made ${n} claim(s) totalling RMB ${yuan(total)} at ${insurers.length} insurer(s); ${early} within ${p.early_claim_days} days of cover starting (${pct(n ? early / n : 0, 0)}), ${below} just below the RMB ${yuan(threshold)} review threshold (${pct(n ? below / n : 0, 0)}), ${repeated} claimant(s) claiming more than once.`,
        zh: `${r.members.length} 名理赔人共用${attributes.map((a) => attributeZh[a] ?? a).join("、")}，在 ${insurers.length} 家保险机构理赔 ${n} 笔，合计 ${yuan(total)} 元；其中 ${early} 笔在保单生效 ${p.early_claim_days} 天内出险（${pct(n ? early / n : 0, 0)}），${below} 笔金额略低于 ${yuan(threshold)} 元审核起点（${pct(n ? below / n : 0, 0)}），${repeated} 人多次理赔。`,
      },
      evidence: {
        members: r.members,
        sharedIdentifiers: r.links,
        claims: r.claims.map((c) => ({
          claim: c.claim_id,
          insurer: c.insurer_code,
          policy: c.policy_id,
          claimant: c.claimant_id,
          claimDate: c.claim_date,
          daysFromPolicyStart: c.days_to_claim,
          amount: c.amount,
          status: c.status,
        })),
        patterns: {
          claims: n,
          early,
          justBelowThreshold: below,
          repeatedClaimants: repeated,
          reviewThreshold: threshold,
        },
      },
    } satisfies FindingDraft;
  });
  return out.sort((a, b) => b.score - a.score || a.subjectId.localeCompare(b.subjectId));
}

const attributeZh: Record<string, string> = {
  phone: "手机号",
  address: "地址",
  payee_account: "收款账户",
  vehicle_plate: "车牌",
  hospital: "医院",
};

export const claimRing = defineDetector<ClaimRingParams>({
  id: "claim_ring",
  version: "1.0.0",
  en: "Insurance fraud rings and clues",
  zh: "保险欺诈团伙与线索",
  description: {
    en: "Claimants sharing phones, addresses, bank cards or vehicles, ranked by claim patterns (early claims, amounts just below review, repeats).",
    zh: "共用手机号、地址、银行卡或车辆的理赔人团伙，按理赔特征（短期出险、压线金额、重复理赔）排序。",
  },
  leadUnit: "circ_cq",
  datasets: [{ name: "claims", window: "flow" }],
  params,
  async run(ctx, p) {
    const links = await rows<LinkRow>(ctx.duck, sharedValuesSql(p));
    const found = sharedAttributeComponents(
      { entity: links.map((r) => r.e), attribute: links.map((r) => r.attr), value: links.map((r) => r.v) },
      // Hubs were capped in SQL, where the degrees over all claims are known.
      { maxDegree: Number.MAX_SAFE_INTEGER, minSize: p.min_members },
    );
    if (found.components.length === 0) return [];
    const members = found.components.map((c) => [...c.entities].sort());
    await writeGroups(ctx.duck, "ring_members", members);
    const claims = await rows<RingClaim>(
      ctx.duck,
      `SELECT m.grp, c.claimant_id, c.claim_id, c.insurer_code, c.policy_id,
         CAST(date_diff('day', c.policy_start, c.claim_date) AS INTEGER) AS days_to_claim,
         strftime(c.claim_date, '%Y-%m-%d') AS claim_date, CAST(c.amount AS DOUBLE) AS amount, c.status
       FROM claims c JOIN ring_members m ON m.id = c.claimant_id
       WHERE c.claim_date <= DATE '${ctx.periodEnd}'
       ORDER BY m.grp, c.claim_date, c.claim_id`,
    );
    const byRing = groupBy(claims, (c) => c.grp);
    return claimRingFindings(
      found.components.map((c, i) => ({
        members: members[i]!,
        links: c.links.map((l) => ({ attribute: l.attribute, value: l.value, entities: l.entities })),
        claims: byRing.get(i) ?? [],
      })),
      p,
    );
  },
});
