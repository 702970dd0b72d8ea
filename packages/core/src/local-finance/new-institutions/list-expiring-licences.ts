import { z } from "zod";
import type { Sql } from "../../db/client.ts";
import { AppError } from "../../errors.ts";
import { newInstitutionKinds, offsiteIndicators } from "./offsite-indicators.ts";

export const expiringQuery = z.strictObject({
  months: z.coerce.number().int().min(1).max(60).default(6),
  /** The day the pipeline is seen from; default today. */
  asOf: z.iso.date("must be a date written YYYY-MM-DD").optional(),
  kind: z.enum(newInstitutionKinds).optional(),
});
export type ExpiringQuery = z.input<typeof expiringQuery>;

export interface ExpiringLicence {
  licenceNo: string;
  kind: string;
  institution: { code: string; name: string; district: string; status: string };
  issuedOn: string;
  expiresOn: string;
  daysToExpiry: number;
  /** The latest recorded decision, if any. */
  decision: { decision: string; reason: string; decidedBy: string; decidedAt: string } | null;
  /** What the evidence suggests, and why: the plan asks to use expiry to clear the market. */
  suggestion: "renew" | "exit" | "review";
  reasons: string[];
}

/**
 * The licence-expiry pipeline of the new financial institutions: active licences expiring within N months (and
 * any already past expiry but still marked active), each with its decision so far and a suggestion. The
 * suggestion leans to exit where the evidence shows a dormant or troubled firm (no business, off-site indicators
 * outside their lines, high-severity inspection findings, a fund-raising card), as the plan asks to use expiry to
 * clear the market; a guarantee company without such evidence is still put to review rather than renewed.
 */
export async function listExpiringLicences(
  db: Sql,
  query: ExpiringQuery = {},
): Promise<{ asOf: string; months: number; items: ExpiringLicence[] }> {
  const parsed = expiringQuery.safeParse(query);
  if (!parsed.success)
    throw new AppError(
      "INVALID_INPUT",
      parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
    );
  const q = parsed.data;
  const asOf = q.asOf ?? new Date().toISOString().slice(0, 10);
  const kinds = q.kind ? [q.kind] : [...newInstitutionKinds];
  const rows = await db.query<{
    licence_no: string;
    kind: string;
    code: string;
    name: string;
    district: string;
    status: string;
    issued_on: string;
    expires_on: string;
    days: number;
    decision: string | null;
    reason: string | null;
    decided_by: string | null;
    decided_at: string | null;
  }>(
    `select l.licence_no, l.kind, trim(i.code) as code, i.name_zh as name, i.district, i.status, l.issued_on::text as issued_on,
       l.expires_on::text as expires_on, (l.expires_on - $1::date) as days,
       d.decision, d.reason, d.decided_by, to_json(d.decided_at) #>> '{}' as decided_at
     from licences l join institutions i on i.code = l.institution_code
     left join lateral (select decision, reason, decided_by, decided_at from lf_licence_decisions x
                        where x.licence_no = l.licence_no order by x.id desc limit 1) d on true
     where l.kind = any($2::text[]) and l.status = 'active' and l.expires_on is not null
       and l.expires_on <= ($1::date + make_interval(months => $3::int))::date
     order by l.expires_on, l.licence_no`,
    [asOf, kinds, q.months],
  );
  if (rows.length === 0) return { asOf, months: q.months, items: [] };
  const codes = [...new Set(rows.map((r) => r.code))];
  const offsite = await offsiteIndicators(db, { period: asOf.slice(0, 7) });
  const offsiteBy = new Map(offsite.rows.map((r) => [r.code, r]));
  const findings = await db.query<{ code: string; n: number }>(
    `select trim(i.institution_code) as code, count(*)::int as n from lf_inspection_findings f join lf_inspections i on i.id = f.inspection_id
     where f.severity = 'high' and i.institution_code = any($1::text[]) and f.created_at >= ($2::date - interval '2 years')
     group by i.institution_code`,
    [codes, asOf],
  );
  const findingsBy = new Map(findings.map((f) => [f.code, Number(f.n)]));
  const cards = await db.query<{ code: string; card: string; period: string }>(
    `select distinct on (s.company_code) trim(s.company_code) as code, s.card, r.period
     from lf_fundraising_scores s join lf_fundraising_runs r on r.id = s.run_id
     where s.company_code = any($1::text[]) order by s.company_code, r.period desc, r.id desc`,
    [codes],
  );
  const cardBy = new Map(cards.map((c) => [c.code, c]));
  const business = await db.query<{
    code: string;
    period: string;
    loans: string | null;
    guarantees: string | null;
  }>(
    `select distinct on (f.institution_code) trim(f.institution_code) as code, f.period,
       max(f.value) filter (where f.item = 'SLC_LOANS_OUTSTANDING')::text as loans,
       max(f.value) filter (where f.item = 'FGC_GUARANTEE_LIABILITY')::text as guarantees
     from facts f join submissions s on s.id = f.submission_id and s.superseded_at is null
     where f.institution_code = any($1::text[]) and f.item in ('SLC_LOANS_OUTSTANDING', 'FGC_GUARANTEE_LIABILITY')
     group by f.institution_code, f.period order by f.institution_code, f.period desc`,
    [codes],
  );
  const businessBy = new Map(business.map((b) => [b.code, b]));
  const items = rows.map((r): ExpiringLicence => {
    const reasons: string[] = [];
    const exitReasons: string[] = [];
    if (r.status !== "active") exitReasons.push(`registry status is ${r.status}`);
    const o = offsiteBy.get(r.code);
    for (const i of o?.indicators.filter((x) => x.outsideLine) ?? []) {
      exitReasons.push(`${i.en} ${i.value} is ${i.line?.op} ${i.line?.value} (${i.period})`);
    }
    const high = findingsBy.get(r.code) ?? 0;
    if (high > 0) exitReasons.push(`${high} high-severity inspection findings in the last two years`);
    const card = cardBy.get(r.code);
    if (card && card.card !== "green") exitReasons.push(`${card.card} fund-raising card (${card.period})`);
    const b = businessBy.get(r.code);
    const volume = b ? Number(b.loans ?? b.guarantees ?? "NaN") : Number.NaN;
    if (["small_loan", "online_small_loan", "financing_guarantee"].includes(r.kind)) {
      if (!b) exitReasons.push("no business figures in the returns: possibly dormant");
      else if (volume === 0)
        exitReasons.push(
          `no ${r.kind === "financing_guarantee" ? "guarantees" : "loans"} outstanding (${b.period}): dormant`,
        );
    }
    let suggestion: ExpiringLicence["suggestion"];
    if (exitReasons.length > 0) {
      suggestion = "exit";
      reasons.push(...exitReasons);
    } else if (r.kind === "financing_guarantee") {
      suggestion = "review";
      reasons.push(
        "no adverse evidence; the plan asks to use guarantee licence expiry to consolidate (merge or exit)",
      );
    } else {
      suggestion = "renew";
      reasons.push("no adverse evidence in returns, inspections or screening");
    }
    if (r.days < 0) reasons.push(`expired ${-r.days} days ago but still marked active`);
    return {
      licenceNo: r.licence_no,
      kind: r.kind,
      institution: { code: r.code, name: r.name, district: r.district, status: r.status },
      issuedOn: r.issued_on,
      expiresOn: r.expires_on,
      daysToExpiry: Number(r.days),
      decision: r.decision
        ? {
            decision: r.decision,
            reason: r.reason ?? "",
            decidedBy: r.decided_by ?? "",
            decidedAt: r.decided_at ?? "",
          }
        : null,
      suggestion,
      reasons,
    };
  });
  return { asOf, months: q.months, items };
}
