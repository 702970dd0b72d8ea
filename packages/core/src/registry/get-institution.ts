import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { type InstitutionRow, institutionColumns } from "./list-institutions.ts";

export interface InstitutionDetail extends InstitutionRow {
  licences: { licenceNo: string; kind: string; issuedOn: string; expiresOn: string | null; status: string }[];
  submissions: { dataset: string; periods: number; latestPeriod: string; rows: number }[];
}

/** One institution with its licences and a summary of its current submissions. */
export async function getInstitution(db: Sql, code: string): Promise<InstitutionDetail> {
  const [inst] = await db.query<InstitutionRow>(
    `select ${institutionColumns} from institutions where code = $1`,
    [code.toUpperCase()],
  );
  if (!inst) throw new AppError("NOT_FOUND", `no institution with credit code ${code}`);
  const licences = await db.query<InstitutionDetail["licences"][number]>(
    `select licence_no as "licenceNo", kind, issued_on::text as "issuedOn", expires_on::text as "expiresOn", status
     from licences where institution_code = $1 order by issued_on`,
    [inst.code],
  );
  const submissions = await db.query<{
    dataset: string;
    periods: string;
    latestPeriod: string;
    rows: string;
  }>(
    `select dataset, count(*)::text as periods, max(period) as "latestPeriod", sum(row_count)::text as rows
     from submissions where institution_code = $1 and superseded_at is null group by dataset order by dataset`,
    [inst.code],
  );
  return {
    ...inst,
    licences,
    submissions: submissions.map((s) => ({ ...s, periods: Number(s.periods), rows: Number(s.rows) })),
  };
}
