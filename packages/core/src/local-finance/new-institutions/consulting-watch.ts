import type { Db } from "../../db/client.ts";
import { literal } from "../../lake/duckdb.ts";
import { activePhraseList } from "../fundraising/active-phrase-list.ts";
import { matchPhrases, type PhraseHit } from "../fundraising/match-phrases.ts";
import { openLocalFinanceLake, runInstant } from "../lake.ts";

/** Licence kinds that allow no financial business. */
const nonFinancial = new Set(["none", "investment_consulting", "watched_company", "supervisory_office"]);

export interface DeclaredActivity {
  code: string;
  name: string;
  district: string | null;
  registryType: string | null;
  licences: string[];
  /** Financial-business phrases in the business scope or marketing (negated clauses excluded). */
  financialActivity: PhraseHit[];
  /** Promise phrases (principal, no risk, high return) found as well. */
  promises: PhraseHit[];
  promisedReturn: number | null;
}

/**
 * Investment-consulting and other non-financial firms that declare financial business (taking funds, lending,
 * wealth management) in their business scope or marketing without a financial licence, from the watch list's
 * texts and the governed phrase list; plus the registered consulting firms with no text on file, which the plan's
 * "source management" asks to bring under watch.
 */
export async function consultingWatch(
  deps: { db: Db; dataDir: string },
  input: { period: string; asOf?: string },
): Promise<{
  period: string;
  phraseListVersion: number;
  declaring: DeclaredActivity[];
  consultingWithoutText: { code: string; name: string; district: string }[];
}> {
  const { db, dataDir } = deps;
  const phrases = await activePhraseList(db);
  const asOf = await runInstant(db, input.asOf);
  const registry = await db.query<{
    code: string;
    name: string;
    district: string;
    type: string;
    licences: string | null;
  }>(
    `select trim(i.code) as code, i.name_zh as name, i.district, i.type, string_agg(distinct l.kind, ',') as licences
     from institutions i left join licences l on l.institution_code = i.code and l.status = 'active'
     group by i.code, i.name_zh, i.district, i.type`,
  );
  const regBy = new Map(registry.map((r) => [r.code, r]));
  const lake = await openLocalFinanceLake(
    db,
    dataDir,
    input.period,
    { watched_companies: { kind: "up_to" } },
    asOf,
  );
  try {
    const rows = await lake.all<{
      code: string;
      name: string;
      district: string;
      scope: string | null;
      marketing: string | null;
      licence_kind: string;
      promised: number | null;
    }>(
      `SELECT company_code AS code, name, district, business_scope AS scope, marketing_text AS marketing, licence_kind,
         CAST(promised_return AS DOUBLE) AS promised
       FROM watched_companies WHERE period <= ${literal(input.period)}
       QUALIFY row_number() OVER (PARTITION BY company_code ORDER BY period DESC) = 1 ORDER BY company_code`,
    );
    const declaring: DeclaredActivity[] = [];
    const withText = new Set<string>();
    for (const r of rows) {
      withText.add(r.code);
      const reg = regBy.get(r.code);
      const licences = new Set((reg?.licences ?? "").split(",").filter((k) => k !== ""));
      if (r.licence_kind !== "none") licences.add(r.licence_kind);
      if ([...licences].some((k) => !nonFinancial.has(k))) continue;
      const hits = [...matchPhrases(r.scope, phrases.entries), ...matchPhrases(r.marketing, phrases.entries)];
      const unique = [...new Map(hits.map((h) => [h.id, h])).values()];
      const financial = unique.filter((h) => h.category === "financial_activity");
      if (financial.length === 0) continue;
      declaring.push({
        code: r.code,
        name: r.name,
        district: r.district,
        registryType: reg?.type ?? null,
        licences: [...licences].sort(),
        financialActivity: financial,
        promises: unique.filter((h) => ["guarantee", "no_risk", "high_return"].includes(h.category)),
        promisedReturn: r.promised,
      });
    }
    declaring.sort(
      (a, b) =>
        b.promises.length - a.promises.length ||
        b.financialActivity.length - a.financialActivity.length ||
        a.code.localeCompare(b.code),
    );
    const consultingWithoutText = registry
      .filter((r) => r.type === "investment_consulting" && !withText.has(r.code))
      .map((r) => ({ code: r.code, name: r.name, district: r.district }))
      .sort((a, b) => a.code.localeCompare(b.code));
    return { period: input.period, phraseListVersion: phrases.version, declaring, consultingWithoutText };
  } finally {
    lake.close();
  }
}
